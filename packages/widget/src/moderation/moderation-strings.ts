import { chunkStrings } from '../i18n/chunk-strings.js';
/**
 * The texts of moderation that only moderators see. They live in the moderation chunk, so people
 * who never moderate do not load them; a host changes them like any other text (`element.strings`,
 * or a language of `registerLocale`): `ChatStrings` lists them as optional keys.
 */
export interface ModerationStrings {
  /** A moderator's actions on a person. */
  kick: string;
  ban: string;
  unban: string;
  muteMember: string;
  unmuteMember: string;
  makeModerator: string;
  makeMember: string;
  /** The question before a kick, ban or mute ("Ban: Ana?"), its durations and the reason field. */
  confirmAction: (action: string, name: string) => string;
  duration: string;
  forHour: string;
  forDay: string;
  forEver: string;
  reason: string;
  /** The room menu: freeze, slow mode and its choices, people banned from this widget. */
  freeze: string;
  slowMode: string;
  slowOff: string;
  everySeconds: (seconds: number) => string;
  bannedHere: string;
}

/** English. */
export const moderationEn: ModerationStrings = {
  kick: 'Remove from room',
  ban: 'Ban',
  unban: 'Lift ban',
  muteMember: 'Mute',
  unmuteMember: 'Lift mute',
  makeModerator: 'Make moderator',
  makeMember: 'Make member',
  confirmAction: (action, name) => `${action}: ${name}?`,
  duration: 'For how long',
  forHour: '1 hour',
  forDay: '1 day',
  forEver: 'Until lifted',
  reason: 'Reason',
  freeze: 'Only moderators can write',
  slowMode: 'Slow mode',
  slowOff: 'Off',
  everySeconds: (s) => (s < 60 ? `${s} s` : `${s / 60} min`),
  bannedHere: 'Banned',
};

/** The moderation texts from the element's `strings` (its language's, the host's own on top), English where it has none. */
export function moderationStrings(host: Partial<ModerationStrings>): ModerationStrings {
  return chunkStrings(moderationEn, host);
}
