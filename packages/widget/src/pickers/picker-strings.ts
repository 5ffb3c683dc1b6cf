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
const pickersEn: PickerStrings = { mentionsLabel: 'People to mention', commandsLabel: 'Commands' };

/** Spanish. */
const pickersEs: PickerStrings = { mentionsLabel: 'Personas para mencionar', commandsLabel: 'Comandos' };

/** These texts in the language of the element's `strings` (the one its `errors` are in), the host's own on top. */
export const pickerStrings = (strings: Partial<PickerStrings> & { errors?: { lang: string } }): PickerStrings =>
  chunkStrings(strings.errors?.lang ?? 'en', pickersEn, pickersEs, strings);
