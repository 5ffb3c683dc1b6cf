import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { ChatStore } from '../../core/chat-store.js';
import { MemoryStore } from '../../store/memory-store.js';
import { PostgresStore } from '../../store/postgres/postgres-store.js';
import type { ChatServerOptions } from '../../options.js';
import { okData, rawSocket, request, startChat } from '../../../../../test-support/servers.js';
import { freshRoomId } from '../../../../../test-support/store-conformance.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

// Users are who their handshake says (auth.id on sockets, the bearer token on REST), so that
// a test can be the host or the guest.
const options = (store: ChatStore, more: ChatServerOptions = {}): ChatServerOptions => ({
  store,
  authenticate: ({ auth }) => {
    const id = String(auth['id'] ?? auth['token']);
    return { id, name: id };
  },
  ...more,
});

function describeRoomIds(name: string, makeStore: () => ChatStore) {
  describe(`room ids cannot be squatted (${name})`, () => {
    it('a guest who joins first does not get the host the guest’s room: createRoom is ROOM_EXISTS', async () => {
      // ownerOnJoin: even a guest who owns the room it made cannot hand it to the host.
      const { url, chat } = await startChat(options(makeStore(), { ownerOnJoin: true }));
      const id = freshRoomId('cita');
      const guest = await rawSocket(url, { id: 'guest' });
      expect(await request(guest, 'room:join', { roomId: id })).toMatchObject({ ok: true, data: { room: { id, createdBy: 'guest' } } });

      await expect(chat.createRoom({ id, options: { private: true }, createdBy: 'host' })).rejects.toMatchObject({
        code: 'ROOM_EXISTS',
        message: `A room with the id "${id}" already exists.`,
      });
      // Nothing was changed, and the host sees whose room it is when it asks for it.
      expect(await chat.getRoom(id)).toMatchObject({ createdBy: 'guest', options: {} });
      expect(await chat.createRoom({ id, createdBy: 'host' }, { ifExists: 'return' })).toMatchObject({ id, createdBy: 'guest' });
    });

    it('createRoomsOnJoin as a RegExp: other ids are ROOM_NOT_FOUND until the host creates them', async () => {
      const { url, chat } = await startChat(options(makeStore(), { createRoomsOnJoin: /^lobby-/u }));
      const cita = freshRoomId('cita');
      const lobby = freshRoomId('lobby');
      const guest = await rawSocket(url, { id: 'guest' });
      expect(await request(guest, 'room:join', { roomId: cita })).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
      expect(await chat.getRoom(cita)).toBeNull();
      expect(await request(guest, 'room:join', { roomId: lobby })).toMatchObject({ ok: true, data: { room: { id: lobby } } });
      await expect(chat.sendMessage(freshRoomId('cita'), { user: { id: 'bot', name: 'Bot' }, text: 'x' })).rejects.toMatchObject({
        code: 'ROOM_NOT_FOUND',
      });

      await expect(chat.createRoom({ id: cita, options: { private: true }, createdBy: 'host' })).resolves.toMatchObject({
        createdBy: 'host',
      });
      expect(await request(guest, 'room:join', { roomId: cita })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      const host = await rawSocket(url, { id: 'host' });
      expect(await request(host, 'room:join', { roomId: cita })).toMatchObject({
        ok: true,
        data: { room: { id: cita, createdBy: 'host' } },
      });
    });

    it('createRoomsOnJoin as a function of the room id and the user (which may be async)', async () => {
      const asked: Array<[string, string]> = [];
      const { url } = await startChat(
        options(makeStore(), {
          createRoomsOnJoin: async (roomId, user) => {
            asked.push([roomId, user.id]);
            return roomId.startsWith(`${user.id}-`);
          },
        }),
      );
      const mine = freshRoomId('ana');
      const ana = await rawSocket(url, { id: 'ana' });
      const luis = await rawSocket(url, { id: 'luis' });
      expect(await request(luis, 'room:join', { roomId: mine })).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
      // Made by a join: nobody is its creator (so nobody owns it) without ownerOnJoin.
      expect(okData(await request(ana, 'room:join', { roomId: mine })).room).not.toHaveProperty('createdBy');
      // The room exists now: the policy is not asked again.
      expect(await request(luis, 'room:join', { roomId: mine })).toMatchObject({ ok: true });
      expect(asked).toEqual([
        [mine, 'luis'],
        [mine, 'ana'],
      ]);
    });

    it('concurrent creates of one id: exactly one succeeds, over the server API and REST', async () => {
      const { chat, url } = await startChat(
        options(makeStore()),
        createServer((req, res) => handler(req, res)),
      );
      const handler = chat.httpHandler();
      const id = freshRoomId('cita');
      const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => chat.createRoom({ id, createdBy: `h${i}` })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'ROOM_EXISTS' });

      const restId = freshRoomId('rest');
      const statuses = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          fetch(`${url}/rooms`, {
            method: 'POST',
            headers: { authorization: `Bearer h${i}`, 'content-type': 'application/json' },
            body: JSON.stringify({ id: restId }),
          }).then((res) => res.status),
        ),
      );
      expect(statuses.sort()).toEqual([201, 409, 409, 409, 409]);
    });
  });
}

describeRoomIds('MemoryStore', () => new MemoryStore());

describe.skipIf(skipWithoutPostgres())('with PostgreSQL', () => {
  const schema = useTestSchema();
  describeRoomIds('PostgresStore', () => new PostgresStore({ pool: schema.pool() }));
});
