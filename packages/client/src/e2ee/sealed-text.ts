// What an encrypted message holds inside MLS: its text, its files (each with the key that opens
// it), the id of the user who wrote it, and for an edit the id of the message it replaces. A
// reader checks the author against the sender the server names, and an edit against the message
// it arrives as (a member cannot pass their words off as another's, nor a ciphertext of one
// message off as an edit of another).
import { VOICE_WAVEFORM_MAX, type Attachment, type AttachmentEncryption } from '@chat/protocol';

/** The content of an encrypted message or edit. */
export interface SealedContent {
  text: string;
  /** Its files, each with `e2ee` (the key that opens it) when it was encrypted before the upload. */
  attachments: Attachment[];
}

/** The plaintext of an encrypted message or edit (version 1), as docs/protocol.md describes it. */
export function sealPlaintext(sender: string, content: SealedContent, edit?: string): Uint8Array {
  const value = {
    v: 1,
    sender,
    text: content.text,
    ...(edit !== undefined && { edit }),
    ...(content.attachments.length > 0 && { files: content.attachments }),
  };
  return new TextEncoder().encode(JSON.stringify(value));
}

/**
 * The content, if the plaintext is well formed, written by `sender`, and an edit of `edit` (or,
 * without `edit`, no edit at all); undefined otherwise.
 */
export function openPlaintext(plaintext: Uint8Array, sender: string, edit?: string): SealedContent | undefined {
  try {
    const value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext)) as Record<string, unknown>;
    if (value.v !== 1 || value.sender !== sender || typeof value.text !== 'string' || value.edit !== edit) return undefined;
    const files = value.files ?? [];
    if (!Array.isArray(files) || !files.every(isFile)) return undefined;
    return { text: value.text, attachments: files };
  } catch {
    return undefined;
  }
}

function isFile(value: unknown): value is Attachment {
  if (typeof value !== 'object' || value === null) return false;
  const f = value as Record<string, unknown>;
  return (
    typeof f.url === 'string' &&
    typeof f.type === 'string' &&
    (f.name === undefined || typeof f.name === 'string') &&
    (f.size === undefined || typeof f.size === 'number') &&
    (f.e2ee === undefined || isKey(f.e2ee)) &&
    isVoice(f)
  );
}

// A voice file's fields are the same shape the server checks in rooms it can read (it sees none of these).
function isVoice(f: Record<string, unknown>): boolean {
  if (f.kind === undefined) return f.durationMs === undefined && f.waveform === undefined;
  const { durationMs, waveform } = f;
  return (
    f.kind === 'voice' &&
    Number.isSafeInteger(durationMs) &&
    (durationMs as number) > 0 &&
    (waveform === undefined ||
      (Array.isArray(waveform) &&
        waveform.length <= VOICE_WAVEFORM_MAX &&
        waveform.every((x) => Number.isInteger(x) && x >= 0 && x <= 255)))
  );
}

function isKey(value: unknown): value is AttachmentEncryption {
  if (typeof value !== 'object' || value === null) return false;
  const k = value as Record<string, unknown>;
  return typeof k.key === 'string' && typeof k.iv === 'string' && typeof k.sha256 === 'string';
}
