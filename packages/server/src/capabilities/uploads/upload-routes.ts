import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { AttachmentKind, builtInError, ERROR_CODES, createAttachmentSchema, parsePayload, type ChatUser, type Room } from '@chat/protocol';
import type { RawHttp, RawRoutes } from '../../core/capability.js';
import { chatErrorOf, isReported } from '../../core/storage-unreachable.js';
import type { ChatHandshake } from '../../core/handshake.js';
import { ChatAction } from '../../core/policy.js';
import { authorizeOrThrow } from '../../kernel/rooms/open-room.js';
import type { CapabilityContext } from '../capability-context.js';
import type { ChatUploads, UploadFile, UploadTarget } from './chat-uploads.js';
import { DiskUploads } from './disk-uploads.js';

/** `POST /uploads` and `GET|HEAD /uploads/:file`, for the REST handler. */
export interface UploadRoutes extends RawRoutes {
  /** The uploads' own `init()` (the chat server's `ready()` waits for it). */
  init(): Promise<void>;
  close(): Promise<void>;
}

// After an error answered mid-upload, what the client still sends is read and dropped for a
// while (so that it reads the answer rather than a reset), then the connection is cut.
const LINGER_BYTES = 4 * 1024 * 1024;
const LINGER_MS = 5000;

/** Builds the uploads routes over `diskUploads()` or a `{ sign }` of the host's. */
export function createUploadRoutes(uploads: ChatUploads | DiskUploads, context: () => CapabilityContext): UploadRoutes {
  const disk = uploads instanceof DiskUploads ? uploads : undefined;
  const signer = uploads instanceof DiskUploads ? undefined : uploads;

  const post = async (req: IncomingMessage, http: RawHttp): Promise<void> => {
    const { user, handshake, done } = await http.signIn();
    try {
      if (/^application\/([\w.+-]+\+)?json\b/iu.test(req.headers['content-type'] ?? '')) {
        // Step 1: the client says what it will send, and is told where to send it.
        const { roomId, ...file } = parseUploadFile(await http.readJson());
        const room = await allowUpload(context(), user, handshake, roomId);
        let upload: UploadTarget;
        if (disk) {
          disk.check(file);
          await disk.checkQuota(user);
          const query = new URLSearchParams({ ...(roomId !== '' && { roomId }), ...(file.kind && { kind: file.kind }) }).toString();
          upload = {
            url: `${http.mountPath}/uploads${query === '' ? '' : `?${query}`}`,
            method: 'POST',
            fileField: 'file',
            withAuth: true,
          };
        } else {
          upload = checkTarget(await (signer as ChatUploads).sign(file, { user, roomId, ...(room && { room }), handshake }));
        }
        http.send(200, { upload });
        return;
      }
      if (!disk) {
        throw builtInError(
          'VALIDATION_FAILED',
          'Files are not uploaded to this server: POST { name, type, size } as JSON first to learn where to send the file.',
        );
      }
      // Step 2 (disk): the file itself, as multipart/form-data.
      const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
      const roomId = query.get('roomId') ?? '';
      const kind = parseKind(query.get('kind') ?? undefined);
      const room = await allowUpload(context(), user, handshake, roomId);
      await disk.checkQuota(user);
      // Before the file is read: a request whose URL cannot be told keeps nothing.
      const baseUrl = disk.baseUrl(() => requestOrigin(req), http.mountPath);
      // An encrypted room's files are ciphertext (encrypted by the sender): no type to find in them.
      const stored = await disk.receive(req, user, {
        sealed: room?.options.encrypted === true,
        roomId: room?.id ?? '',
        ...(kind && { kind }),
      });
      const attachment = {
        url: `${baseUrl}/${stored.file}`,
        type: stored.type,
        name: stored.name,
        size: stored.size,
      };
      http.send(201, { attachment });
    } finally {
      done();
    }
  };

  return {
    init: async () => {
      await uploads.init?.();
    },
    close: async () => {
      if (signer) await signer.close?.();
    },
    prefix: 'uploads',
    handle(req, res, segments, http) {
      const method = req.method ?? 'GET';
      if ((method === 'GET' || method === 'HEAD') && segments.length === 1 && disk) {
        // Files are read without credentials (an <img> sends none): their names are 128 random bits.
        disk.serve(segments[0] as string, req, res).then(
          (found) => {
            if (!found) http.next();
          },
          (error: unknown) => {
            context().report(builtInError('INTERNAL', 'A stored upload could not be read.', { cause: error }), {
              event: `${method} /uploads`,
            });
            if (!res.headersSent) http.send(500, { error: builtInError('INTERNAL', 'The file could not be read.').toJSON() });
            else res.destroy();
          },
        );
        return;
      }
      if (method !== 'POST' || segments.length !== 0) return http.next();
      post(req, http).catch((error: unknown) => {
        const chatError = chatErrorOf(error);
        if (isReported(chatError)) context().report(chatError, { event: 'POST /uploads' });
        http.send(ERROR_CODES[chatError.code].status, { error: chatError.toJSON() });
        if (!req.complete && !req.destroyed) linger(req);
      });
    },
  };
}

