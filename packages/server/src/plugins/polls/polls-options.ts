// The options of `polls()`, checked when the plugin is made.

/** Options of the polls plugin. */
export interface PollsOptions {
  /**
   * How many times a second at most a poll's message is updated with its counts while votes come
   * (`message:updated`, each with the exact counts then). A whole number from 1 to 10.
   * @default 4
   */
  updatesPerSecond?: number;
}

/** Updates a second per poll when `updatesPerSecond` is not given. */
export const DEFAULT_POLL_UPDATES_PER_SECOND = 4;
const MOST = 10;

/** The options with their defaults; a bad value throws a sentence naming it. */
export function pollsConfig(options: PollsOptions): { updatesPerSecond: number } {
  const updatesPerSecond = options.updatesPerSecond ?? DEFAULT_POLL_UPDATES_PER_SECOND;
  if (!Number.isInteger(updatesPerSecond) || updatesPerSecond < 1 || updatesPerSecond > MOST) {
    throw new TypeError(`polls(): updatesPerSecond must be a whole number from 1 to ${MOST} (got ${String(updatesPerSecond)}).`);
  }
  return { updatesPerSecond };
}
