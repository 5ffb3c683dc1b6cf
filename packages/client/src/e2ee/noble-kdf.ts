// ts-mls's HKDF (`CiphersuiteImpl.kdf`) is @hpke/core's over WebCrypto: it imports the secret as an
// HMAC key and runs each HMAC as a WebCrypto job on another thread (libuv's pool in Node), five per
// message (a ratchet's next secret, key and nonce, the sender data's key and nonce), each a hand-off
// and a chance to wait for a core. @noble/hashes (audited, no dependencies; ts-mls's own noble
// provider takes its HMAC from it) computes the same HKDF and HMAC (RFC 5869, RFC 2104) on the
// calling thread. This gives the suite's KDF and MAC from it: no cryptography is written here.
import { expand, extract } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { Hash } from 'ts-mls/crypto/hash.js';
import type { Kdf } from 'ts-mls/crypto/kdf.js';
import { constantTimeEqual } from 'ts-mls/util/constantTimeCompare.js';

/** HKDF-SHA256 (RFC 5869) as ts-mls's `Kdf`, by @noble/hashes on the calling thread. */
export const nobleHkdfSha256: Kdf = {
  async extract(salt, ikm) {
    return extract(sha256, ikm, salt);
  },
  async expand(prk, info, len) {
    return expand(sha256, prk, info, len);
  },
  size: sha256.outputLen,
};

/**
 * `hash` (ts-mls's SHA-256 `Hash`) with its HMAC (`mac`, `verifyMac`) by @noble/hashes on the
 * calling thread; `digest` stays `hash`'s. A tag is compared in constant time (ts-mls's compare).
 */
export function withNobleHmacSha256(hash: Hash): Hash {
  return {
    digest: (data) => hash.digest(data),
    async mac(key, data) {
      return hmac(sha256, key, data);
    },
    async verifyMac(key, tag, data) {
      return constantTimeEqual(tag, hmac(sha256, key, data));
    },
  };
}
