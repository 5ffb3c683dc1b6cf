import { describe, expect, it } from 'vitest';
import type { ChatError } from './errors.js';
import { DEFAULT_LIMITS } from './limits.js';
import { parsePayload } from './parse-payload.js';
import { createPayloadSchemas } from './schemas.js';

const schema = createPayloadSchemas(DEFAULT_LIMITS)['message:search'];

function refusal(input: unknown): ChatError {
  try {
    parsePayload(schema, input);
  } catch (error) {
    return error as ChatError;
  }
  throw new Error('expected a refusal');
}

describe('message:search schema', () => {
  it('trims the query and keeps the optional fields', () => {
    expect(parsePayload(schema, { query: '  hello "big world" -spam  ', roomId: 'r1', before: 'abc_-9', limit: 5 })).toEqual({
      query: 'hello "big world" -spam',
      roomId: 'r1',
      before: 'abc_-9',
      limit: 5,
    });
    expect(parsePayload(schema, { query: '100% a_b' })).toEqual({ query: '100% a_b' });
  });

  it('refuses empty, huge, NUL and too many words with a sentence', () => {
    for (const [input, sentence] of [
      [{ query: '' }, 'A search needs at least one word: the query is empty.'],
      [{ query: '   \n ' }, 'A search needs at least one word: the query is empty.'],
      [{ query: 'a'.repeat(257) }, 'A search can be at most 256 characters.'],
      [{ query: 'a'.repeat(1_000_000) }, 'A search can be at most 256 characters.'],
      [{ query: 'a\u0000b' }, 'A search cannot contain NUL characters.'],
      [{ query: 'a \ud800' }, 'A search cannot contain unpaired UTF-16 surrogates.'],
      [{ query: Array.from({ length: 33 }, (_, i) => `w${i}`).join(' ') }, 'A search can have at most 32 words.'],
      [{ query: Array.from({ length: 10_000 }, () => 'w').join(' ') }, 'A search can be at most 256 characters.'],
    ] as const) {
      const error = refusal(input);
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.message).toBe(sentence);
    }
  });

  it('refuses a bad cursor, room or limit', () => {
    expect(refusal({ query: 'a', before: 'not a cursor!' }).message).toBe('before must be the next of an earlier search answer.');
    expect(refusal({ query: 'a', before: 'x'.repeat(201) }).message).toBe('before must be the next of an earlier search answer.');
    expect(refusal({ query: 'a', limit: 51 }).message).toBe('limit must be at most 50.');
    expect(refusal({ query: 'a', limit: 0 }).message).toBe('limit must be at least 1.');
    expect(refusal({ query: 'a', roomId: 'a b' }).code).toBe('VALIDATION_FAILED');
    expect(refusal({ query: 5 }).message).toBe('query must be a string.');
    expect(refusal(['a']).message).toBe('The payload must be an object.');
  });
});
