// A search result's highlight: a piece of the message's text around its first matched word, with
// the matched words' places. Plain text and offsets, never markup: a client cannot be tricked into
// rendering a message's text as HTML by it.
import type { SearchHighlight } from '@chat/protocol';
import { wordsOf, type ParsedSearch } from '../../core/search-query.js';

const SNIPPET = 160;
const BEFORE = 40;

/** The highlight of `text` for a parsed query: every word of a term that must occur is marked. */
export function highlight(text: string, search: ParsedSearch): SearchHighlight {
  const wanted = new Set(search.flatMap((group) => group.filter((t) => !t.negated).flatMap((t) => t.words)));
  // A stemming language (searchLanguage: 'english') finds "runs" for "running": a word that starts
  // like a query word (from its fourth letter on) is marked too.
  const matches = wordsOf(text).filter(({ word }) => wanted.has(word) || [...wanted].some((w) => w.length >= 4 && sharedStem(word, w)));
  const first = matches[0];
  let start = first ? Math.max(0, first.start - BEFORE) : 0;
  let end = Math.min(text.length, start + SNIPPET);
  start = Math.max(0, Math.min(start, end - SNIPPET));
  // Never cut a UTF-16 pair in half.
  if (isLowSurrogate(text, start)) start++;
  if (isLowSurrogate(text, end)) end--;
  const lead = start > 0 ? '…' : '';
  const ranges = matches
    .filter((m) => m.start >= start && m.end <= end)
    .map((m) => ({ start: m.start - start + lead.length, end: m.end - start + lead.length }));
  return { text: `${lead}${text.slice(start, end)}${end < text.length ? '…' : ''}`, ranges };
}

function sharedStem(word: string, queryWord: string): boolean {
  const stem = queryWord.slice(0, Math.max(4, queryWord.length - 3));
  return word.startsWith(stem);
}

function isLowSurrogate(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return index > 0 && index < text.length && code >= 0xdc00 && code <= 0xdfff;
}
