import { describe, expect, it } from 'vitest';
import type { ChatError } from './errors.js';
import { DEFAULT_LIMITS } from './limits.js';
import { parsePayload } from './parse-payload.js';
import { createPayloadSchemas } from './schemas.js';

const schemas = createPayloadSchemas(DEFAULT_LIMITS);

function refusal(schema: Parameters<typeof parsePayload>[0], input: unknown): ChatError {
  try {
    parsePayload(schema, input);
  } catch (error) {
    return error as ChatError;
  }
  throw new Error('expected a refusal');
}

describe('thread fields of message:send and message:history', () => {
  it('keep threadOf and alsoInRoom', () => {
    expect(parsePayload(schemas['message:send'], { roomId: 'r', clientId: 'c1', text: 'hi', threadOf: 'm-1', alsoInRoom: true })).toEqual({
      roomId: 'r',
      clientId: 'c1',
      text: 'hi',
      threadOf: 'm-1',
      alsoInRoom: true,
    });
    expect(parsePayload(schemas['message:history'], { roomId: 'r', threadOf: 'm-1', before: 9, limit: 20 })).toEqual({
      roomId: 'r',
      threadOf: 'm-1',
      before: 9,
      limit: 20,
    });
  });

  it('refuse bad thread ids and combinations with a sentence', () => {
    const send = { roomId: 'r', clientId: 'c1', text: 'hi' };
    for (const [schema, input, sentence] of [
      [schemas['message:send'], { ...send, threadOf: '' }, 'threadOf must not be empty.'],
      [schemas['message:send'], { ...send, threadOf: 'x'.repeat(65) }, 'threadOf must be at most 64 characters.'],
      [schemas['message:send'], { ...send, threadOf: 'a b' }, 'threadOf may contain only letters, digits and . _ : @ -'],
      [schemas['message:send'], { ...send, threadOf: 42 }, 'threadOf must be a string.'],
      [schemas['message:send'], { ...send, threadOf: 'm', alsoInRoom: 'yes' }, 'alsoInRoom must be true or false.'],
      [schemas['message:send'], { ...send, alsoInRoom: true }, 'alsoInRoom goes with threadOf (a thread reply).'],
      [schemas['message:history'], { roomId: 'r', threadOf: { $ne: 1 } }, 'threadOf must be a string.'],
      [
        schemas['message:history'],
        { roomId: 'r', threadOf: 'm', changedAfter: 3 },
        'Give threadOf without changedAfter (changedAfter already covers the replies of every thread of the room).',
      ],
    ] as const) {
      const error = refusal(schema, input);
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.message).toBe(sentence);
    }
  });
});

describe('read:mark of a thread', () => {
  it('keeps threadOf beside the seq, and without it marks the room', () => {
    expect(parsePayload(schemas['read:mark'], { roomId: 'r', seq: 7, threadOf: 'm-1' })).toEqual({ roomId: 'r', seq: 7, threadOf: 'm-1' });
    expect(parsePayload(schemas['read:mark'], { roomId: 'r', seq: 7 })).toEqual({ roomId: 'r', seq: 7 });
  });

  it('refuses a bad thread id with a sentence', () => {
    for (const [input, sentence] of [
      [{ roomId: 'r', seq: 1, threadOf: '' }, 'threadOf must not be empty.'],
      [{ roomId: 'r', seq: 1, threadOf: 7 }, 'threadOf must be a string.'],
      [{ roomId: 'r', seq: 1, threadOf: 'x'.repeat(65) }, 'threadOf must be at most 64 characters.'],
    ] as const) {
      const error = refusal(schemas['read:mark'], input);
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.message).toBe(sentence);
    }
  });
});
