// The one ciphersuite of encrypted rooms (docs/security.md), made once per page or process.
import { E2EE_CIPHERSUITE } from '@chat/protocol';
import { getCiphersuiteFromName, type CiphersuiteImpl } from 'ts-mls/crypto/ciphersuite.js';
import { getCiphersuiteImpl } from 'ts-mls/crypto/getCiphersuiteImpl.js';

let suite: Promise<CiphersuiteImpl> | undefined;

/** ts-mls's implementation of `E2EE_CIPHERSUITE` (WebCrypto underneath). */
export function mlsSuite(): Promise<CiphersuiteImpl> {
  suite ??= getCiphersuiteImpl(getCiphersuiteFromName(E2EE_CIPHERSUITE));
  return suite;
}
