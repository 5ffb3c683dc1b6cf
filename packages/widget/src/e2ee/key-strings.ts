import { chunkStrings } from '../i18n/chunk-strings.js';

/**
 * The texts of a key change in an encrypted room (`e2ee:keychange`). They come with the e2ee chunk
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
}

/** English. */
const keyEn: KeyStrings = {
  keyChanged: (name) => `${name}'s security key changed.`,
  keyChangedSelf: 'Your security key changed: a new device of yours can read this room.',
  compareFingerprints: 'Compare fingerprints',
};

/** Spanish. */
const keyEs: KeyStrings = {
  keyChanged: (name) => `La clave de seguridad de ${name} cambió.`,
  keyChangedSelf: 'Tu clave de seguridad cambió: un dispositivo nuevo tuyo puede leer esta sala.',
  compareFingerprints: 'Comparar huellas',
};

/** The key change texts for a language, with the host's own on top. */
export function keyStrings(lang: string, host: Partial<KeyStrings>): KeyStrings {
  return chunkStrings(lang, keyEn, keyEs, host);
}
