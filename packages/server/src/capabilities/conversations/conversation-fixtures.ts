// Helpers of the conversations tests (not part of the package build: only tests import it).
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { describe } from 'vitest';
import type { Message, RoomJoinResult, RoomSummary } from '@chat/protocol';
import type { ChatServerOptions } from '../../options.js';
import type { ChatStore } from '../../core/chat-store.js';
import { MemoryStore } from '../../store/memory-store.js';
import { PostgresStore } from '../../store/postgres/postgres-store.js';
import { skipWithoutPostgres, useTestSchema, type TestSchema } from '../../../../../test-support/postgres.js';
import { eachRedis, startClusterChats } from '../../../../../test-support/cluster.js';
import { okData, rawSocket, request, startChat, type RawSocket, type TestChat } from '../../../../../test-support/servers.js';

/** Users are who their handshake says: `auth.id` on sockets, the bearer token on REST; the name is `auth.name` or the id. */
export const byHandshake: NonNullable<ChatServerOptions['authenticate']> = ({ auth }) => {
  const given = auth as { id?: string; token?: string; name?: string };
  const id = String(given.id ?? given.token);
  return { id, name: String(given.name ?? id) };
};

/** An id no other test of the run uses (tests share a database schema per file). */
export function fresh(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** A socket signed in as `id` (named `name`, or the id). */
export function connect(url: string, id: string, name = id): Promise<RawSocket> {
  return rawSocket(url, { id, name });
}

/** Joins a room; the join must succeed. */
export async function join(socket: RawSocket, roomId: string): Promise<RoomJoinResult> {
  return okData(await request(socket, 'room:join', { roomId }));
}

/** Sends a message; the send must succeed. */
export async function say(socket: RawSocket, roomId: string, text: string, mentions?: string[]): Promise<Message> {
  const clientId = randomBytes(8).toString('hex');
  return okData(await request(socket, 'message:send', { roomId, clientId, text, ...(mentions && { mentions }) })).message;
}

/** The caller's conversations over the socket. */
export async function list(socket: RawSocket): Promise<RoomSummary[]> {
  return okData(await request(socket, 'conversations:list', {})).conversations;
}

/** The caller's row of one room. */
export async function rowOf(socket: RawSocket, roomId: string): Promise<RoomSummary | undefined> {
  return (await list(socket)).find((c) => c.room.id === roomId);
}

/**
 * Runs `body` once with MemoryStore and once with PostgresStore (a schema of this file's own;
 * skipped without DATABASE_URL). `store()` makes the suite's store for one server.
 */
export function eachStore(title: string, body: (store: () => ChatStore) => void): void {
  describe(`${title} (memory store)`, () => body(() => new MemoryStore()));
  const schema = skipWithoutPostgres() ? undefined : useTestSchema();
  describe.skipIf(schema === undefined)(`${title} (PostgreSQL)`, () =>
    body(() => new PostgresStore({ pool: (schema as TestSchema).pool() })),
  );
}

/**
 * Two chat servers on one PostgreSQL schema, as two processes of a cluster: once on one Redis,
 * once on a local Redis Cluster (`eachRedis`).
 */
export function clusterSuite(
  title: string,
  body: (twoProcesses: (options?: ChatServerOptions) => Promise<[TestChat, TestChat]>) => void,
): void {
  eachRedis(title, (redis, schema) =>
    body(async (options = {}) => {
      const pool = schema.pool();
      const started = await startClusterChats(2, { authenticate: byHandshake, ...options }, redis(), () => new PostgresStore({ pool }));
      return started as [TestChat, TestChat];
    }),
  );
}

/** A chat server (users by handshake) with its REST handler at `/chat`; `rest` calls it as a user. */
export async function startWithRest(
  options: ChatServerOptions = {},
): Promise<TestChat & { rest: (method: string, path: string, as: string) => Promise<{ status: number; body: Record<string, unknown> }> }> {
  const http = createServer();
  const started = await startChat({ authenticate: byHandshake, ...options }, http);
  const handler = started.chat.httpHandler({ basePath: '/chat' });
  http.prependListener('request', (req, res) => {
    if (req.url?.startsWith('/chat/')) handler(req, res);
  });
  const rest = async (method: string, path: string, as: string) => {
    const res = await fetch(`${started.url}/chat${path}`, { method, headers: { authorization: `Bearer ${as}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  return { ...started, rest };
}
