// ts-mls signs and verifies Ed25519 through WebCrypto, importing the key again for every call: an
// import of a PKCS#8 private key is most of an encrypt's own time in Node (OpenSSL 3 parses the
// DER each time), and a raw public key's import is paid on every decrypt. This wraps the suite's
// `Signature` so that each key is imported once and its CryptoKey reused: the same WebCrypto
// calls, fewer of them. No cryptography here: the signing and the checking stay WebCrypto's.
import type { Signature } from 'ts-mls/crypto/signature.js';

interface Imported {
  /** A copy of the bytes the key was imported from: a changed array is imported again. */
  bytes: Uint8Array;
  key: Promise<CryptoKey>;
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** WebCrypto wants bytes on an ArrayBuffer (not a SharedArrayBuffer): copied only when they are not. */
function own(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}

/**
 * The key imported from `bytes`, from `cache` when the same array (with the same content) was
 * imported before. Keyed by the array itself (a WeakMap): a key leaves the cache with its state.
 */
function imported(
  cache: WeakMap<Uint8Array, Imported>,
  bytes: Uint8Array,
  load: (bytes: Uint8Array<ArrayBuffer>) => Promise<CryptoKey>,
): Promise<CryptoKey> {
  const hit = cache.get(bytes);
  if (hit !== undefined && same(hit.bytes, bytes)) return hit.key;
  const copy = bytes.slice();
  const key = load(copy);
  cache.set(bytes, { bytes: copy, key });
  key.catch(() => cache.delete(bytes));
  return key;
}

/**
 * `signature` (ts-mls's Ed25519 over WebCrypto) with each private and public key imported once.
 * Raw 32-byte private keys (not what ts-mls makes) and a page without WebCrypto go to `signature`.
 */
export function cachedEd25519(signature: Signature, subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle): Signature {
  if (subtle === undefined) return signature;
  const privateKeys = new WeakMap<Uint8Array, Imported>();
  const publicKeys = new WeakMap<Uint8Array, Imported>();
  return {
    keygen: () => signature.keygen(),
    async sign(signKey, message) {
      if (signKey.length === 32) return signature.sign(signKey, message);
      const key = await imported(privateKeys, signKey, (pkcs8) => subtle.importKey('pkcs8', pkcs8, 'Ed25519', false, ['sign']));
      return new Uint8Array(await subtle.sign('Ed25519', key, own(message)));
    },
    async verify(publicKey, message, signed) {
      const key = await imported(publicKeys, publicKey, (raw) => subtle.importKey('raw', raw, 'Ed25519', false, ['verify']));
      return subtle.verify('Ed25519', key, own(signed), own(message));
    },
  };
}
