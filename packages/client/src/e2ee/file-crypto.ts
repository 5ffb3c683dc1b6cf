// Files of encrypted rooms, encrypted before the upload with WebCrypto (the attachment scheme of
// Signal and Matrix): a fresh AES-256-GCM key and IV per file; the key, the IV and the SHA-256 of
// the ciphertext travel inside the MLS-encrypted message, never to the server in clear.
import { builtInError, type Attachment, type AttachmentEncryption } from '@chat/protocol';
import { fromBase64, toBase64 } from './base64.js';

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

/** The file encrypted under a fresh key, and what opens it. */
async function sealFile(file: Blob): Promise<{ ciphertext: Blob; encryption: AttachmentEncryption }> {
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
async function openSealedFile(ciphertext: Uint8Array<ArrayBuffer>, encryption: AttachmentEncryption): Promise<Uint8Array> {
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

/** What an upload's options say of its file: the room it is for, and its name. */
export interface SealedUploadOptions {
  roomId?: string;
  name?: string;
}

/** Encrypts `file`, has `upload` send the ciphertext named `file`, and answers the attachment with its real name, type, size and key. */
export async function uploadSealed<O extends SealedUploadOptions>(
  file: Blob,
  options: O,
  upload: (file: Blob, options: O) => Promise<Attachment>,
): Promise<Attachment> {
  const name = options.name ?? (typeof (file as { name?: unknown }).name === 'string' ? (file as File).name : undefined);
  const { ciphertext, encryption } = await sealFile(file);
  const uploaded = await upload(ciphertext, { ...options, name: 'file' });
  return {
    url: uploaded.url,
    type: file.type === '' ? 'application/octet-stream' : file.type,
    ...(name !== undefined && { name }),
    size: file.size,
    e2ee: encryption,
  };
}

/** An encrypted room's file (`client.e2ee.openFile`): downloaded, checked, decrypted. */
export async function openFile(attachment: Attachment, signal?: AbortSignal): Promise<Blob> {
  const encryption = attachment.e2ee;
  if (encryption === undefined) {
    throw builtInError('VALIDATION_FAILED', 'This attachment was not encrypted (it has no e2ee key): fetch its url instead.');
  }
  const answer = await fetch(attachment.url, signal ? { signal } : {});
  if (!answer.ok) {
    const code = answer.status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED';
    throw builtInError(code, `The encrypted file could not be downloaded (HTTP ${answer.status}): it was removed, or the link is wrong.`);
  }
  const bytes = await openSealedFile(new Uint8Array(await answer.arrayBuffer()), encryption);
  return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: attachment.type });
}
