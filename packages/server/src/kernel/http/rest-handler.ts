import type { IncomingMessage, ServerResponse } from 'node:http';
import { builtInError, ChatError, ERROR_CODES, parsePayload, type ChatUser, type Room } from '@chat/protocol';
import type { ChatHandshake } from '../../core/handshake.js';
import { messagesCost } from '../../limits/user-budget.js';
import { ChatAction, type ChatContext } from '../../core/policy.js';
import { authorizeOrThrow } from '../rooms/open-room.js';
import { threadParent } from '../../core/thread-parent.js';
import { publicRoom } from '../../core/public-room.js';
import type { ServerContext } from '../context.js';
import type { CreateRoomInput, RoomQuery } from '../../core/chat-store.js';
import type { RawRoutes, RestReply, RestRequest, RestRoute, SignedIn } from '../../core/capability.js';
import { withoutUndefined } from '../../core/without-undefined.js';
import { chatErrorOf, isReported } from '../../core/storage-unreachable.js';

/** `(req, res, next)` middleware for Express, Connect or `node:http`. */
export type RestHandler = (req: IncomingMessage & { body?: unknown }, res: ServerResponse, next?: (error?: unknown) => void) => void;

/** Options of `chat.httpHandler()`. */
export interface RestHandlerOptions {
  /** Path prefix to strip when mounted without a router (`node:http`); Express strips its own. @default '' */
  basePath?: string;
}

/** What the REST handler needs from its chat server. */
export interface RestDeps {
  server: {
    /** Refuses a taken id with `ROOM_EXISTS`. */
    createRoom(input: CreateRoomInput): Promise<Room>;
    getRoom(id: string): Promise<Room | null>;
    listRooms(query: RoomQuery): Promise<Room[]>;
    endRoom(id: string): Promise<Room>;
  };
  ctx: ServerContext;
  authenticate: (handshake: ChatHandshake) => Promise<ChatUser>;
  /** The capabilities' routes under `/rooms` and `/me`. */
  routes: readonly RestRoute[];
  /** The capabilities' routes that read their own requests (`/uploads`, when the server has `uploads`). */
  raw: readonly RawRoutes[];
}

type Request = RestRequest;
type Reply = RestReply;
type Route = [string, (s: string[]) => boolean, (req: Request) => Promise<Reply>];

