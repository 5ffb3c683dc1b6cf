import { createWriteStream, type WriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import busboy from 'busboy';
import { builtInError, ChatError } from '@chat/protocol';
import { newFileId } from './file-names.js';
import { TEXT_SAMPLE_BYTES } from './file-types.js';

/** Bytes of a multipart body that are not the file: boundaries and part headers. */
const FORM_OVERHEAD_BYTES = 16 * 1024;

/** Prefix of the files an upload is written to while it streams in. */
export const PART_PREFIX = '.part-';

/** A file received into a temporary file of `dir`, not yet checked. */
export interface ReceivedFile {
  tempPath: string;
  size: number;
  /** Its first bytes (up to `TEXT_SAMPLE_BYTES`). */
  head: Uint8Array;
  /** The name the client gave it (unchecked). */
  clientName: string;
}

/** Bytes received so far, for the quota (also when the upload is refused). */
export interface ReceiveProgress {
  bytes: number;
}

/**
 * Streams the one file of a `multipart/form-data` request into a temporary file of `dir`, never
 * holding more than a chunk in memory. Refuses with `PAYLOAD_TOO_LARGE` as soon as more than
 * `maxBytes` arrived, and with `VALIDATION_FAILED` a request that is not one file; on any
 * failure, or when the client goes away, the temporary file is removed before the promise settles.
 */
export function receiveToTempFile(req: IncomingMessage, dir: string, maxBytes: number, progress: ReceiveProgress): Promise<ReceivedFile> {
  return new Promise<ReceivedFile>((resolve, reject) => {
    const type = req.headers['content-type'] ?? '';
    if (!/^multipart\/form-data\b/iu.test(type)) {
      reject(builtInError('VALIDATION_FAILED', 'Send the file as multipart/form-data, in one field named "file".'));
      return;
    }
    // A body announced larger than the file limit plus room for the form's own lines is refused before reading it.
    if (Number(req.headers['content-length'] ?? 0) > maxBytes + FORM_OVERHEAD_BYTES) {
      reject(builtInError('PAYLOAD_TOO_LARGE', `Files can be at most ${formatBytes(maxBytes)}.`));
      return;
    }
    let parser: busboy.Busboy;
    try {
      // busboy signals a limit on reaching it: fileSize is one over, so that a file of exactly maxBytes
      // is fine; files and fields signal when one more arrives.
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { files: 1, fields: 0, fileSize: maxBytes + 1, headerPairs: 20 },
      });
    } catch (error) {
      reject(builtInError('VALIDATION_FAILED', 'The upload is not a valid multipart/form-data request.', { cause: error }));
      return;
    }

    let settled = false;
    let tempPath: string | undefined;
    let writer: WriteStream | undefined;
    let fileWritten = false;
    let formDone = false;
    let clientName = '';
    const headChunks: Buffer[] = [];
    let headBytes = 0;

    const fail = (error: ChatError): void => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      // The temporary file is removed only once its stream closed: a stream destroyed while
      // still opening would otherwise create the file after the unlink.
      const closed = writer ? finished(writer.destroy()).catch(() => undefined) : Promise.resolve();
      closed
        .then(() => (tempPath ? unlink(tempPath) : undefined))
        .catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)))
        .then(
          () => reject(error),
          (cause: unknown) => reject(builtInError('INTERNAL', 'The upload failed.', { cause })),
        );
    };
    const finish = (): void => {
      if (settled || !fileWritten || !formDone) return;
      settled = true;
      resolve({ tempPath: tempPath as string, size: progress.bytes, head: new Uint8Array(Buffer.concat(headChunks)), clientName });
    };

    parser.on('file', (_field, stream, info) => {
      clientName = info.filename ?? '';
      tempPath = join(dir, `${PART_PREFIX}${newFileId()}`);
      // wx: a new file, never one that exists (the name is random, this makes sure).
      writer = createWriteStream(tempPath, { flags: 'wx', mode: 0o644 });
      writer.on('error', (cause) => fail(builtInError('INTERNAL', 'The upload could not be stored.', { cause })));
      writer.on('finish', () => {
        fileWritten = true;
        finish();
      });
      stream.on('error', (cause) =>
        fail(builtInError('VALIDATION_FAILED', 'The upload is not a valid multipart/form-data request.', { cause })),
      );
      stream.on('limit', () => fail(builtInError('PAYLOAD_TOO_LARGE', `Files can be at most ${formatBytes(maxBytes)}.`)));
      stream.on('data', (chunk: Buffer) => {
        progress.bytes += chunk.length;
        if (headBytes < TEXT_SAMPLE_BYTES) {
          const part = chunk.subarray(0, TEXT_SAMPLE_BYTES - headBytes);
          headChunks.push(Buffer.from(part));
          headBytes += part.length;
        }
      });
      stream.pipe(writer);
    });
    const onlyOneFile = () => fail(builtInError('VALIDATION_FAILED', 'Send one file, in one field named "file", and nothing else.'));
    parser.on('filesLimit', onlyOneFile);
    parser.on('fieldsLimit', onlyOneFile);
    parser.on('error', (cause) =>
      fail(builtInError('VALIDATION_FAILED', 'The upload is not a valid multipart/form-data request.', { cause })),
    );
    parser.on('close', () => {
      formDone = true;
      if (!writer) fail(builtInError('VALIDATION_FAILED', 'The form has no file: send it in a field named "file".'));
      else finish();
    });
    // The client went away before the whole body arrived (closed tab, lost network).
    req.on('close', () => {
      if (!req.complete) fail(builtInError('VALIDATION_FAILED', 'The upload was cut off before it finished.'));
    });
    req.pipe(parser);
  });
}

/** `10 MB`, `512 KB`, `900 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}
