import { describe, expect, it } from 'vitest';
import { ChatError, ERROR_CODES, ErrorCode, toChatError } from './errors.js';
import { DEFAULT_LIMITS } from './limits.js';
import { createPayloadSchemas, parsePayload } from './schemas.js';

const schemas = createPayloadSchemas(DEFAULT_LIMITS);

function failure(fn: () => unknown): ChatError {
  try {
    fn();
  } catch (error) {
    return error as ChatError;
  }
  throw new Error('expected a failure');
}

describe('payload schemas', () => {
  it('accept a full message and drop unknown fields', () => {
    const out = parsePayload(schemas['message:send'], {
      roomId: 'room-1',
      clientId: '0b8f6a1e-3c1d-4a52-9b7e-2f3a4b5c6d7e',
      text: 'hola',
      attachments: [{ url: 'https://cdn.example/a.pdf', type: 'application/pdf', name: 'a.pdf', size: 12 }],
      user: { id: 'forged' },
    });
    expect(out).toEqual({
      roomId: 'room-1',
      clientId: '0b8f6a1e-3c1d-4a52-9b7e-2f3a4b5c6d7e',
      text: 'hola',
      attachments: [{ url: 'https://cdn.example/a.pdf', type: 'application/pdf', name: 'a.pdf', size: 12 }],
    });
  });

  it('say what is wrong in a sentence', () => {
    expect(failure(() => parsePayload(schemas['room:join'], { roomId: 5 })).message).toBe('roomId must be a string.');
    expect(failure(() => parsePayload(schemas['room:join'], 'x')).message).toBe('The payload must be an object.');
    const tooLong = failure(() => parsePayload(schemas['message:send'], { roomId: 'r', clientId: 'c', text: 'x'.repeat(4001) }));
    expect([tooLong.code, tooLong.message]).toEqual(['PAYLOAD_TOO_LARGE', 'Messages can be at most 4000 characters long.']);
    expect(failure(() => parsePayload(schemas.name, '  ')).message).toBe('Please choose a name.');
    expect(failure(() => parsePayload(schemas.name, 'a\u0007b')).message).toBe('Names cannot contain control characters.');
  });

  it('trim names', () => {
    expect(parsePayload(schemas.name, '  Ana  ')).toBe('Ana');
  });
});

describe('ChatError', () => {
  it('wraps unknown errors as INTERNAL without leaking their message', () => {
    const wrapped = toChatError(new Error('password=hunter2'));
    expect(wrapped.code).toBe('INTERNAL');
    expect(JSON.stringify(wrapped.toJSON())).not.toContain('hunter2');
    expect((wrapped.cause as Error).message).toBe('password=hunter2');
  });

  it('round-trips through its wire form', () => {
    const error = new ChatError('RATE_LIMITED', 'Slow down.', { retryAfter: 300 });
    const back = ChatError.fromData(JSON.parse(JSON.stringify(error)));
    expect([back.code, back.message, back.retryAfter, back.retryable]).toEqual(['RATE_LIMITED', 'Slow down.', 300, true]);
  });

  it('documents every code with a status and whether a retry helps', () => {
    for (const code of Object.values(ErrorCode)) {
      expect(ERROR_CODES[code].description.length).toBeGreaterThan(10);
      expect(ERROR_CODES[code].status).toBeGreaterThanOrEqual(400);
    }
  });
});
