import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { contentDisposition, downloadName, parseStoredName } from './file-names.js';
import { servedInline, servedType } from './file-types.js';

/** What is kept next to each stored file, as `<id>.json`. */
export interface StoredMeta {
  /** The stored file's name, `<id>.<ext>`. */
  file: string;
  /** The type found from content. */
  type: string;
  /** The name shown (already cleaned). */
  name: string;
  size: number;
  /** Who uploaded it. */
  userId: string;
  /** The room it was uploaded for, if the upload named one (kept since encrypted messages declare their files). */
  roomId?: string;
  createdAt: string;
}

/**
 * Answers `GET` / `HEAD` of a stored file: its sniffed type (never one that runs script),
 * `nosniff`, a sandboxing CSP, `inline` only for plain images (else `attachment`), and single
 * byte ranges. Resolves false when there is no such file (the caller answers 404).
 */
export async function serveStoredFile(dir: string, requested: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const parsed = parseStoredName(requested);
  if (!parsed) return false;
  const meta = await readMeta(dir, parsed.id);
  if (!meta || meta.file !== requested) return false;
  const path = join(dir, meta.file);
  const size = await stat(path).then(
    (s) => (s.isFile() ? s.size : undefined),
    () => undefined,
  );
  if (size === undefined) return false;

  const etag = `"${parsed.id}"`;
  res.setHeader('content-type', servedType(meta.type));
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('content-security-policy', "default-src 'none'; sandbox");
  res.setHeader(
    'content-disposition',
    contentDisposition(servedInline(meta.type) ? 'inline' : 'attachment', downloadName(meta.name, parsed.ext)),
  );
  // A stored file never changes (a new upload gets a new name); "private": it may be in a private room.
  res.setHeader('cache-control', 'private, max-age=31536000, immutable');
  res.setHeader('etag', etag);
  res.setHeader('accept-ranges', 'bytes');
  if (req.headers['if-none-match'] === etag) {
    res.statusCode = 304;
    res.end();
    return true;
  }

  const ifRange = req.headers['if-range'];
  const range = parseRange(req.headers.range, size, typeof ifRange === 'string' ? ifRange : undefined, etag);
  if (range === 'unsatisfiable') {
    res.statusCode = 416;
    res.setHeader('content-range', `bytes */${size}`);
    res.end();
    return true;
  }
  const [start, end] = range ?? [0, size - 1];
  res.statusCode = range ? 206 : 200;
  if (range) res.setHeader('content-range', `bytes ${start}-${end}/${size}`);
  res.setHeader('content-length', String(size === 0 ? 0 : end - start + 1));
  if (req.method === 'HEAD' || size === 0) {
    res.end();
    return true;
  }
  // A client that goes away mid-download ends the pipeline with an error: nothing to answer then.
  await pipeline(createReadStream(path, { start, end }), res).catch(() => res.destroy());
  return true;
}

/** The description kept next to a stored file, or undefined when there is none (or it is not one). */
export async function readMeta(dir: string, id: string): Promise<StoredMeta | undefined> {
  try {
    const meta = JSON.parse(await readFile(join(dir, `${id}.json`), 'utf8')) as Partial<StoredMeta>;
    if (typeof meta.file !== 'string' || typeof meta.type !== 'string' || typeof meta.name !== 'string') return undefined;
    return meta as StoredMeta;
  } catch {
    return undefined;
  }
}

/**
 * The one byte range asked for (`bytes=0-99`, `bytes=100-`, `bytes=-100`), 'unsatisfiable',
 * or undefined for the whole file (no Range, several ranges, an If-Range that does not match).
 */
function parseRange(
  header: string | undefined,
  size: number,
  ifRange: string | undefined,
  etag: string,
): [number, number] | 'unsatisfiable' | undefined {
  if (!header || (ifRange !== undefined && ifRange !== etag)) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/u.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return [start, end];
}
