import { chunkStrings } from '../i18n/chunk-strings.js';

/**
 * The texts of the composer's `@` and `/` suggestions. They live in the pickers' chunk; a host
 * changes them like any other text (`element.strings`, or a language of `registerLocale`).
 */
export interface PickerStrings {
  /** The list the composer offers after `@`. */
  mentionsLabel: string;
  /** The list of slash commands the composer offers after `/`. */
  commandsLabel: string;
}

/** English. */
export const pickersEn: PickerStrings = { mentionsLabel: 'People to mention', commandsLabel: 'Commands' };

/** These texts from the element's `strings` (its language's, the host's own on top), English where it has none. */
export const pickerStrings = (strings: Partial<PickerStrings>): PickerStrings => chunkStrings(pickersEn, strings);
