import { link, mkdir, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { builtInError, ChatError, VOICE_TYPES, type Attachment, type AttachmentKind, type ChatUser, type Message } from '@chat/protocol';
import type { UploadFile } from './chat-uploads.js';
import { displayName, newFileId } from './file-names.js';
import { DEFAULT_UPLOAD_TYPES, checkTypes, sniffFile, typeAllowed, type SniffedType } from './file-types.js';
import { PART_PREFIX, formatBytes, receiveToTempFile, type ReceiveProgress, type ReceivedFile } from './receive-upload.js';
import { serveStoredFile, type StoredMeta } from './serve-upload.js';
import { UploadQuota } from './upload-quota.js';
import { sniffVoice, voiceRefused } from './voice-types.js';
import { filesOf, releaseMessageFiles, removeAttachedFiles, removeFilesOf } from './stored-files.js';
import { STORED_FILE_OVERHEAD_BYTES, attachFiles, markUnsent, removeUnsent, unmark, unsentOf } from './unsent-files.js';
import type { FilesRelease, MessageKey, UploadedFile } from '../../core/ports.js';

/** Options of {@link diskUploads}. */
export interface DiskUploadsOptions {
  /** Folder the files are kept in (created if missing). Several processes need one shared folder. */
  dir: string;
  /** Largest file, in bytes; refused with `PAYLOAD_TOO_LARGE` while it streams in. @default 10485760 (10 MB) */
  maxBytes?: number;
  /**
   * Types allowed, as found from the file's content (never its name): `image/png`, `image/*`,
   * `text/plain`... HTML, SVG, XML and JavaScript cannot be allowed.
   * @default ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf']
   */
  types?: readonly string[];
  /**
   * Where the files are served: an absolute URL prefix (`https://chat.example/chat/uploads`,
   * needed behind a proxy or a CDN) or a path on the request's host. @default the REST
   * handler's mount path plus `/uploads`, on the request's `Host`
   */
  publicPath?: string;
  /**
   * Bytes one user may upload per hour, on each process; each stored file also counts 8 KB (its
   * room on disk, so that tiny files cannot fill far more than this). A user's files not sent yet
   * also count against it until they are sent or removed: at this many bytes unsent, uploads are
   * refused. @default 50 × maxBytes
   */
  bytesPerUserPerHour?: number;
  /**
   * How long a file may stay uploaded but not sent in a message (a user who never sent it, a tab
   * closed in between) before it is removed, in ms. Looked for every `unattachedTtlMs` (at most
   * hourly), on one process of a cluster at a time. @default 86400000 (a day)
   */
  unattachedTtlMs?: number;
  /**
   * Take voice messages (uploads of `kind: 'voice'`, `room.sendVoice`): WebM, Ogg or MP4 audio,
   * recognised by its bytes, whatever `types` says. @default true
   */
  voice?: boolean;
}

/** A stored upload, as the REST route answers it. */
export interface StoredUpload {
  /** The stored file's name (`<random id>.<ext>`). */
  file: string;
  type: string;
  name: string;
  size: number;
}

/** How an encrypted room's file (ciphertext) is kept and served. */
const SEALED = { type: 'application/octet-stream', ext: 'bin' } as const;

// Temporary files older than this were left by a process that stopped mid-upload.
const STALE_PART_MS = 3_600_000;
const HOUR_MS = 3_600_000;
const MIN_SWEEP_MS = 100;
/** setTimeout's longest delay. */
const MAX_TTL_MS = 2_147_483_647;

/**
 * Files kept in a folder of the server and served by the chat's REST handler (`POST /uploads`,
 * `GET /uploads/:file`): the embedded default. Create it with {@link diskUploads}.
 */
export class DiskUploads {
  /** The folder, absolute. */
  readonly dir: string;
  readonly maxBytes: number;
  readonly types: readonly string[];
  readonly publicPath: string | undefined;
  /** How long a file not sent in a message is kept, in ms. */
  readonly unattachedTtlMs: number;
  /** Voice messages are taken (`voice`). */
  readonly voice: boolean;
  readonly #quota: UploadQuota;
  readonly #bytesPerUserPerHour: number;

  constructor(options: DiskUploadsOptions) {
    if (typeof options.dir !== 'string' || options.dir === '') throw new TypeError('diskUploads needs a dir to keep files in.');
    const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 1)
      throw new TypeError('diskUploads: maxBytes must be a whole number of bytes above 0.');
    if (options.publicPath !== undefined && !/^(https?:\/\/[^/?#]+)?\/[^?#]*$/iu.test(options.publicPath)) {
      throw new TypeError('diskUploads: publicPath must be a path (/chat/uploads) or an http(s) URL (https://chat.example/chat/uploads).');
    }
    this.dir = resolve(options.dir);
    this.maxBytes = maxBytes;
    this.types = Object.freeze([...(options.types ?? DEFAULT_UPLOAD_TYPES)]);
    const ttl = options.unattachedTtlMs ?? 86_400_000;
    if (!Number.isSafeInteger(ttl) || ttl < 1 || ttl > MAX_TTL_MS)
      throw new TypeError(`diskUploads: unattachedTtlMs must be a whole number of milliseconds from 1 to ${MAX_TTL_MS}.`);
    this.publicPath = options.publicPath?.replace(/\/+$/u, '');
    this.unattachedTtlMs = ttl;
    this.voice = options.voice ?? true;
    this.#bytesPerUserPerHour = options.bytesPerUserPerHour ?? 50 * maxBytes;
    this.#quota = new UploadQuota(this.#bytesPerUserPerHour);
  }

  /** How often files not sent are looked for: every `unattachedTtlMs`, at least 100 ms apart and at most an hour. */
  get sweepIntervalMs(): number {
    return Math.min(Math.max(this.unattachedTtlMs, MIN_SWEEP_MS), HOUR_MS);
  }

  /** Checks the options, creates the folder and removes temporary files a stopped process left. */
  async init(): Promise<void> {
    await checkTypes(this.types);
    await mkdir(this.dir, { recursive: true });
    const now = Date.now();
    for (const name of await readdir(this.dir)) {
      if (!name.startsWith(PART_PREFIX)) continue;
      const path = join(this.dir, name);
      const info = await stat(path).catch(() => undefined);
      if (info && now - info.mtimeMs > STALE_PART_MS) await unlink(path).catch(() => undefined);
    }
  }

  /** Refuses early what the client says it will send: too large, or a type that cannot be allowed. */
  check(file: UploadFile): void {
    if (file.size > this.maxBytes) throw builtInError('PAYLOAD_TOO_LARGE', `Files can be at most ${formatBytes(this.maxBytes)}.`);
    const type = file.type.toLowerCase();
    // '' and octet-stream are a browser that did not guess (or an encrypted room's ciphertext): the content decides.
    const guessed = type !== '' && type !== 'application/octet-stream';
    if (file.kind === 'voice') {
      this.#checkVoice();
      if (guessed && !(VOICE_TYPES as readonly string[]).includes(type)) throw voiceRefused();
    } else if (guessed && !typeAllowed(type, this.types)) throw this.#typeRefused();
  }

  /**
   * Throws `RATE_LIMITED` while the user has used up the upload quota, or holds that many bytes
   * of files not sent (until they are sent or removed).
   */
  async checkQuota(user: ChatUser): Promise<void> {
    this.#quota.check(user.id);
    const unsent = await unsentOf(this.dir, user.id);
    if (unsent.bytes >= this.#bytesPerUserPerHour) {
      const wait = Math.max(1000, (unsent.oldestMs ?? Date.now()) + this.unattachedTtlMs + this.sweepIntervalMs - Date.now());
      throw builtInError(
        'RATE_LIMITED',
        `You have uploaded ${formatBytes(unsent.bytes)} of files you have not sent yet. Send them, or try again in ${Math.ceil(wait / 60_000)} min.`,
        { retryAfter: wait },
      );
    }
  }

  /**
   * Receives the request's file: streamed to a temporary file (refused while streaming past
   * `maxBytes`), its type found from content, then kept under a random name. `sealed`: a file
   * of an end-to-end encrypted room, ciphertext the server cannot look into: kept as
   * `application/octet-stream` (`.bin`, always downloaded), whatever `types` says. `kind: 'voice'`:
   * WebM, Ogg or MP4 audio by its bytes (`VALIDATION_FAILED` otherwise), whatever `types` says.
   * `roomId`: the room it is for, kept with it. A file is removed if no message carries it within
   * `unattachedTtlMs` (an encrypted message names its files in `uploads`).
   */
  async receive(
    req: IncomingMessage,
    user: ChatUser,
    options: { sealed?: boolean; roomId?: string; kind?: AttachmentKind } = {},
  ): Promise<StoredUpload> {
    const { sealed = false, roomId = '', kind } = options;
    if (kind === 'voice') this.#checkVoice();
    const progress: ReceiveProgress = { bytes: 0 };
    let kept = false;
    try {
      const received = await receiveToTempFile(req, this.dir, this.maxBytes, progress);
      try {
        if (received.size === 0) throw builtInError('VALIDATION_FAILED', 'The file is empty.');
        const sniffed = sealed ? SEALED : await this.#typeOf(received, kind);
        const id = newFileId();
        const stored: StoredUpload = {
          file: `${id}.${sniffed.ext}`,
          type: sniffed.type,
          name: displayName(received.clientName, sniffed.ext),
          size: received.size,
        };
        const meta: StoredMeta = { ...stored, userId: user.id, ...(roomId !== '' && { roomId }), createdAt: new Date().toISOString() };
        // The unsent marker first (a crash leaves nothing the sweep would miss), the description
        // next (never over another: wx), then the file: a file is served only with both.
        await markUnsent(this.dir, user.id, id, stored.size);
        const metaPath = join(this.dir, `${id}.json`);
        await writeFile(metaPath, JSON.stringify(meta), { flag: 'wx', mode: 0o644 })
          .then(() =>
            placeFile(received.tempPath, join(this.dir, stored.file)).catch(async (error: unknown) => {
              await unlink(metaPath).catch(() => undefined);
              throw error;
            }),
          )
          .catch(async (error: unknown) => {
            await unmark(this.dir, meta, id).catch(() => undefined);
            throw error;
          });
        kept = true;
        return stored;
      } finally {
        await unlink(received.tempPath).catch(() => undefined);
      }
    } finally {
      this.#quota.charge(user.id, progress.bytes + (kept ? STORED_FILE_OVERHEAD_BYTES : 0));
    }
  }

  /** Answers `GET` / `HEAD` of a stored file; false when there is none. */
  serve(file: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    return serveStoredFile(this.dir, file, req, res);
  }

  /** The absolute URL stored files are served under: `publicPath`, or the request's origin and the handler's mount. */
  baseUrl(origin: () => string, mountPath: string): string {
    const base = this.publicPath ?? `${mountPath}/uploads`;
    return /^https?:\/\//iu.test(base) ? base : `${origin()}${base}`;
  }

  /**
   * A message carrying these attachments (and, encrypted, the declared `uploads`: stored names such
   * as `<id>.bin`) is about to be stored: its uploads are sent, kept, and its own. `VALIDATION_FAILED`
   * when one of this server's files is no longer stored or another message carries it; `FORBIDDEN`
   * for a declared upload of another user or room.
   */
  attach(attachments: readonly Attachment[], message: MessageKey, uploads: readonly string[] = []): Promise<void> {
    return attachFiles(this.dir, { attachments, uploads, message }, (url) => this.#isOurs(url));
  }

  /**
   * A message is about to be deleted: its files are marked (a crash after the row change leaves
   * them to the sweep); `remove()` them once the row changed.
   */
  release(message: Message): Promise<FilesRelease> {
    return releaseMessageFiles(this.dir, message);
  }

  /**
   * Removes up to `limit` files not sent within `unattachedTtlMs`, and those a deletion marked as
   * long ago whose message `stillSent` says is gone; how many it removed.
   */
  removeUnattached(limit: number, stillSent: (roomId: string, messageId: string) => Promise<boolean>): Promise<number> {
    return removeUnsent(this.dir, Date.now() - this.unattachedTtlMs, limit, (from) => stillSent(from.roomId, from.messageId));
  }

  /** Removes the stored files of these attachments that `ownerId` uploaded; others' stay (the `ChatUploads` hook; deletions use {@link DiskUploads.release}). */
  removeAttached(attachments: readonly Attachment[], ownerId: string): Promise<void> {
    return removeAttachedFiles(this.dir, attachments, ownerId);
  }

  /** What is stored of the files a user uploaded, oldest first (`chat.exportUser`). */
  filesOf(userId: string): Promise<UploadedFile[]> {
    return filesOf(this.dir, userId);
  }

  /** Removes every file a user uploaded (`chat.eraseUser`). */
  removeFilesOf(userId: string): Promise<void> {
    return removeFilesOf(this.dir, userId);
  }

  // Served under publicPath, or under an `/uploads` path (the handler's, on whichever host).
  #isOurs(url: string): boolean {
    const folder = url.split(/[?#]/u)[0]?.replace(/\/[^/]*$/u, '') ?? '';
    if (this.publicPath !== undefined)
      return folder === this.publicPath || folder.endsWith(this.publicPath.replace(/^https?:\/\/[^/]+/iu, ''));
    return folder.endsWith('/uploads');
  }

  /** The type of a received file by its content: a voice type for a voice message, else one `types` allows. */
  async #typeOf(received: ReceivedFile, kind: AttachmentKind | undefined): Promise<SniffedType> {
    if (kind === 'voice') {
      const voice = sniffVoice(received.head);
      if (!voice) throw voiceRefused();
      return voice;
    }
    const sniffed = await sniffFile(received.tempPath, received.head, received.size === received.head.length);
    if (!sniffed || !typeAllowed(sniffed.type, this.types)) throw this.#typeRefused();
    return sniffed;
  }

  #checkVoice(): void {
    if (!this.voice) throw builtInError('VALIDATION_FAILED', 'This server takes no voice messages.');
  }

  #typeRefused(): ChatError {
    return builtInError('VALIDATION_FAILED', `This kind of file cannot be uploaded here (allowed: ${this.types.join(', ')}).`);
  }
}

// link + unlink rather than rename: link fails if the name exists, so nothing is ever replaced.
async function placeFile(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (error) {
    // Some file systems (a few network mounts) have no hard links: the random name makes a clash impossible in practice.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw error;
    await rename(from, to);
  }
}

/**
 * The embedded uploads: files in a folder of this server, served by the chat's REST handler.
 * Mount `chat.httpHandler()` for `POST /uploads` and `GET /uploads/:file`.
 * @example createChatServer(http, { uploads: diskUploads({ dir: './uploads', maxBytes: 5_000_000, types: ['image/*', 'application/pdf'] }) })
 */
export function diskUploads(options: DiskUploadsOptions): DiskUploads {
  return new DiskUploads(options);
}
