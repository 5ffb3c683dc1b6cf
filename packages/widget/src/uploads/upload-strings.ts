import { chunkStrings } from '../i18n/chunk-strings.js';

/**
 * The texts of the files waiting to go with the next message. They live in the uploads chunk; a
 * host changes them like any other text (`element.strings`, or a language of `registerLocale`).
 */
export interface UploadStrings {
  /** The files to go with the next message. */
  filesLabel: string;
  /** The progress bar of a file being uploaded. */
  uploading: (name: string) => string;
  /** Takes a file out of the next message. */
  removeFile: (name: string) => string;
}

/** English. */
const uploadsEn: UploadStrings = {
  filesLabel: 'Files to send',
  uploading: (name) => `Uploading ${name}`,
  removeFile: (name) => `Remove ${name}`,
};

/** Spanish. */
const uploadsEs: UploadStrings = {
  filesLabel: 'Archivos para enviar',
  uploading: (name) => `Subiendo ${name}`,
  removeFile: (name) => `Quitar ${name}`,
};

/** These texts in the language of the element's `strings` (the one its `errors` are in), the host's own on top. */
export const uploadStrings = (strings: Partial<UploadStrings> & { errors?: { lang: string } }): UploadStrings =>
  chunkStrings(strings.errors?.lang ?? 'en', uploadsEn, uploadsEs, strings);
