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
const fileEn: SealedFileStrings = {
  fileOpening: (name) => `Decrypting ${name}…`,
  fileFailed: (name) => `${name} can't be opened on this device: it could not be downloaded or decrypted.`,
};

/** Spanish. */
const fileEs: SealedFileStrings = {
  fileOpening: (name) => `Descifrando ${name}…`,
  fileFailed: (name) => `No se puede abrir ${name} en este dispositivo: no se pudo descargar o descifrar.`,
};

/** The encrypted file texts for a language, with the host's own on top. */
export function fileStrings(lang: string, host: Partial<SealedFileStrings>): SealedFileStrings {
  return chunkStrings(lang, fileEn, fileEs, host);
}
