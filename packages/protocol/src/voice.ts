// Voice messages: an attachment of kind 'voice' with its length and a small waveform to draw.

/** What an attachment is besides a file: only `voice` (a voice message) today. */
export const AttachmentKind = { VOICE: 'voice' } as const;
export type AttachmentKind = (typeof AttachmentKind)[keyof typeof AttachmentKind];

/** Most values a voice attachment's `waveform` has (each a whole number 0-255). */
export const VOICE_WAVEFORM_MAX = 64;

/** The audio types a voice attachment may be: what `MediaRecorder` records in Chromium, Firefox and Safari. */
export const VOICE_TYPES = ['audio/webm', 'audio/ogg', 'audio/mp4'] as const;
