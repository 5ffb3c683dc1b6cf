// The options of `pins()`, checked when the plugin is made.

/** Options of the pins plugin. */
export interface PinsOptions {
  /**
   * The most messages a room may have pinned; pinning one more is refused (`PAYLOAD_TOO_LARGE`),
   * never unpinning the oldest for it. A whole number from 1 to 50.
   * @default 5
   */
  maxPins?: number;
}

/** Pins a room may have when `maxPins` is not given. */
export const DEFAULT_MAX_PINS = 5;
const MOST = 50;

/** The options with their defaults; a bad value throws a sentence naming it. */
export function pinsConfig(options: PinsOptions): { maxPins: number } {
  const maxPins = options.maxPins ?? DEFAULT_MAX_PINS;
  if (!Number.isInteger(maxPins) || maxPins < 1 || maxPins > MOST) {
    throw new TypeError(`pins(): maxPins must be a whole number from 1 to ${MOST} (got ${String(maxPins)}).`);
  }
  return { maxPins };
}
