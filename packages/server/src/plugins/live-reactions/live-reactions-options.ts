// `liveReactions({ emojis, perUserPerSecond })`: the options of the live-reactions plugin, checked
// when the server is made.

/** The reactions a room offers unless the host chooses: like, love, laugh, wow, applause, celebrate. */
export const DEFAULT_LIVE_REACTIONS: readonly string[] = Object.freeze(['👍', '❤️', '😂', '😮', '👏', '🎉']);

/** Options of `liveReactions`. */
export interface LiveReactionsOptions {
  /** The emoji viewers may send (1 to 12, each one emoji), in the order a reaction bar shows them. @default DEFAULT_LIVE_REACTIONS */
  emojis?: readonly string[];
  /** Reactions one user may send a second, per process; past it `RATE_LIMITED`. @default 5 */
  perUserPerSecond?: number;
}

/** The options, checked, with their defaults. */
export interface LiveReactionsConfig {
  readonly emojis: readonly string[];
  readonly perUserPerSecond: number;
}

// One emoji: one grapheme, at most 16 UTF-16 units (a family or a flag with its joiners), no letters or digits.
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const isEmoji = (value: unknown): value is string =>
  typeof value === 'string' &&
  value.length > 0 &&
  value.length <= 16 &&
  [...segmenter.segment(value)].length === 1 &&
  /\p{Extended_Pictographic}|\p{Regional_Indicator}/u.test(value) &&
  !/[\p{L}\p{N}\s]/u.test(value.replace(/[\u{1F1E6}-\u{1F1FF}]/gu, ''));

/** Checks the options; throws a `TypeError` with a sentence naming what is wrong. */
export function liveReactionsConfig(options: LiveReactionsOptions = {}): LiveReactionsConfig {
  const emojis = options.emojis ?? DEFAULT_LIVE_REACTIONS;
  if (!Array.isArray(emojis) || emojis.length < 1 || emojis.length > 12 || !emojis.every(isEmoji)) {
    throw new TypeError('liveReactions: emojis must be a list of 1 to 12 emoji, each a single emoji such as "👍".');
  }
  if (new Set(emojis).size !== emojis.length) throw new TypeError('liveReactions: emojis lists one emoji twice.');
  const perUserPerSecond = options.perUserPerSecond ?? 5;
  if (!Number.isSafeInteger(perUserPerSecond) || perUserPerSecond < 1 || perUserPerSecond > 100) {
    throw new TypeError('liveReactions: perUserPerSecond must be a whole number from 1 to 100.');
  }
  return Object.freeze({ emojis: Object.freeze([...emojis]), perUserPerSecond });
}
