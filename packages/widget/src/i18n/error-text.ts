// What the widget shows for an error: its own words when the widget chose them, else the widget's
// language's sentence for the code (`strings.errors`) when the error's own sentence is in another
// language (its `lang`), else the error's own sentence.
import type { ChatError } from '@chat/client';
import type { ChatStrings } from './strings.js';

/** Errors the widget says in its own words, in its language (the call view's device failures). */
const ownWords = new WeakMap<ChatError, string>();

/**
 * Says `error` as `text` wherever the widget shows it, instead of `strings.errors`; `chat-error`
 * still carries the error as it is.
 */
export function inOwnWords(error: ChatError, text: string): ChatError {
  ownWords.set(error, text);
  return error;
}

/** The sentence to show for `error`, shown under the name field or on a file when `where` says so. */
export function errorText(strings: ChatStrings, error: ChatError, where?: 'name' | 'file'): string {
  const table = strings.errors;
  const other = error.lang && table && primary(error.lang) !== primary(table.lang);
  const said = other && ((where && table[where]?.[error.code]) || table[error.code]);
  return ownWords.get(error) ?? (said || error.message);
}

const primary = (tag: string): string => tag.split('-')[0]!.toLowerCase();