/** Builds the REST handler: rooms and history over HTTP, errors as `{ error: { code, message } }`. */
export function createRestHandler(deps: RestDeps, options: RestHandlerOptions = {}): RestHandler {
  const { ctx, server } = deps;
  const basePath = (options.basePath ?? '').replace(/\/+$/u, '');

  const allow = async (action: ChatAction, req: Request, roomId: string, room?: Room, threadOf?: string) => {
    const chatContext: ChatContext = { user: req.user, roomId, handshake: req.handshake };
    if (room) chatContext.room = room;
    if (threadOf !== undefined) chatContext.threadOf = threadOf;
    // A user banned from the room reads nothing of it over REST either.
    if (room) await ctx.bans.notBanned(room, req.user);
    await authorizeOrThrow(ctx, action, chatContext);
  };
  const requireRoom = async (id: string): Promise<Room> => {
    const room = await server.getRoom(parsePayload(ctx.schemas.roomId, id));
    if (!room) throw builtInError('ROOM_NOT_FOUND', `There is no room "${id}".`);
    return room;
  };

  // Each route: [method, path pattern, handler]; the first segment is always 'rooms'.
  const routes: Route[] = [
    [
      'GET',
      (s) => s.length === 1,
      async (req) => {
        await allow(ChatAction.ROOM_LIST, req, '');
        const limit = intParam(req.query, 'limit', 1, 100) ?? 100;
        const rooms = await server.listRooms({ includeEnded: req.query.get('includeEnded') === 'true', limit });
        const visible: Room[] = [];
        for (const room of rooms) {
          if (
            await allow(ChatAction.ROOM_READ, req, room.id, room).then(
              () => true,
              () => false,
            )
          )
            visible.push(room);
        }
        return { status: 200, body: { rooms: visible.map(publicRoom) } };
      },
    ],
    [
      'POST',
      (s) => s.length === 1,
      async (req) => {
        const input = parsePayload(ctx.schemas.createRoom, await req.body());
        if (input.privateMetadata !== undefined) {
          throw builtInError('VALIDATION_FAILED', 'privateMetadata can only be set by the server (chat.createRoom), not over REST.');
        }
        await allow(ChatAction.ROOM_CREATE, req, input.id ?? '');
        // A taken id is ROOM_EXISTS from the store's own answer, so two concurrent POSTs cannot both win.
        const room = await server.createRoom({ ...withoutUndefined(input), createdBy: req.user.id });
        return { status: 201, body: { room: publicRoom(room) } };
      },
    ],
    [
      'GET',
      (s) => s.length === 2,
      async (req) => {
        const room = await requireRoom(req.segments[1] as string);
        await allow(ChatAction.ROOM_READ, req, room.id, room);
        return { status: 200, body: { room: publicRoom(room) } };
      },
    ],
    [
      'POST',
      (s) => s.length === 3 && s[2] === 'end',
      async (req) => {
        const room = await requireRoom(req.segments[1] as string);
        await allow(ChatAction.ROOM_END, req, room.id, room);
        return { status: 200, body: { room: publicRoom(await server.endRoom(room.id)) } };
      },
    ],
    [
      'GET',
      (s) => s.length === 3 && s[2] === 'messages',
      async (req) => {
        const room = await requireRoom(req.segments[1] as string);
        // Checked first, so that an id that is not one never reaches the store.
        const q = parsePayload(ctx.schemas['message:history'], {
          roomId: room.id,
          threadOf: req.query.get('threadOf') ?? undefined,
          before: numberParam(req.query, 'before'),
          after: numberParam(req.query, 'after'),
          changedAfter: numberParam(req.query, 'changedAfter'),
          minSeq: numberParam(req.query, 'minSeq'),
          maxSeq: numberParam(req.query, 'maxSeq'),
          limit: numberParam(req.query, 'limit'),
        });
        // A reply's id stands for its thread; `authorize` sees the thread's top-level message.
        const threadOf = q.threadOf === undefined ? undefined : await threadParent(ctx.store, room, q.threadOf);
        await allow(ChatAction.MESSAGE_HISTORY, req, room.id, room, threadOf);
        const query = {
          limit: q.limit ?? ctx.limits.defaultHistoryPage,
          ...(q.before !== undefined && { before: q.before }),
          ...(q.after !== undefined && { after: q.after }),
          ...(q.changedAfter !== undefined && { changedAfter: q.changedAfter }),
          ...(q.minSeq !== undefined && { minSeq: q.minSeq }),
          ...(q.maxSeq !== undefined && { maxSeq: q.maxSeq }),
          ...(threadOf !== undefined && { threadOf }),
        };
        const budget = ctx.budget(req.user.id);
        budget.checkRead();
        const page = await ctx.store.listMessages(room.id, query);
        budget.readBytes.charge(messagesCost(page.messages));
        return { status: 200, body: page };
      },
    ],
  ];

  // The capabilities' routes (edits and deletes, moderation, the caller's own rooms: `/me/...`).
  const tables = new Map<string, Route[]>([['rooms', routes]]);
  for (const route of deps.routes) {
    const table = tables.get(route.prefix) ?? [];
    tables.set(route.prefix, table);
    table.push([route.method, (segments) => route.match(segments), (req) => route.handle(req)]);
  }

  // Every route's way in: the Origin, then authenticate, then the user's budget.
  const signIn = async (req: IncomingMessage): Promise<SignedIn> => {
    // Before authenticate, so that a foreign page's cookies never reach it.
    ctx.checkOrigin(req.headers.origin);
    const handshake: ChatHandshake = { auth: restAuth(req), headers: req.headers, address: req.socket.remoteAddress ?? '' };
    let user: ChatUser;
    try {
      user = await deps.authenticate(handshake);
    } catch (error) {
      throw error instanceof ChatError ? error : builtInError('UNAUTHENTICATED', 'Sign-in failed.', { cause: error });
    }
    // The same budget as the user's sockets: REST is no way around the socket limits.
    const wait = ctx.budget(user.id).events.take();
    if (wait > 0) throw builtInError('RATE_LIMITED', 'Too many requests. Please slow down.', { retryAfter: wait });
    return { user, handshake, done: ctx.budget(user.id).begin() };
  };

  return (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let path = url.pathname;
    if (basePath) {
      if (path !== basePath && !path.startsWith(`${basePath}/`)) return fallThrough(res, next);
      path = path.slice(basePath.length);
    }
    let segments: string[];
    try {
      segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      return send(res, errorReply(builtInError('VALIDATION_FAILED', 'The URL is not valid.')));
    }
    const raw = deps.raw.find((r) => r.prefix === segments[0]);
    if (raw) {
      return raw.handle(req, res, segments.slice(1), {
        // Express strips its mount path into req.baseUrl; node:http is mounted at basePath.
        mountPath: ((req as { baseUrl?: string }).baseUrl ?? '') + basePath,
        signIn: () => signIn(req),
        readJson: () => readJson(req, ctx.limits.maxRestBodyBytes),
        send: (status, body) => send(res, { status, body }),
        next: () => fallThrough(res, next),
      });
    }
    const table = tables.get(segments[0] ?? '') ?? [];
    const route = table.find(([method, match]) => method === req.method && match(segments));
    if (!route) return fallThrough(res, next);

    void (async (): Promise<Reply> => {
      const { user, handshake, done } = await signIn(req);
      try {
        return await route[2]({
          method: req.method ?? 'GET',
          segments,
          query: url.searchParams,
          user,
          handshake,
          body: () => readJson(req, ctx.limits.maxRestBodyBytes),
        });
      } finally {
        done();
      }
    })().then(
      (reply) => send(res, reply),
      (error: unknown) => {
        const chatError = chatErrorOf(error);
        if (isReported(chatError)) ctx.report(chatError, { event: `${req.method} ${path}` });
        // Answering before the upload is read would close the socket on unread data, and the
        // client would see a reset instead of the answer: drain it first, as body-parser does.
        if (req.readableEnded || req.destroyed) send(res, errorReply(chatError));
        else {
          req.once('end', () => send(res, errorReply(chatError)));
          req.once('close', () => send(res, errorReply(chatError)));
          req.resume();
        }
      },
    );
  };
}

