import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtInError } from './built-in-error.js';
import { ERROR_CODES } from './error-codes.js';
import { ChatError, ErrorCode, toChatError } from './errors.js';
import { DEFAULT_LIMITS } from './limits.js';
import { createPayloadSchemas } from './schemas.js';
import { parsePayload } from './parse-payload.js';

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

  it("says the language of its sentence when its writer did: the toolkit's are English", () => {
    const own = builtInError('ROOM_NOT_FOUND', 'There is no room "x".');
    expect(own.toJSON()).toEqual({ code: 'ROOM_NOT_FOUND', message: 'There is no room "x".', lang: 'en' });
    expect(ChatError.fromData(JSON.parse(JSON.stringify(own))).lang).toBe('en');
    expect([toChatError(new Error('x')).lang, failure(() => parsePayload(schemas.name, '')).lang]).toEqual(['en', 'en']);
    // A host's error says nothing unless the host does.
    expect(new ChatError('FORBIDDEN', 'No.').toJSON()).toEqual({ code: 'FORBIDDEN', message: 'No.' });
    expect(ChatError.fromData({ code: 'FORBIDDEN', message: 'No.', lang: 'es' }).lang).toBe('es');
  });

  it("is built in the toolkit's own code only by builtInError (so that each carries lang)", () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const own = ['protocol/src/errors.ts', 'protocol/src/built-in-error.ts'];
    const found: string[] = [];
    for (const pkg of ['protocol', 'server', 'client', 'react']) {
      for (const file of readdirSync(join(root, pkg, 'src'), { recursive: true, encoding: 'utf8' })) {
        const path = `${pkg}/src/${file}`;
        if (!/\.tsx?$/u.test(file) || /\.test\.tsx?$|fixtures|testing/u.test(file) || own.includes(path)) continue;
        if (readFileSync(join(root, path), 'utf8').includes('new ChatError(')) found.push(path);
      }
    }
    expect(found).toEqual([]);
  });

  it('documents every code with a status and whether a retry helps', () => {
    for (const code of Object.values(ErrorCode)) {
      expect(ERROR_CODES[code].description.length).toBeGreaterThan(10);
      expect(ERROR_CODES[code].status).toBeGreaterThanOrEqual(400);
      // ChatError.retryable has its own small set (clients do not bundle the table): the two agree.
      expect(new ChatError(code, 'x').retryable).toBe(ERROR_CODES[code].retryable);
    }
  });
});

describe('payloads a store could not hold are refused (VALIDATION_FAILED, never INTERNAL later)', () => {
  const send = (extra: Record<string, unknown>) => ({ roomId: 'r', clientId: 'c', text: 'hi', ...extra });
  const attach = (a: Record<string, unknown>) => send({ attachments: [{ url: 'https://a.example/x', type: 'image/png', ...a }] });
  const cases: Array<[string, keyof typeof schemas, unknown, RegExp]> = [
    ['NUL in text', 'message:send', send({ text: 'a\u0000b' }), /^Messages cannot contain NUL/u],
    ['lone surrogate in text', 'message:send', send({ text: 'a\uD800b' }), /unpaired UTF-16 surrogates/u],
    ['NUL in attachment name', 'message:send', attach({ name: 'a\u0000.png' }), /^Attachment names cannot/u],
    ['NUL in attachment url', 'message:send', attach({ url: 'https://a.example/\u0000' }), /^Attachment URLs cannot/u],
    ['surrogate in attachment url', 'message:send', attach({ url: 'https://a.example/\uDC00' }), /^Attachment URLs cannot/u],
    ['attachment size 1e308', 'message:send', attach({ size: 1e308 }), /size must be at most 9007199254740991/u],
    [
      "an encrypted room's file key",
      'message:send',
      attach({ e2ee: { key: 'k', iv: 'i', sha256: 's' } }),
      /^This attachment carries an encrypted room's file key/u,
    ],
    ['before 1e308', 'message:history', { roomId: 'r', before: 1e308 }, /^before must be at most 9007199254740991\.$/u],
    ['after 2**63', 'message:history', { roomId: 'r', after: 2 ** 63 }, /^after must be at most/u],
    [
      'minSeq above maxSeq',
      'message:history',
      { roomId: 'r', changedAfter: 0, minSeq: 5, maxSeq: 4 },
      /^minSeq must not be more than maxSeq\.$/u,
    ],
    ['since 1e21', 'room:join', { roomId: 'r', since: 1e21 }, /^since must be at most/u],
    ['NUL in title', 'createRoom', { title: 'a\u0000' }, /^Titles cannot/u],
    ['NUL in a metadata value', 'createRoom', { metadata: { a: { b: ['x\u0000'] } } }, /^metadata cannot/u],
    ['NUL in a metadata key', 'updateRoom', { metadata: { 'k\u0000': 1 } }, /^metadata cannot/u],
    ['surrogate in a metadata key', 'updateRoom', { metadata: { '\uD83D': 1 } }, /^metadata cannot/u],
  ];
  it.each(cases)('%s', (_name, schema, input, message) => {
    const error = failure(() => parsePayload(schemas[schema] as Parameters<typeof parsePayload>[0], input));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toMatch(message);
  });

  it('still accepts the largest safe whole number and emoji (paired surrogates)', () => {
    expect(parsePayload(schemas['message:history'], { roomId: 'r', before: Number.MAX_SAFE_INTEGER }).before).toBe(Number.MAX_SAFE_INTEGER);
    expect(parsePayload(schemas['message:send'], send({ text: 'hola 🎉' })).text).toBe('hola 🎉');
    expect(parsePayload(schemas.createRoom, { metadata: { '🎉': ['😀'] } }).metadata).toEqual({ '🎉': ['😀'] });
  });

  it('a payload missing a field names the field', () => {
    expect(failure(() => parsePayload(schemas['message:send'], { roomId: 'x' })).message).toBe('clientId is missing.');
    expect(failure(() => parsePayload(schemas['message:send'], { roomId: 'x', clientId: 'c' })).message).toBe('text is missing.');
    expect(failure(() => parsePayload(schemas['room:join'], {})).message).toBe('roomId is missing.');
    const noType = send({ attachments: [{ url: 'https://a.example/x' }] });
    expect(failure(() => parsePayload(schemas['message:send'], noType)).message).toBe('attachments.0.type is missing.');
  });

  it('names are cleaned before they are measured', () => {
    expect(parsePayload(schemas.name, 'A\u200Bna\u00AD')).toBe('Ana');
    expect(parsePayload(schemas.name, `${'a'.repeat(64)}\u200B\u200B`)).toBe('a'.repeat(64));
    expect(failure(() => parsePayload(schemas.name, 'a'.repeat(65))).message).toBe('Names can be at most 64 characters long.');
    expect(failure(() => parsePayload(schemas.name, '\u202EanA')).message).toBe('Names cannot contain text-direction control characters.');
  });
});
