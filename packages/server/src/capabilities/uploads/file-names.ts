import { randomBytes } from 'node:crypto';
import { ID_LIMITS } from '@chat/protocol';

/** A stored file's name: 128 random bits (22 base64url characters), a dot, its extension. */
const STORED_NAME = /^([A-Za-z0-9_-]{22})\.([a-z0-9]{1,10})$/u;

/** A new random id for a stored file; nothing of the user's goes into a path. */
export function newFileId(): string {
  return randomBytes(16).toString('base64url');
}

/** Splits a requested stored name into its id and extension, or undefined when it is not one. */
export function parseStoredName(name: string): { id: string; ext: string } | undefined {
  const match = STORED_NAME.exec(name);
  return match ? { id: match[1] as string, ext: match[2] as string } : undefined;
}

/**
 * The stored file an attachment's URL names (its last path segment), or undefined when it names
 * none. A malformed escape (`%E0%A4%A`, which a message may carry) names none; it never throws.
 */
export function storedNameOfUrl(url: string): { id: string; ext: string } | undefined {
  const last = url.split(/[?#]/u)[0]?.split('/').at(-1) ?? '';
  try {
    return parseStoredName(decodeURIComponent(last));
  } catch {
    return undefined;
  }
}

/**
 * The name shown for an upload: the last part of what the client sent (no folders), without
 * control or text-direction characters (which could make `gnp.exe` look like `exe.png`), cut
 * to the attachment name limit; `file.<ext>` when nothing is left.
 */
export function displayName(raw: string, ext: string): string {
  const base = raw.split(/[/\\]/u).pop() ?? '';
  // With the u flag, [\ud800-\udfff] matches only lone surrogates (broken Unicode).
  const cleaned = base.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]/gu, '').trim();
  let cut = '';
  for (const char of cleaned) {
    if (cut.length + char.length > ID_LIMITS.attachmentName) break;
    cut += char;
  }
  cut = cut.trim();
  return cut === '' || cut === '.' || cut === '..' ? `file.${ext}` : cut;
}

/** Extensions that name the same type as the stored file's. */
const SAME_TYPE: Readonly<Record<string, readonly string[]>> = { jpg: ['jpeg', 'jpe'] };

/**
 * The name a file is offered under: the user's, with the stored file's extension added when it
 * does not already end with it, so that a text file named `x.html` (or `x.hta`) is saved as
 * `x.html.txt` and never opened as a page or a program.
 */
export function downloadName(name: string, ext: string): string {
  const lower = name.toLowerCase();
  return [ext, ...(SAME_TYPE[ext] ?? [])].some((e) => lower.endsWith(`.${e}`)) ? name : `${name}.${ext}`;
}

/**
 * A `Content-Disposition` value: `inline` or `attachment`, with an ASCII `filename` for old
 * clients and the exact name as RFC 8187 `filename*`.
 */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/gu, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
