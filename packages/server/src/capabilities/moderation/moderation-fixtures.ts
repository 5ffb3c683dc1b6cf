import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { ChatError, type ChatUser, type Message, type RoomJoinResult } from '@chat/protocol';
import type { ChatHandshake } from '../../core/handshake.js';
import type { ChatServerOptions } from '../../options.js';
import { okData, rawSocket, request, startChat, type RawSocket, type TestChat } from '../../../../../test-support/servers.js';

// Shared by the moderation tests: users named by their handshake (with roles), sockets that
// join, send and call REST as them.

/** Trusts the handshake: `{ id, name, roles }` (tests only). */
export const passThrough = (handshake: ChatHandshake): ChatUser => {
  const { id, name, roles } = handshake.auth as { id?: string; name?: string; roles?: string[] };
  if (!id) throw new ChatError('UNAUTHENTICATED', 'Who are you?');
  return { id, name: name ?? id, ...(roles && { roles }) };
};

/**
 * A chat server on 127.0.0.1 with REST at `/chat` and pass-through users. The first to join a
 * room owns it (`ownerOnJoin`), so that a test has an owner without creating the room first.
 */
export async function moderationChat(options: ChatServerOptions = {}): Promise<TestChat & { rest: RestCall }> {
  const http = createServer((req, res) => handler(req, res));
  const started = await startChat({ authenticate: passThrough, presenceCoalesceMs: 10, ownerOnJoin: true, ...options }, http);
  const handler = started.chat.httpHandler({ basePath: '/chat' });
  return { ...started, rest: restCaller(started.url) };
}

/** A REST call as a user: status and parsed body. */
export type RestCall = (
  as: { id: string; roles?: string[] },
  method: string,
  path: string,
  body?: unknown,
) => Promise<{ status: number; body: unknown }>;

export function restCaller(url: string): RestCall {
  return async (as, method, path, body) => {
    const headers: Record<string, string> = { 'x-chat-auth': encodeURIComponent(JSON.stringify(as)) };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${url}/chat${path}`, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
    return { status: res.status, body: await res.json() };
  };
}

/** A socket of user `id` (with `roles`) that joined `roomId`. */
export async function joined(url: string, roomId: string, id: string, roles?: string[]): Promise<[RawSocket, RoomJoinResult]> {
  const socket = await rawSocket(url, { id, name: id, ...(roles && { roles }) });
  return [socket, okData(await request(socket, 'room:join', { roomId }))];
}

/** Sends `text` and answers the whole ack. */
export function send(socket: RawSocket, roomId: string, text: string) {
  return request(socket, 'message:send', { roomId, clientId: randomUUID(), text });
}

/** Sends `text` and answers the stored message. */
export async function sent(socket: RawSocket, roomId: string, text: string): Promise<Message> {
  return okData(await send(socket, roomId, text)).message;
}

/** An ISO time `ms` from now. */
export const inMs = (ms: number): string => new Date(Date.now() + ms).toISOString();
