/**
 * The texts of link previews. They live in the previews chunk; a host changes them like any other
 * text (`element.strings`, or a language of `registerLocale`).
 */
export interface PreviewStrings {
  /** The label of a message's previews, for a screen reader. */
  previewsLabel: string;
  /** The sender's button that takes the previews off their message. */
  removePreview: string;
}

/** English. */
export const previewsEn: PreviewStrings = {
  previewsLabel: 'Link preview',
  removePreview: 'Remove preview',
};
