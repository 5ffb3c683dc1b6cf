// The query language of message search, shared by the stores and the server: a query is read
// as PostgreSQL's websearch_to_tsquery reads it (words all required, "quoted phrases", -word,
// `or` between two terms), and words compare case- and accent-insensitively.
import { builtInError } from '@chat/protocol';

/** One term: a word or a phrase (words that must follow each other), normalized; `negated`: must not occur. */
interface SearchTerm {
  words: string[];
  negated: boolean;
}

/** A parsed query: every group must match; a group matches when one of its terms does. */
export type ParsedSearch = SearchTerm[][];

/** Where a search page starts: the last result of the page before (its time, room and seq). */
export interface SearchCursor {
  createdAt: string;
  roomId: string;
  seq: number;
}

// A word as PostgreSQL's parser sees one, roughly: letters (with their combining marks) and digits.
const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const CHUNK = /(-?)"([^"]*)"?|(\S+)/gu;

/** A word as search compares it: lower case, accents taken off (é -> e, ñ -> n). */
function foldWord(word: string): string {
  return word.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The words of a text, folded, with where each is in the text (UTF-16 offsets). */
export function wordsOf(text: string): { word: string; start: number; end: number }[] {
  return [...text.matchAll(WORD)].map((m) => ({ word: foldWord(m[0]), start: m.index, end: m.index + m[0].length }));
}

/** Reads a query as `websearch_to_tsquery` does. Operators or punctuation alone give no term. */
export function parseSearch(query: string): ParsedSearch {
  const items: (SearchTerm | 'or')[] = [];
  for (const m of query.matchAll(CHUNK)) {
    const [, quotedMinus, quoted, bare] = m;
    if (bare !== undefined && bare.toLowerCase() === 'or') {
      items.push('or');
      continue;
    }
    const negated = quoted !== undefined ? quotedMinus === '-' : (bare ?? '').startsWith('-');
    const words = wordsOf(quoted ?? bare ?? '').map((w) => w.word);
    if (words.length > 0) items.push({ words, negated });
  }
  const groups: ParsedSearch = [];
  let joinNext = false;
  items.forEach((item, i) => {
    if (item === 'or') {
      // `or` between two terms joins them; anywhere else it is the word "or".
      const between = i > 0 && items[i - 1] !== 'or' && i + 1 < items.length && items[i + 1] !== 'or';
      if (between) joinNext = true;
      else groups.push([{ words: ['or'], negated: false }]);
      return;
    }
    const last = groups.at(-1);
    if (joinNext && last) last.push(item);
    else groups.push([item]);
    joinNext = false;
  });
  return groups;
}

/** Whether a parsed query can find anything: it needs a word that must occur (`-word` alone finds nothing). */
export function hasPositiveTerm(search: ParsedSearch): boolean {
  return search.some((group) => group.some((term) => !term.negated));
}

/** Whether a text matches a parsed query (by words, in any case, with or without accents). */
export function matchesSearch(search: ParsedSearch, text: string): boolean {
  const words = wordsOf(text).map((w) => w.word);
  return search.every((group) => group.some((term) => containsPhrase(words, term.words) !== term.negated));
}

function containsPhrase(words: readonly string[], phrase: readonly string[]): boolean {
  for (let i = 0; i + phrase.length <= words.length; i++) {
    if (phrase.every((word, j) => words[i + j] === word)) return true;
  }
  return false;
}

/** The cursor of the page after one that ended with this message: opaque base64url. */
export function encodeSearchCursor(cursor: SearchCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.roomId, cursor.seq])).toString('base64url');
}

/** Reads a cursor `encodeSearchCursor` wrote; anything else is `VALIDATION_FAILED`. */
export function decodeSearchCursor(cursor: string): SearchCursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (
    Array.isArray(value) &&
    value.length === 3 &&
    typeof value[0] === 'string' &&
    !Number.isNaN(Date.parse(value[0])) &&
    typeof value[1] === 'string' &&
    Number.isSafeInteger(value[2]) &&
    (value[2] as number) > 0
  ) {
    return { createdAt: new Date(value[0]).toISOString(), roomId: value[1], seq: value[2] as number };
  }
  throw builtInError('VALIDATION_FAILED', 'before must be the next of an earlier search answer.');
}
