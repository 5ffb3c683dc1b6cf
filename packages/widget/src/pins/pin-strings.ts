/**
 * The texts of the pinned bar. They live in the pins chunk; a host changes them like any other text
 * (`element.strings`, or a language of `registerLocale`).
 */
export interface PinStrings {
  /** The label of the bar above the log. */
  pinnedLabel: string;
  /** The button that shows every pinned message, or hides them again: "3 pinned". */
  pinnedCount: (count: number) => string;
  /** Before a pinned message's name and text on its button, for a screen reader: "Go to the pinned message:". */
  goToPinned: string;
  /** The button that unpins one, for a screen reader. */
  unpinMessage: (quote: string) => string;
  /** A moderator's message actions: pin the message above the log, or unpin it. */
  pin: string;
  unpin: string;
}

/** English. */
export const pinsEn: PinStrings = {
  pinnedLabel: 'Pinned messages',
  pinnedCount: (n) => `${n} pinned`,
  goToPinned: 'Go to the pinned message:',
  unpinMessage: (quote) => `Unpin: ${quote}`,
  pin: 'Pin',
  unpin: 'Unpin',
};
