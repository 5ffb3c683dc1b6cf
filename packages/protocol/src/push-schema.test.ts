import { createECDH, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChatError } from './errors.js';
import { DEFAULT_LIMITS } from './limits.js';
import { parsePayload } from './parse-payload.js';
import { createPayloadSchemas } from './schemas.js';

const schemas = createPayloadSchemas(DEFAULT_LIMITS);

/** A subscription as a browser gives it: a real P-256 public key and a 16-byte secret. */
function subscription(endpoint = 'https://fcm.googleapis.com/fcm/send/abc:def') {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    endpoint,
    expirationTime: null,
    keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') },
  };
}

function refusal(schema: keyof typeof schemas & `push:${string}`, input: unknown): ChatError {
  try {
    parsePayload(schemas[schema], input);
  } catch (error) {
    return error as ChatError;
  }
  throw new Error('expected a refusal');
}

describe('push payload schemas', () => {
  it('accept a browser subscription (unpadded or padded keys) and drop unknown fields', () => {
    const sub = subscription();
    expect(parsePayload(schemas['push:subscribe'], { subscription: { ...sub, extra: 1 }, other: true })).toEqual({ subscription: sub });
    const padded = { ...sub, keys: { p256dh: `${sub.keys.p256dh}=`, auth: `${sub.keys.auth}==` } };
    expect(parsePayload(schemas['push:subscribe'], { subscription: padded }).subscription.keys).toEqual(padded.keys);
    const { expirationTime: _, ...noExpiry } = sub;
    expect(parsePayload(schemas['push:subscribe'], { subscription: noExpiry })).toEqual({ subscription: noExpiry });
    expect(parsePayload(schemas['push:unsubscribe'], { endpoint: sub.endpoint })).toEqual({ endpoint: sub.endpoint });
  });

  it.each([
    ['an http endpoint', { endpoint: 'http://fcm.googleapis.com/fcm/send/x' }, 'endpoint must be an https:// URL.'],
    ['an endpoint with credentials', { endpoint: 'https://user:pw@fcm.googleapis.com/x' }, 'endpoint must be an https:// URL.'],
    ['an endpoint that is not a URL', { endpoint: 'fcm.googleapis.com' }, 'endpoint must be an https:// URL.'],
    ['a huge endpoint', { endpoint: `https://fcm.googleapis.com/${'a'.repeat(2000)}` }, 'endpoint must be at most 1024 characters.'],
    [
      'a p256dh of the wrong length',
      { keys: { p256dh: 'B'.repeat(40), auth: 'a'.repeat(22) } },
      'keys.p256dh must be an uncompressed P-256 public key: 65 bytes in base64url.',
    ],
    [
      'a compressed p256dh',
      { keys: { p256dh: `A${'a'.repeat(86)}`, auth: 'a'.repeat(22) } },
      'keys.p256dh must be an uncompressed P-256 public key: 65 bytes in base64url.',
    ],
    [
      'a huge p256dh',
      { keys: { p256dh: 'B'.repeat(100_000), auth: 'a'.repeat(22) } },
      'keys.p256dh must be 65 bytes in base64url (87 characters).',
    ],
    [
      'an auth of 17 bytes',
      { keys: { p256dh: `B${'a'.repeat(86)}`, auth: 'a'.repeat(23) } },
      'keys.auth must be 16 bytes in base64url (22 characters).',
    ],
    [
      'an auth in standard base64',
      { keys: { p256dh: `B${'a'.repeat(86)}`, auth: `${'a'.repeat(20)}+/` } },
      'keys.auth must be 16 bytes in base64url (22 characters).',
    ],
    ['no keys', { keys: undefined }, 'keys must be an object with p256dh and auth.'],
    ['a negative expirationTime', { expirationTime: -1 }, 'expirationTime must not be negative.'],
    ['an expirationTime past any date', { expirationTime: 1e19 }, 'expirationTime must be a time in milliseconds since 1970'],
    ['an expirationTime of 1e300', { expirationTime: 1e300 }, 'expirationTime must be a time in milliseconds since 1970'],
  ])('refuse %s with VALIDATION_FAILED and a sentence', (_, change, message) => {
    const error = refusal('push:subscribe', { subscription: { ...subscription(), ...change } });
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain(message);
  });

  it('refuse a subscription that is not an object, and an unsubscribe without an https endpoint', () => {
    expect(refusal('push:subscribe', { subscription: [] }).message).toContain('subscription must be an object');
    expect(refusal('push:subscribe', {}).code).toBe('VALIDATION_FAILED');
    expect(refusal('push:unsubscribe', { endpoint: 42 }).message).toContain('endpoint must be a string.');
    expect(refusal('push:unsubscribe', { endpoint: 'ftp://x/y' }).message).toContain('endpoint must be an https:// URL.');
  });
});