/**
 * A REST request's `handshake.auth`: what a socket would send as `auth`, from an `X-Chat-Auth`
 * header (URI-encoded JSON, such as a guest's `{ name, guestKey }`), with the token of
 * `Authorization: Bearer` on top. A custom header makes a cross-origin request need CORS
 * approval, so a foreign page cannot send it.
 */
function restAuth(req: IncomingMessage): Record<string, unknown> {
  let auth: Record<string, unknown> = {};
  const header = req.headers['x-chat-auth'];
  if (typeof header === 'string' && header !== '') {
    let parsed: unknown;
    try {
      parsed = header.length <= 8192 ? JSON.parse(decodeURIComponent(header)) : undefined;
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw builtInError('UNAUTHENTICATED', 'The X-Chat-Auth header must be a URI-encoded JSON object, such as the auth a socket sends.');
    }
    auth = parsed as Record<string, unknown>;
  }
  const bearer = /^Bearer\s+(\S+)$/iu.exec(req.headers.authorization ?? '')?.[1];
  if (bearer) auth = { ...auth, token: bearer };
  return auth;
}

function fallThrough(res: ServerResponse, next?: (error?: unknown) => void): void {
  if (next) return next();
  send(res, errorReply(builtInError('ROOM_NOT_FOUND', 'There is nothing at this address.'), 404));
}

function errorReply(error: ChatError, status = ERROR_CODES[error.code].status): Reply {
  return { status, body: { error: error.toJSON() } };
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent) return;
  const body = JSON.stringify(reply.body);
  res.statusCode = reply.status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  const retryAfter = (reply.body as { error?: { retryAfter?: number } }).error?.retryAfter;
  if (retryAfter !== undefined) res.setHeader('retry-after', String(Math.ceil(retryAfter / 1000)));
  res.end(body);
}

// A body parsed already (express.json()) is used as it is; otherwise read it, up to `limit` bytes.
async function readJson(req: IncomingMessage & { body?: unknown }, limit: number): Promise<unknown> {
  const tooLarge = builtInError('PAYLOAD_TOO_LARGE', `Request bodies can be at most ${limit} bytes.`);
  if (Number(req.headers['content-length'] ?? 0) > limit) throw tooLarge;
  if (req.body !== undefined && req.readableEnded) {
    if (Buffer.byteLength(JSON.stringify(req.body) ?? '') > limit) throw tooLarge;
    return req.body;
  }
  const type = req.headers['content-type'] ?? '';
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw tooLarge;
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof ChatError) throw error;
    // The client went away mid-body (pg's socket errors share its ECONNRESET): not the storage.
    throw builtInError('VALIDATION_FAILED', 'The request was cut off before its body arrived.', { cause: error });
  }
  if (size === 0) return {};
  if (!/^application\/([\w.+-]+\+)?json\b/iu.test(type))
    throw builtInError('VALIDATION_FAILED', 'Send the body as JSON with Content-Type: application/json.');
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw builtInError('VALIDATION_FAILED', 'The body is not valid JSON.');
  }
}

// Query values stay strings unless they are written as numbers (`12`, `1.5`, `1e21`), so that
// the schema names what is wrong: "must be a number", "a whole number", "at most ...".
function numberParam(query: URLSearchParams, name: string): number | string | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  return /^-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/iu.test(value) && Number.isFinite(Number(value)) ? Number(value) : value;
}

function intParam(query: URLSearchParams, name: string, min: number, max: number): number | undefined {
  const value = numberParam(query, name);
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw builtInError('VALIDATION_FAILED', `${name} must be a whole number from ${min} to ${max}.`);
  }
  return value;
}
