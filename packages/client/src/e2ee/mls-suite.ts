// The one ciphersuite of encrypted rooms (docs/security.md), made once per page or process.
import { E2EE_CIPHERSUITE } from '@chat/protocol';
import { getCiphersuiteFromName, type CiphersuiteImpl } from 'ts-mls/crypto/ciphersuite.js';
import { getCiphersuiteImpl } from 'ts-mls/crypto/getCiphersuiteImpl.js';
import { nobleHkdfSha256, withNobleHmacSha256 } from './noble-kdf.js';
import { cachedEd25519 } from './signature-keys.js';

let suite: Promise<CiphersuiteImpl> | undefined;

/**
 * ts-mls's implementation of `E2EE_CIPHERSUITE`: WebCrypto for the messages' AES-GCM, HPKE (X25519,
 * with @hpke/core's own HKDF), SHA-256 digests and Ed25519 (each key imported once); the key
 * schedule's and ratchets' HKDF and the HMAC by @noble/hashes on the calling thread
 * (`noble-kdf.ts`: the same bytes without a thread-pool job per HMAC).
 */
export function mlsSuite(): Promise<CiphersuiteImpl> {
  const name = getCiphersuiteFromName(E2EE_CIPHERSUITE);
  suite ??= getCiphersuiteImpl(name).then((impl) => ({
    ...impl,
    ...(name.hpke.kdf === 'HKDF-SHA256' && { kdf: nobleHkdfSha256 }),
    ...(name.hash === 'SHA-256' && { hash: withNobleHmacSha256(impl.hash) }),
    ...(name.signature === 'Ed25519' && { signature: cachedEd25519(impl.signature) }),
  }));
  return suite;
}
