/**
 * The texts of voice messages: the player's buttons and its position. They live in the voice
 * chunk; a host changes them like any other text (`element.strings`, or a language of `registerLocale`).
 */
export interface VoiceStrings {
  /** The label of a voice message's player, for a screen reader. */
  voiceMessage: string;
  /** The player's button while it is stopped, and while it plays. */
  playVoice: string;
  pauseVoice: string;
  /** The name of the position slider. */
  voicePosition: string;
  /** The slider's value, read aloud: "0:03 of 0:12" (both already written m:ss). */
  voiceAt: (at: string, duration: string) => string;
}

/** English. */
export const voiceEn: VoiceStrings = {
  voiceMessage: 'Voice message',
  playVoice: 'Play voice message',
  pauseVoice: 'Pause',
  voicePosition: 'Position',
  voiceAt: (at, duration) => `${at} of ${duration}`,
};
