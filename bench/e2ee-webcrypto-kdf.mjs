// The e2ee-100 bench's A/B of the suite's HKDF and HMAC (E2EE_KDF=webcrypto, bench/e2ee.mjs): gives
// the SDK's ciphersuite back ts-mls's own `kdf` and `hash` from its default provider (@hpke/core's
// HKDF and an HMAC over WebCrypto, a thread-pool job per HMAC), as the SDK had them before
// `noble-kdf.ts`. Everything else of the suite stays the SDK's. Called before any use of the suite.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

// ts-mls as @chat/client resolves it: a dependency of the SDK, not of the repository's root.
const fromClient = createRequire(new URL('../packages/client/package.json', import.meta.url));
const tsMls = (path) => import(pathToFileURL(fromClient.resolve(`ts-mls/${path}`)).href);

export default async function webCryptoKdf(suite) {
  const { getCiphersuiteFromName } = await tsMls('crypto/ciphersuite.js');
  const { getCiphersuiteImpl } = await tsMls('crypto/getCiphersuiteImpl.js');
  const plain = await getCiphersuiteImpl(getCiphersuiteFromName(suite.name));
  suite.kdf = plain.kdf;
  suite.hash = plain.hash;
}
