import type { ChatError } from './errors.js';
import { builtInError } from './built-in-error.js';

// C0 and C1 controls. Tab, line feed and carriage return are whitespace: they become a space.
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
// Characters that reorder the text around them (RTL overrides and isolates, direction marks).
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
// Half of a UTF-16 pair on its own: not text, and PostgreSQL refuses it.
const LONE_SURROGATE = /\p{Cs}/u;
// Invisible characters: zero-width space and joiners, word joiner, soft hyphen, CGJ, BOM,
// Hangul fillers, variation selectors, tags, ... Stripped, apart from the few kept below.
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;
const VARIATION_SELECTOR = /[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/u;
const EMOJI_BEFORE_ZWJ = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F]/u;
const EMOJI = /[\p{Extended_Pictographic}\p{Emoji}]/u;
// Scripts that need ZWJ / ZWNJ or variation selectors (Persian, Indic, CJK, ...); Latin, Greek and Cyrillic never do.
const JOINING_LETTER = /[\p{L}\p{M}]/u;
const NO_JOINERS = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]/u;
// Subdivision flags: a black flag, tag letters, a cancel tag (🏴󠁧󠁢󠁳󠁣󠁴󠁿).
const TAG_SEQUENCE = /^\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F}/u;
// Blank look-alikes that are not Unicode whitespace: the braille blank.
const BLANKS = /[\s\u2800]+/gu;
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;

/**
 * Cleans a display name so that what people see is what is compared: NFKC, invisible
 * characters removed (zero-width, soft hyphen, Hangul fillers, lone variation selectors),
 * every run of blanks one space, trimmed. Throws a `VALIDATION_FAILED` ChatError for
 * control characters, text-direction controls, broken UTF-16 and names with nothing visible.
 * Emoji sequences (👩‍💻, ❤️) and the joiners Persian or Indic names need are kept.
 * @example cleanDisplayName(' Ana\u200B ') // 'Ana'
 */
export function cleanDisplayName(raw: string): string {
  if (LONE_SURROGATE.test(raw)) throw refuse('Names must be valid Unicode text.');
  if (CONTROLS.test(raw)) throw refuse('Names cannot contain control characters.');
  if (BIDI_CONTROLS.test(raw)) throw refuse('Names cannot contain text-direction control characters.');
  const name = stripInvisible(raw.normalize('NFKC')).replace(BLANKS, ' ').trim();
  if (!VISIBLE.test(name)) throw refuse('Please choose a name.');
  return name;
}

function refuse(message: string): ChatError {
  return builtInError('VALIDATION_FAILED', message);
}

function stripInvisible(text: string): string {
  const chars = Array.from(text);
  let out = '';
  let previous = '';
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] as string;
    if (char === '\u{1F3F4}') {
      const tags = TAG_SEQUENCE.exec(chars.slice(i, i + 40).join(''));
      if (tags) {
        out += tags[0];
        i += Array.from(tags[0]).length - 1;
        previous = '\u{E007F}';
        continue;
      }
    }
    if (IGNORABLE.test(char) && !keepIgnorable(char, previous, chars[i + 1] ?? '')) continue;
    out += char;
    previous = char;
  }
  return out;
}

function keepIgnorable(char: string, previous: string, next: string): boolean {
  if (previous === '') return false;
  if (VARIATION_SELECTOR.test(char)) return EMOJI.test(previous) || (JOINING_LETTER.test(previous) && !NO_JOINERS.test(previous));
  if (char === '\u200D' && EMOJI_BEFORE_ZWJ.test(previous) && EMOJI.test(next)) return true;
  if (char === '\u200C' || char === '\u200D') {
    return JOINING_LETTER.test(previous) && !NO_JOINERS.test(previous) && JOINING_LETTER.test(next) && !NO_JOINERS.test(next);
  }
  return false;
}