/** Asks `authorize` (or the default policy) about `upload`, with the room when one is named. */
async function allowUpload(ctx: CapabilityContext, user: ChatUser, handshake: ChatHandshake, roomId: string): Promise<Room | undefined> {
  let room: Room | undefined;
  if (roomId !== '') {
    room = (await ctx.store.getRoom(parsePayload(ctx.schemas.roomId, roomId))) ?? undefined;
    if (!room) throw builtInError('ROOM_NOT_FOUND', `There is no room "${roomId}".`);
    if (room.endedAt) throw builtInError('ROOM_ENDED', 'This room has ended: files can no longer be sent to it.');
    // A user banned from the room sends it nothing, files included.
    await ctx.guard.notBanned(room, user);
  }
  await authorizeOrThrow(ctx, ChatAction.UPLOAD, { user, roomId, ...(room && { room }), handshake });
  return room;
}

/** The JSON of step 1: `{ name, type, size, roomId?, kind? }`. */
function parseUploadFile(body: unknown): UploadFile & { roomId: string } {
  const input = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const { name = '', size, roomId = '' } = input;
  // A recorder's Blob says `audio/webm;codecs=opus`: the parameters go, the content decides anyway.
  const type = typeof input.type === 'string' ? (input.type.split(';')[0] ?? '').trim() : (input.type ?? '');
  if (typeof name !== 'string' || name.length > 1024) throw builtInError('VALIDATION_FAILED', 'name must be the file name, a string.');
  if (
    typeof type !== 'string' ||
    (type !== '' && !/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/iu.test(type)) ||
    type.length > 127
  ) {
    throw builtInError('VALIDATION_FAILED', "type must be the file's MIME type (such as image/png) or ''.");
  }
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw builtInError('VALIDATION_FAILED', 'size must be the size of the file in bytes.');
  }
  if (typeof roomId !== 'string') throw builtInError('VALIDATION_FAILED', 'roomId must be a string.');
  const kind = parseKind(input.kind);
  return { name, type, size, roomId, ...(kind && { kind }) };
}

/** An upload's `kind`: absent, or `'voice'`. */
function parseKind(kind: unknown): AttachmentKind | undefined {
  if (kind === undefined || kind === AttachmentKind.VOICE) return kind;
  throw builtInError('VALIDATION_FAILED', "kind must be 'voice' (a voice message) or absent.");
}

const attachmentSchema = createAttachmentSchema();

/** A host's `sign` result, checked: a bad one is the host's bug (INTERNAL), not the user's. */
function checkTarget(target: UploadTarget): UploadTarget {
  const strings = (value: unknown) =>
    value === undefined || (typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string'));
  const ok =
    typeof target === 'object' &&
    target !== null &&
    typeof target.url === 'string' &&
    /^(https?:\/\/|\/)/iu.test(target.url) &&
    (target.method === 'PUT' || target.method === 'POST') &&
    strings(target.headers) &&
    strings(target.fields) &&
    (target.fileField === undefined || typeof target.fileField === 'string');
  if (!ok) throw builtInError('INTERNAL', 'uploads.sign() returned no { url, method } the client can use.');
  if (target.attachment !== undefined) {
    try {
      parsePayload(attachmentSchema, target.attachment);
    } catch (cause) {
      throw builtInError('INTERNAL', 'uploads.sign() returned an attachment a message cannot carry.', { cause });
    }
  }
  return target;
}

/**
 * `scheme://host` of the request, for the URL of a stored file when `publicPath` is not an
 * absolute URL. Express's `req.protocol` follows its `trust proxy` setting; plain `node:http`
 * knows only whether the connection itself is TLS.
 */
function requestOrigin(req: IncomingMessage): string {
  const host = req.headers.host ?? '';
  if (!/^([a-z0-9.-]+|\[[0-9a-f:.]+\])(:\d{1,5})?$/iu.test(host)) {
    throw builtInError('VALIDATION_FAILED', 'The request has no usable Host header (the server can set publicPath to an absolute URL).');
  }
  const protocol = (req as { protocol?: unknown }).protocol;
  const scheme = protocol === 'https' || protocol === 'http' ? protocol : (req.socket as TLSSocket).encrypted ? 'https' : 'http';
  return `${scheme}://${host}`;
}

function linger(req: IncomingMessage): void {
  let dropped = 0;
  const cutOff = () => req.socket.destroy();
  const timer = setTimeout(cutOff, LINGER_MS);
  timer.unref();
  const stop = () => clearTimeout(timer);
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > LINGER_BYTES) cutOff();
  });
  req.once('end', stop);
  req.once('close', stop);
  req.resume();
}
