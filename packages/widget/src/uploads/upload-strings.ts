import { chunkStrings } from '../i18n/chunk-strings.js';

/**
 * The texts of the files waiting to go with the next message, and of files dragged over the widget. They live in the uploads chunk; a
 * host changes them like any other text (`element.strings`, or a language of `registerLocale`).
 */
export interface UploadStrings {
  /** The files to go with the next message. */
  filesLabel: string;
  /** The progress bar of a file being uploaded. */
  uploading: (name: string) => string;
  /** Takes a file out of the next message. */
  removeFile: (name: string) => string;
  /** Over the widget while files are dragged over it. */
  dropFiles: string;
}

/** English. */
export const uploadsEn: UploadStrings = {
  filesLabel: 'Files to send',
  uploading: (name) => `Uploading ${name}`,
  removeFile: (name) => `Remove ${name}`,
  dropFiles: 'Drop files to attach them',
};

/** These texts from the element's `strings` (its language's, the host's own on top), English where it has none. */
export const uploadStrings = (strings: Partial<UploadStrings>): UploadStrings => chunkStrings(uploadsEn, strings);
