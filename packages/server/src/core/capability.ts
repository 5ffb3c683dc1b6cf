// What a capability (capabilities/<name>/) hands the kernel: its client events and REST routes.
// The facade collects them; the kernel serves them without knowing which capability they are.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChatUser, Room, RoomJoinResult } from '@chat/protocol';
import type { ServerBus } from './bus.js';
import type { ChatHandshake } from './handshake.js';
import type { ChatAction } from './policy.js';
import type { SocketCaller, SocketHandlers } from './ports.js';

/** A socket of this process as a capability's shared event handlers see it: its session. */
export interface SessionCaller extends SocketCaller {
  /** `NOT_IN_ROOM` (or `ROOM_ENDED`, for a room that ended under the socket) unless the socket has joined the room. */
  requireRoom(roomId: string): Promise<void>;
  /** As `requireRoom`, once a join of the room under way on this socket has ended (a plugin's request sent right after a re-join). */
  requireJoined(roomId: string): Promise<void>;
  /** The room as it is now, once `authorize` allows `action` there (`ROOM_NOT_FOUND`, `FORBIDDEN`). */
  authorizeIn(action: ChatAction, roomId: string): Promise<Room>;
}

/**
 * One client event's handler, one for every socket (no closure per socket): parses its payload,
 * answers the ack's result or throws a `ChatError`. The session adds the ack, the user's budget
 * and the timeout, as for every event.
 */
export type EventHandler = (caller: SessionCaller, payload: unknown) => Promise<unknown>;

/** A REST request, once signed in and within the user's budget. */
export interface RestRequest {
  method: string;
  /** Path segments after the mount: the route's prefix (`rooms`, `me`, a plugin's own), then the rest. */
  segments: string[];
  query: URLSearchParams;
  user: ChatUser;
  handshake: ChatHandshake;
  /** The JSON body, up to `limits.maxRestBodyBytes`. */
  body: () => Promise<unknown>;
}

/** A REST answer: a status and a JSON body. */
export interface RestReply {
  status: number;
  body: unknown;
}

/** A REST route of a plugin, under its first path segment: the kernel's `rooms` and `me`, or a prefix the plugin owns. */
export interface RestRoute {
  /** The first path segment (`rooms`, `me`, `hands`). */
  prefix: string;
  method: string;
  /** Whether the path (its segments, the prefix first) is this route's. */
  match(segments: string[]): boolean;
  handle(req: RestRequest): Promise<RestReply>;
}

/** A request's sign-in, as raw routes (uploads) ask for it: the user, and the end of its budget slot. */
export interface SignedIn {
  user: ChatUser;
  handshake: ChatHandshake;
  /** Ends the request's in-flight slot of the user's budget. */
  done: () => void;
}

/** What the REST handler lends a raw route (uploads streams its bodies itself). */
export interface RawHttp {
  /** Where the REST handler is mounted (`/chat`), '' at the root. */
  mountPath: string;
  /** Origin, authenticate and the user's budget, as for every REST route. */
  signIn(): Promise<SignedIn>;
  /** The JSON body, up to `limits.maxRestBodyBytes`. */
  readJson(): Promise<unknown>;
  /** Answers JSON, as every REST route does. */
  send(status: number, body: unknown): void;
  /** Not this route's (or no such file): the next middleware, or 404. */
  next(): void;
}

/** Routes that read the request themselves, under one first segment (`/uploads`). */
export interface RawRoutes {
  prefix: string;
  /** `segments`: the path after the prefix. */
  handle(req: IncomingMessage, res: ServerResponse, segments: string[], http: RawHttp): void;
}

/** What a capability adds to the server. Each `capabilities/<name>/index.ts` returns one. */
export interface Capability {
  readonly name: string;
  /** Client events, one handler table for every socket. */
  readonly events?: Readonly<Record<string, EventHandler>>;
  /** Client events whose handlers are made per socket, on the socket's first such event. */
  readonly socketHandlers?: SocketHandlers;
  /** REST routes, each under its prefix (the kernel's `rooms` and `me`, or the capability's own). */
  readonly routes?: readonly RestRoute[];
  /** Routes that read their own requests (uploads). */
  readonly raw?: RawRoutes;
  /**
   * What the capability adds to a join's answer (a room's calls), read
   * beside the kernel's own reads; it cannot replace the kernel's fields. A failure fails the join.
   */
  joinAnswer?(user: ChatUser, room: Room): Promise<Partial<RoomJoinResult>> | Partial<RoomJoinResult>;
  /** Prepares what the capability needs (a package it loads) before `chat.ready()` resolves; a rejection rejects it. */
  init?(): Promise<void>;
  /** Listens to the server's internal events (once, when the server is made). */
  listen?(bus: ServerBus): void;
  /** Ends the capability's own work when the server closes (after the work in flight, before the store closes). */
  close?(): Promise<void> | void;
}
