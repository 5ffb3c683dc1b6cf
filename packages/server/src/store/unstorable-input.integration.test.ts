import { createServer } from 'node:http';
import { io as ioClient } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import type { ChatErrorData, ChatUser } from '@chat/protocol';
import type { ChatHandshake } from '../core/handshake.js';
import type { ChatServerOptions } from '../options.js';
import { PostgresStore } from './postgres/postgres-store.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../test-support/postgres.js';
import { rawSocket, request, startChat, track, type RawSocket } from '../../../../test-support/servers.js';

// Input that passes the schemas must be storable by every store: what PostgreSQL cannot hold
// (NUL, unpaired surrogates, numbers past a bigint or past exact JavaScript integers) is refused
// up front with VALIDATION_FAILED and a sentence, the same on MemoryStore and PostgresStore.

const att = (a: Record<string, unknown>) => [{ url: 'https://files.example/a.png', type: 'image/png', ...a }];
const send = (extra: Record<string, unknown>) => ({
  roomId: 'vault',
  clientId: `c-${Math.random().toString(36).slice(2)}`,
  text: 'hi',
  ...extra,
});
const socketTable: Array<[string, string, unknown, RegExp]> = [
  ['NUL in text', 'message:send', send({ text: 'a\u0000b' }), /^Messages cannot contain NUL/u],
  ['lone high surrogate in text', 'message:send', send({ text: 'a\uD83D' }), /unpaired UTF-16 surrogates/u],
  ['lone low surrogate in text', 'message:send', send({ text: '\uDE00b' }), /unpaired UTF-16 surrogates/u],
  ['NUL in attachment name', 'message:send', send({ attachments: att({ name: 'a\u0000.png' }) }), /^Attachment names cannot/u],
  ['surrogate in attachment name', 'message:send', send({ attachments: att({ name: 'a\uD800.png' }) }), /^Attachment names cannot/u],
  [
    'NUL in attachment url',
    'message:send',
    send({ attachments: att({ url: 'https://files.example/a\u0000.png' }) }),
    /^Attachment URLs cannot/u,
  ],
  ['NUL in attachment type', 'message:send', send({ attachments: att({ type: 'image/png\u0000' }) }), /MIME type/u],
  ['attachment size 1e308', 'message:send', send({ attachments: att({ size: 1e308 }) }), /size must be at most/u],
  ['attachment size 2**63', 'message:send', send({ attachments: att({ size: 2 ** 63 }) }), /size must be at most/u],
  ['NUL in replyTo', 'message:send', send({ replyTo: 'm\u0000' }), /^replyTo may contain only/u],
  ['NUL in clientId', 'message:send', send({ clientId: 'c\u0000' }), /^clientId may contain only/u],
  ['history before 1e308', 'message:history', { roomId: 'vault', before: 1e308 }, /^before must be at most 9007199254740991\.$/u],
  ['history before 1e21', 'message:history', { roomId: 'vault', before: 1e21 }, /^before must be at most/u],
  ['history after 2**63', 'message:history', { roomId: 'vault', after: 2 ** 63 }, /^after must be at most/u],
  ['history after MAX_SAFE + 2', 'message:history', { roomId: 'vault', after: Number.MAX_SAFE_INTEGER + 2 }, /^after must be at most/u],
  ['join since 1e21', 'room:join', { roomId: 'vault', since: 1e21 }, /^since must be at most/u],
  ['join since 2**63', 'room:join', { roomId: 'vault', since: 2 ** 63 }, /^since must be at most/u],
  ['message:send without clientId', 'message:send', { roomId: 'vault' }, /^clientId is missing\.$/u],
];

// Sockets give `auth.name` / `auth.avatarUrl` / `auth.id`, REST gives the token as the id: a host
// that passes its users' data through, as custom authenticates do.
const passThrough = (handshake: ChatHandshake): ChatUser => {
  const auth = handshake.auth as { id?: string; token?: string; name?: string; avatarUrl?: unknown };
  const user: ChatUser = { id: String(auth.id ?? auth.token ?? 'anon'), name: String(auth.name ?? 'Rest user') };
  if (typeof auth.avatarUrl === 'string') user.avatarUrl = auth.avatarUrl;
  return user;
};

