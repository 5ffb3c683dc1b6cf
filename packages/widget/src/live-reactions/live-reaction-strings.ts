/**
 * The texts of the reaction bar. They live in the live-reactions chunk; a host changes them like
 * any other text (`element.strings`, or a language of `registerLocale`).
 */
export interface LiveReactionStrings {
  /** The label of the bar of reactions. */
  liveReactionsLabel: string;
  /** A reaction's button, for a screen reader. */
  sendLiveReaction: (emoji: string) => string;
}

/** English. */
export const liveReactionsEn: LiveReactionStrings = {
  liveReactionsLabel: 'Live reactions',
  sendLiveReaction: (emoji) => `React with ${emoji}`,
};
