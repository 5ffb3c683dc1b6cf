// The one ciphersuite of encrypted rooms (docs/security.md), made once per page or process.
import { E2EE_CIPHERSUITE } from '@chat/protocol';
import { getCiphersuiteFromName, type CiphersuiteImpl } from 'ts-mls/crypto/ciphersuite.js';
import { getCiphersuiteImpl } from 'ts-mls/crypto/getCiphersuiteImpl.js';
import { cachedEd25519 } from './signature-keys.js';

let suite: Promise<CiphersuiteImpl> | undefined;

/** ts-mls's implementation of `E2EE_CIPHERSUITE` (WebCrypto underneath), its Ed25519 keys imported once each. */
export function mlsSuite(): Promise<CiphersuiteImpl> {
  const name = getCiphersuiteFromName(E2EE_CIPHERSUITE);
  suite ??= getCiphersuiteImpl(name).then((impl) =>
    name.signature === 'Ed25519' ? { ...impl, signature: cachedEd25519(impl.signature) } : impl,
  );
  return suite;
}
