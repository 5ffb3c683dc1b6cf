// Files of encrypted rooms, encrypted before the upload with WebCrypto (the attachment scheme of
// Signal and Matrix): a fresh AES-256-GCM key and IV per file; the key, the IV and the SHA-256 of
// the ciphertext travel inside the MLS-encrypted message, never to the server in clear.
import { builtInError, type AttachmentEncryption } from '@chat/protocol';
import { fromBase64, toBase64 } from './base64.js';

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

/** The file encrypted under a fresh key, and what opens it. */
export async function sealFile(file: Blob): Promise<{ ciphertext: Blob; encryption: AttachmentEncryption }> {
  const key = await subtle().generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt']);
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await subtle().encrypt({ name: 'AES-GCM', iv }, key, await file.arrayBuffer()));
  const raw = new Uint8Array(await subtle().exportKey('raw', key));
  const sha256 = new Uint8Array(await subtle().digest('SHA-256', sealed));
  return {
    ciphertext: new Blob([sealed], { type: 'application/octet-stream' }),
    encryption: { key: toBase64(raw), iv: toBase64(iv), sha256: toBase64(sha256) },
  };
}

/** The file's bytes, once the ciphertext's SHA-256 matched and AES-GCM opened it (`VALIDATION_FAILED` otherwise). */
export async function openSealedFile(ciphertext: Uint8Array<ArrayBuffer>, encryption: AttachmentEncryption): Promise<Uint8Array> {
  const sha256 = toBase64(new Uint8Array(await subtle().digest('SHA-256', ciphertext)));
  if (sha256 !== encryption.sha256) {
    throw builtInError('VALIDATION_FAILED', 'This file is not the one that was sent (its SHA-256 differs), so it was not opened.');
  }
  try {
    const key = await subtle().importKey('raw', fromBase64(encryption.key) as Uint8Array<ArrayBuffer>, 'AES-GCM', false, ['decrypt']);
    const iv = fromBase64(encryption.iv) as Uint8Array<ArrayBuffer>;
    return new Uint8Array(await subtle().decrypt({ name: 'AES-GCM', iv }, key, ciphertext));
  } catch (error) {
    throw builtInError('VALIDATION_FAILED', 'This file could not be decrypted with the key its message gave, so it was not opened.', {
      cause: error,
    });
  }
}
