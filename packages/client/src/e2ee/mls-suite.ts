// The one ciphersuite of encrypted rooms (docs/security.md), made once per page or process.
import { getCiphersuiteFromName, type CiphersuiteImpl } from 'ts-mls/crypto/ciphersuite.js';
import { getCiphersuiteImpl } from 'ts-mls/crypto/getCiphersuiteImpl.js';

/** The ciphersuite every encrypted room uses. */
export const MLS_CIPHERSUITE = 'MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519';

let suite: Promise<CiphersuiteImpl> | undefined;

/** ts-mls's implementation of `MLS_CIPHERSUITE` (WebCrypto underneath). */
export function mlsSuite(): Promise<CiphersuiteImpl> {
  suite ??= getCiphersuiteImpl(getCiphersuiteFromName(MLS_CIPHERSUITE));
  return suite;
}
