// The schema of message:search (see ./search.ts).
import * as v from 'valibot';
import { ID_LIMITS } from './limits.js';
import { idSchema, payload, plainObject, seqSchema } from './schema-parts.js';
import { SEARCH_PAGE_MAX, SEARCH_QUERY_MAX, SEARCH_TERMS_MAX, type MessageSearchPayload } from './search.js';

// A cursor is base64url of a few dozen bytes; anything else was not handed out by a server.
const CURSOR = /^[A-Za-z0-9_-]{1,200}$/u;
const WORDS = /[\p{L}\p{N}]+/gu;

function wordCount(query: string): number {
  return query.match(WORDS)?.length ?? 0;
}

/** The schema of `message:search` (the REST search reads its query string into the same object). */
export function createSearchSchemas() {
  const query = v.pipe(
    v.string('query must be a string.'),
    v.maxLength(SEARCH_QUERY_MAX * 4, `A search can be at most ${SEARCH_QUERY_MAX} characters.`),
    v.trim(),
    v.minLength(1, 'A search needs at least one word: the query is empty.'),
    v.maxLength(SEARCH_QUERY_MAX, `A search can be at most ${SEARCH_QUERY_MAX} characters.`),
    v.check((q) => !q.includes('\u0000'), 'A search cannot contain NUL characters.'),
    v.check((q) => !/\p{Cs}/u.test(q), 'A search cannot contain unpaired UTF-16 surrogates.'),
    v.check((q) => wordCount(q) <= SEARCH_TERMS_MAX, `A search can have at most ${SEARCH_TERMS_MAX} words.`),
  );
  const search = plainObject(
    {
      query,
      roomId: v.optional(idSchema('roomId', ID_LIMITS.roomId)),
      before: v.optional(
        v.pipe(v.string('before must be a string.'), v.regex(CURSOR, 'before must be the next of an earlier search answer.')),
      ),
      limit: v.optional(v.pipe(seqSchema('limit', 1), v.maxValue(SEARCH_PAGE_MAX, `limit must be at most ${SEARCH_PAGE_MAX}.`))),
    },
    payload,
  );
  return { 'message:search': search satisfies v.GenericSchema<unknown, MessageSearchPayload> };
}
