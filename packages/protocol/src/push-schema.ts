// The schemas of push:subscribe and push:unsubscribe (see ./push.ts).
import * as v from 'valibot';
import { payload, plainObject } from './schema-parts.js';
import { PUSH_ENDPOINT_MAX, type PushSubscribePayload, type PushUnsubscribePayload } from './push.js';

// base64url of exactly 65 bytes (87 characters, or 88 with its one '=' of padding), starting with
// 0x04 (an uncompressed P-256 point: the first character is 'B'); of 16 bytes (22, or 24 with '==').
const P256DH = /^B[A-Za-z0-9_-]{86}=?$/u;
const AUTH = /^[A-Za-z0-9_-]{22}(==)?$/u;

function endpointSchema() {
  return v.pipe(
    v.string('endpoint must be a string.'),
    v.maxLength(PUSH_ENDPOINT_MAX, `endpoint must be at most ${PUSH_ENDPOINT_MAX} characters.`),
    v.check(isHttpsUrl, 'endpoint must be an https:// URL.'),
  );
}

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.username === '' && url.password === '' && url.href === value;
  } catch {
    return false;
  }
}

/** The schemas of the push events. */
export function createPushSchemas() {
  const endpoint = endpointSchema();
  const keys = plainObject(
    {
      p256dh: v.pipe(
        v.string('keys.p256dh must be a string.'),
        v.maxLength(88, 'keys.p256dh must be 65 bytes in base64url (87 characters).'),
        v.regex(P256DH, 'keys.p256dh must be an uncompressed P-256 public key: 65 bytes in base64url.'),
      ),
      auth: v.pipe(
        v.string('keys.auth must be a string.'),
        v.maxLength(24, 'keys.auth must be 16 bytes in base64url (22 characters).'),
        v.regex(AUTH, 'keys.auth must be 16 bytes in base64url (22 characters).'),
      ),
    },
    'keys must be an object with p256dh and auth.',
  );
  const subscription = plainObject(
    {
      endpoint,
      expirationTime: v.optional(
        v.nullable(
          v.pipe(
            v.number('expirationTime must be a number or null.'),
            v.integer('expirationTime must be a whole number of milliseconds.'),
            v.minValue(0, 'expirationTime must not be negative.'),
            // The latest time a JavaScript Date holds (a year 275760): past it, no store keeps the number.
            v.maxValue(8.64e15, 'expirationTime must be a time in milliseconds since 1970, at most 8640000000000000.'),
          ),
        ),
      ),
      keys,
    },
    'subscription must be an object with endpoint and keys (PushSubscription.toJSON()).',
  );
  return {
    'push:subscribe': plainObject({ subscription }, payload) satisfies v.GenericSchema<unknown, PushSubscribePayload>,
    'push:unsubscribe': plainObject({ endpoint }, payload) satisfies v.GenericSchema<unknown, PushUnsubscribePayload>,
  };
}
