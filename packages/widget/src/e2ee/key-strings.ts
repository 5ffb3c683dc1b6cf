import { chunkStrings } from '../i18n/chunk-strings.js';

/**
 * The texts of a key change in an encrypted room (`e2ee:keychange`), and of this device's removal
 * (`e2ee:removed`). They come with the e2ee chunk
 * (chat-room.e2ee.js, loaded by encrypted rooms only); a host changes them like any other text:
 * `ChatStrings` lists them as optional keys.
 */
export interface KeyStrings {
  /** A line in the log: someone's devices changed keys (a new device of theirs, or someone in between). */
  keyChanged: (name: string) => string;
  /** The same line when the keys that changed are yours (a new device of yours). */
  keyChangedSelf: string;
  /** The button on `keyChanged` that opens their card, with their fingerprint as it is now. */
  compareFingerprints: string;
  /** Under the header of an encrypted room, when this device was removed by its user (`e2ee:removed`). */
  deviceRemoved: string;
}

/** English. */
export const keyEn: KeyStrings = {
  keyChanged: (name) => `${name}'s security key changed.`,
  keyChangedSelf: 'Your security key changed: a new device of yours can read this room.',
  compareFingerprints: 'Compare fingerprints',
  deviceRemoved:
    "This device was removed from encrypted conversations: it can't read or send new messages here. Your other devices still can.",
};

/** The key change texts from the element's `strings` (its language's, the host's own on top), English where it has none. */
export function keyStrings(host: Partial<KeyStrings>): KeyStrings {
  return chunkStrings(keyEn, host);
}