async function refusal(url: string, auth: Record<string, unknown>): Promise<ChatErrorData | undefined> {
  const socket = ioClient(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  track(() => void socket.disconnect());
  return new Promise((resolve) => {
    socket.once('connect', () => resolve(undefined));
    socket.once('connect_error', (error: Error & { data?: ChatErrorData }) => resolve(error.data));
  });
}

function ackOf(socket: RawSocket, event: string, payload: unknown): Promise<{ ok: boolean; error?: ChatErrorData }> {
  return (
    socket.timeout(5000) as unknown as { emitWithAck(e: string, p: unknown): Promise<{ ok: boolean; error?: ChatErrorData }> }
  ).emitWithAck(event, payload);
}

function describeBothStores(name: string, options: () => Partial<ChatServerOptions>): void {
  describe(`${name}: unstorable input is VALIDATION_FAILED, never INTERNAL, and nothing stored changes`, () => {
    async function server() {
      const http = createServer();
      const started = await startChat({ authenticate: passThrough, ...options() }, http);
      const rest = started.chat.httpHandler();
      http.on('request', (req, res) => rest(req, res, () => res.writeHead(404).end()));
      const errors: unknown[] = [];
      started.chat.on('error', (e) => errors.push(e));
      await started.chat.ready();
      return { ...started, errors };
    }

    it('socket events', async () => {
      const { url, errors } = await server();
      const keeper = await rawSocket(url, { id: 'keeper', name: 'Keeper' });
      expect(await request(keeper, 'room:join', { roomId: 'vault' })).toMatchObject({ ok: true });
      const kept = await request(keeper, 'message:send', { roomId: 'vault', clientId: 'keep-1', text: 'keep me 🎉' });
      expect(kept.ok).toBe(true);
      const attacker = await rawSocket(url, { id: 'attacker', name: 'Attacker' });
      expect(await request(attacker, 'room:join', { roomId: 'vault' })).toMatchObject({ ok: true });
      for (const [label, event, payload, message] of socketTable) {
        const ack = await ackOf(attacker, event, payload);
        expect(ack.error?.code, label).toBe('VALIDATION_FAILED');
        expect(ack.error?.message, label).toMatch(message);
      }
      expect(errors).toEqual([]);
      const history = await request(keeper, 'message:history', { roomId: 'vault' });
      expect(history.ok && history.data.messages.map((m) => m.text)).toEqual(['keep me 🎉']);
      const biggest = await request(keeper, 'message:history', { roomId: 'vault', before: Number.MAX_SAFE_INTEGER });
      expect(biggest.ok && biggest.data.messages.map((m) => m.text)).toEqual(['keep me 🎉']);
    });

    it('users from authenticate: NUL or broken Unicode in id, name or avatar URL is refused at sign-in', async () => {
      const { url, errors } = await server();
      const cases: Array<[Record<string, unknown>, RegExp]> = [
        [{ id: 'u\u0000', name: 'Ana' }, /user id/u],
        [{ id: 'u\uD800', name: 'Ana' }, /user id/u],
        [{ id: 'u1', name: 'Ana\u0000' }, /control characters/u],
        [{ id: 'u1', name: 'Ana\uDC00' }, /valid Unicode/u],
        [{ id: 'u1', name: 'Ana', avatarUrl: 'https://img.example/\u0000.png' }, /avatar URL/u],
      ];
      for (const [auth, message] of cases) {
        const refused = await refusal(url, auth);
        expect(refused?.code, JSON.stringify(auth)).toBe('UNAUTHENTICATED');
        expect(refused?.message, JSON.stringify(auth)).toMatch(message);
      }
      expect(errors).toEqual([]);
    });

    it('the server API and REST: room titles, metadata keys and values, history numbers', async () => {
      const { url, chat, errors } = await server();
      const room = await chat.createRoom({ id: 'kept', title: 'Kept', metadata: { a: 1 } });
      const refusals: Array<[string, () => Promise<unknown>, RegExp]> = [
        ['title', () => chat.createRoom({ id: 'r1', title: 'x\u0000' }), /^Titles cannot/u],
        ['metadata value', () => chat.createRoom({ id: 'r2', metadata: { a: ['ok', 'x\u0000'] } }), /^metadata cannot/u],
        ['metadata key', () => chat.createRoom({ id: 'r3', metadata: { 'k\u0000': 1 } }), /^metadata cannot/u],
        ['metadata surrogate', () => chat.createRoom({ id: 'r4', metadata: { a: '\uD800' } }), /^metadata cannot/u],
        ['update title', () => chat.updateRoom('kept', { title: 'y\u0000' }), /^Titles cannot/u],
        ['update metadata', () => chat.updateRoom('kept', { metadata: { nested: { deep: '\uDFFF' } } }), /^metadata cannot/u],
        ['bot name', () => chat.sendMessage('kept', { user: { id: 'bot', name: 'Bot\u0000' }, text: 'x' }), /control characters/u],
        ['bot text', () => chat.sendMessage('kept', { user: { id: 'bot', name: 'Bot' }, text: 'x\u0000' }), /^Messages cannot/u],
      ];
      for (const [label, call, message] of refusals) {
        const error = await call().then(
          () => new Error(`${label}: accepted`),
          (e: unknown) => e,
        );
        expect(error, label).toMatchObject({ code: expect.stringMatching(/^(VALIDATION_FAILED|UNAUTHENTICATED)$/u) });
        expect((error as Error).message, label).toMatch(message);
      }
      const post = await fetch(`${url}/rooms`, {
        method: 'POST',
        headers: { authorization: 'Bearer rest-user', 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'r5', title: 'z\u0000', metadata: { '\u0000': 1 } }),
      });
      expect([post.status, ((await post.json()) as { error: ChatErrorData }).error.code]).toEqual([400, 'VALIDATION_FAILED']);
      for (const query of ['before=1000000000000000000000', 'after=9223372036854775808', `before=1${'0'.repeat(308)}`]) {
        const res = await fetch(`${url}/rooms/kept/messages?${query}`, { headers: { authorization: 'Bearer rest-user' } });
        const body = (await res.json()) as { error: ChatErrorData };
        expect([res.status, body.error.code, body.error.message], query).toEqual([
          400,
          'VALIDATION_FAILED',
          expect.stringMatching(/must be at most/u),
        ]);
      }
      expect(errors).toEqual([]);
      expect(await chat.getRoom('kept')).toEqual(room);
      for (const id of ['r1', 'r2', 'r3', 'r4', 'r5']) expect(await chat.getRoom(id), id).toBeNull();
    });
  });
}

describeBothStores('MemoryStore', () => ({}));

describe.skipIf(skipWithoutPostgres())('PostgreSQL', () => {
  const schema = useTestSchema();
  describeBothStores('PostgresStore', () => ({ store: new PostgresStore({ pool: schema.pool() }) }));
});
