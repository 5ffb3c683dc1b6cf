// A preview's image, fetched the safe way (outbound-get.ts), bounded in size, and kept only if its
// bytes are a PNG, JPEG, GIF or WebP (never SVG, which can hold script): the chat server serves it
// from `GET /previews/<sha256>`, so a reader's address never reaches the site.
import { createHash } from 'node:crypto';
import { outboundGet, type BodyReader, type OutboundGetSettings, type ResponseHead } from './outbound-get.js';
import { failed, PreviewFailureReason, type Outcome, type PreviewFailure } from './preview-outcome.js';

/** The image types a preview may show, recognised by their bytes. */
const PREVIEW_IMAGE_TYPES: readonly string[] = Object.freeze(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** An image fetched for a preview. */
export interface PreviewImage {
  /** SHA-256 of the bytes, hex: the image's name on the chat server. */
  readonly hash: string;
  /** Its type, found from its bytes: one of {@link PREVIEW_IMAGE_TYPES}. */
  readonly mime: string;
  readonly bytes: Uint8Array;
}

/** Where the chat server serves an image of a preview, from its root. */
export function previewImagePath(hash: string): string {
  return `/previews/${hash}`;
}

/** The settings of an image's fetch: those of any GET but its `Accept`; `maxBytes` is the largest image kept. */
export type ImageFetchSettings = Omit<OutboundGetSettings, 'accept'>;

type FileTypeModule = typeof import('file-type');
let fileTypeModule: Promise<FileTypeModule> | undefined;

// file-type is ESM-only: a dynamic import() (which tsup keeps as import() in the CJS build) loads
// it from both builds; only when a preview has an image.
function loadFileType(): Promise<FileTypeModule> {
  fileTypeModule ??= import('file-type');
  return fileTypeModule;
}

/** Fetches the image at `url`; a failure when it is too large, no allowed image, or cannot be fetched. */
export async function fetchPreviewImage(url: string | URL, settings: ImageFetchSettings): Promise<Outcome<PreviewImage>> {
  const fetched = await outboundGet(url, { ...settings, accept: PREVIEW_IMAGE_TYPES.join(',') }, (head) =>
    imageReader(head, settings.maxBytes),
  );
  if (!fetched.ok) return fetched;
  const { url: where, bytes } = fetched.value;
  const { fileTypeFromBuffer } = await loadFileType();
  const mime = (await fileTypeFromBuffer(bytes))?.mime;
  if (mime === undefined || !PREVIEW_IMAGE_TYPES.includes(mime)) {
    return failed(
      PreviewFailureReason.NotImage,
      `${where.href} is not a PNG, JPEG, GIF or WebP image by its bytes (${mime ?? 'no type recognised'})`,
    );
  }
  return { ok: true, value: { hash: createHash('sha256').update(bytes).digest('hex'), mime, bytes } };
}

function imageReader(head: ResponseHead, maxBytes: number): BodyReader<{ url: URL; bytes: Uint8Array }> | PreviewFailure {
  const tooLarge = () => failed(PreviewFailureReason.TooLarge, `${head.url.href} is an image larger than ${maxBytes} bytes`);
  if (head.contentLength !== undefined && head.contentLength > maxBytes) return tooLarge();
  const chunks: Uint8Array[] = [];
  return {
    write: (chunk) => {
      chunks.push(chunk);
      return false;
    },
    end: (cut) => (cut ? tooLarge() : { ok: true, value: { url: head.url, bytes: Buffer.concat(chunks) } }),
  };
}
