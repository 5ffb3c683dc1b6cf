import { chunkStrings } from '../i18n/chunk-strings.js';

/**
 * The texts of an encrypted room's files (`client.e2ee.openFile`), in place of a file until this
 * device has opened it, or when it cannot. They come with the e2ee chunk (chat-room.e2ee.js, loaded
 * by encrypted rooms only); `ChatStrings` lists them as optional keys.
 */
export interface SealedFileStrings {
  /** While the file is downloaded and decrypted. */
  fileOpening: (name: string) => string;
  /** The file could not be downloaded, was not the one sent, or its key did not open it. */
  fileFailed: (name: string) => string;
}

/** English. */
export const fileEn: SealedFileStrings = {
  fileOpening: (name) => `Decrypting ${name}…`,
  fileFailed: (name) => `${name} can't be opened on this device: it could not be downloaded or decrypted.`,
};

/** The encrypted file texts from the element's `strings` (its language's, the host's own on top), English where it has none. */
export function fileStrings(host: Partial<SealedFileStrings>): SealedFileStrings {
  return chunkStrings(fileEn, host);
}
