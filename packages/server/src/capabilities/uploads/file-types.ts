/**
 * Which file types an upload may be, found from its content (never from its name or the
 * client's Content-Type), and how each is served back.
 */

/** Types that could run script in a page of the server's origin: never accepted, never served as such. */
const NEVER_SERVED = new Set([
  'text/html',
  'application/xhtml+xml',
  'image/svg+xml',
  'application/xml',
  'text/xml',
  'text/javascript',
  'application/javascript',
  'application/ecmascript',
  'text/ecmascript',
  'application/x-javascript',
  'text/css',
  'application/x-shockwave-flash',
  'multipart/x-mixed-replace',
]);

/** Images every browser shows without running anything: these alone are served `inline`. */
const INLINE_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif']);

/** The default `types` of `diskUploads`. */
export const DEFAULT_UPLOAD_TYPES: readonly string[] = Object.freeze([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
]);

/** Bytes of a file kept to decide whether it is plain text. */
export const TEXT_SAMPLE_BYTES = 4096;

/** A type found from content: its MIME type and the file extension it is stored under. */
export interface SniffedType {
  type: string;
  ext: string;
}

type FileTypeModule = typeof import('file-type');
let fileTypeModule: Promise<FileTypeModule> | undefined;

// file-type is ESM-only: a dynamic import() (which tsup keeps as import() in the CJS build)
// loads it from both builds without relying on require(esm).
function loadFileType(): Promise<FileTypeModule> {
  fileTypeModule ??= import('file-type');
  return fileTypeModule;
}

/**
 * Checks a `types` list: `type/subtype` or `type/*`, none that could run script (HTML, SVG,
 * XML, JavaScript), and none that content can never show (only `text/plain` is recognised as
 * text). Throws a TypeError naming the bad entry.
 */
export async function checkTypes(types: readonly string[]): Promise<void> {
  if (types.length === 0) throw new TypeError('diskUploads: types is empty, so every upload would be refused.');
  const { supportedMimeTypes } = await loadFileType();
  for (const entry of types) {
    const type = entry.toLowerCase();
    if (!/^[a-z0-9][a-z0-9!#$&^_.+-]*\/([a-z0-9][a-z0-9!#$&^_.+-]*|\*)$/u.test(type)) {
      throw new TypeError(`diskUploads: "${entry}" is not a MIME type such as image/png or image/*.`);
    }
    if (NEVER_SERVED.has(type)) throw new TypeError(`diskUploads: "${entry}" could run script in your pages; it cannot be allowed.`);
    if (type.endsWith('/*') || type === 'text/plain') continue;
    if (!supportedMimeTypes.has(type)) {
      throw new TypeError(`diskUploads: "${entry}" cannot be recognised from a file's content (only text/plain can among text types).`);
    }
  }
}

/** Whether `type` (found from content) is allowed by `types` (exact types and `type/*`). */
export function typeAllowed(type: string, types: readonly string[]): boolean {
  if (NEVER_SERVED.has(type)) return false;
  return types.some((entry) => {
    const allowed = entry.toLowerCase();
    return allowed === type || (allowed.endsWith('/*') && type.startsWith(allowed.slice(0, -1)));
  });
}

/**
 * The type of the file at `path`, from its content: what file-type finds (magic numbers), else
 * `text/plain` when `head` (its first bytes) is UTF-8 text that does not look like markup.
 * Undefined when neither.
 */
export async function sniffFile(path: string, head: Uint8Array, complete: boolean): Promise<SniffedType | undefined> {
  const { fileTypeFromFile } = await loadFileType();
  const found = await fileTypeFromFile(path);
  if (found) return { type: found.mime.toLowerCase(), ext: found.ext.toLowerCase() };
  return isPlainText(head, complete) ? { type: 'text/plain', ext: 'txt' } : undefined;
}

/**
 * Plain text: UTF-8 (a BOM allowed), no control characters but tab, line feed, form feed and
 * carriage return, and not starting with markup (`<` then a letter, `!`, `?` or `/`), so that
 * an HTML or SVG file is never taken for text. `complete` says whether `bytes` is the whole
 * file (else a character cut at the end of the sample is fine).
 */
export function isPlainText(bytes: Uint8Array, complete: boolean): boolean {
  const sample = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  let text: string | undefined;
  for (let cut = 0; cut <= (complete ? 0 : 3) && text === undefined; cut++) {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, sample.length - cut));
    } catch {
      // A multi-byte character cut by the end of the sample: try without its first bytes.
    }
  }
  if (text === undefined || text.trim() === '') return false;
  if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/u.test(text)) return false;
  return !/^\s*<[a-z!?/]/iu.test(text);
}

/** The Content-Type a stored file is served with: its sniffed type, never one that runs script. */
export function servedType(type: string): string {
  if (NEVER_SERVED.has(type) || !/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/u.test(type)) return 'application/octet-stream';
  return type === 'text/plain' ? 'text/plain; charset=utf-8' : type;
}

/** Whether a stored file of this type is shown in the page (`inline`) rather than downloaded. */
export function servedInline(type: string): boolean {
  return INLINE_IMAGES.has(type);
}
