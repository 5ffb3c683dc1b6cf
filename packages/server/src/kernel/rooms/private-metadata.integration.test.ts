import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Room } from '@chat/protocol';
import type { ChatContext } from '../../options.js';
import type { ChatStore } from '../../core/chat-store.js';
import { MemoryStore } from '../../store/memory-store.js';
import { PostgresStore } from '../../store/postgres/postgres-store.js';
import { nextEvent, rawSocket, request, startChat } from '../../../../../test-support/servers.js';
import { freshRoomId } from '../../../../../test-support/store-conformance.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

const SECRET = { patientId: 'p-7731', insurer: 'Mapfre' };

function describePrivateMetadata(name: string, makeStore: () => ChatStore) {
  describe(`privateMetadata stays on the server (${name})`, () => {
    it('members and REST clients never receive it; the server API and the hooks do', async () => {
      const seen: Array<[string, Room | undefined]> = [];
      const record = (action: string, ctx: ChatContext) => seen.push([action, ctx.room]);
      const { url, chat } = await startChat(
        {
          store: makeStore(),
          authenticate: ({ auth }) => {
            const id = String(auth['id'] ?? auth['token']);
            return { id, name: id };
          },
          authorize: (action, ctx) => {
            record(action, ctx);
            return true;
          },
          beforeMessage: (draft, ctx) => {
            record('beforeMessage', ctx);
            return draft;
          },
        },
        createServer((req, res) => handler(req, res)),
      );
      const handler = chat.httpHandler();
      const rest = async (method: string, path: string) => {
        const res = await fetch(`${url}${path}`, { method, headers: { authorization: 'Bearer dr' } });
        return { status: res.status, text: await res.text() };
      };

      const id = freshRoomId('cita');
      const created = await chat.createRoom({ id, metadata: { topic: 'follow-up' }, privateMetadata: SECRET, createdBy: 'dr' });
      expect(created).toMatchObject({ metadata: { topic: 'follow-up' }, privateMetadata: SECRET });
      expect(await chat.getRoom(id)).toMatchObject({ privateMetadata: SECRET });
      expect((await chat.listRooms()).find((r) => r.id === id)).toMatchObject({ privateMetadata: SECRET });

      // The join ack: metadata yes, privateMetadata no.
      const member = await rawSocket(url, { id: 'patient' });
      const joined = await request(member, 'room:join', { roomId: id });
      expect(joined).toMatchObject({ ok: true, data: { room: { id, metadata: { topic: 'follow-up' } } } });
      expect(JSON.stringify(joined)).not.toContain('p-7731');
      expect(JSON.stringify(joined)).not.toContain('privateMetadata');

      // The hooks see it.
      await request(member, 'message:send', { roomId: id, clientId: 'c1', text: 'hola' });
      expect(seen.find(([action]) => action === 'room:join')?.[1]?.privateMetadata).toEqual(SECRET);
      expect(seen.find(([action]) => action === 'message:send')?.[1]?.privateMetadata).toEqual(SECRET);
      expect(seen.find(([action]) => action === 'beforeMessage')?.[1]?.privateMetadata).toEqual(SECRET);

      // REST bodies never carry it.
      const one = await rest('GET', `/rooms/${id}`);
      const list = await rest('GET', '/rooms');
      expect(one.status).toBe(200);
      expect(JSON.parse(one.text)).toMatchObject({ room: { id, metadata: { topic: 'follow-up' } } });
      expect(list.status).toBe(200);
      expect(JSON.parse(list.text).rooms.map((r: Room) => r.id)).toContain(id);
      for (const reply of [one, list]) expect(reply.text).not.toContain('p-7731');
      expect(seen.find(([action, room]) => action === 'room:read' && room?.id === id)?.[1]?.privateMetadata).toEqual(SECRET);

      // Nor does room:ended, nor the REST answer of ending it; chat.on('room:ended') does.
      const ended = nextEvent(member, 'room:ended');
      const serverSide = new Promise<Room>((resolve) => chat.once('room:ended', resolve));
      const end = await rest('POST', `/rooms/${id}/end`);
      expect(end.status).toBe(200);
      expect(end.text).not.toContain('p-7731');
      const event = await ended;
      expect(event.room).toMatchObject({ id, metadata: { topic: 'follow-up' } });
      expect(event.room).not.toHaveProperty('privateMetadata');
      expect((await serverSide).privateMetadata).toEqual(SECRET);
    });

    it('updateRoom replaces it; REST POST /rooms refuses it and answers without it', async () => {
      const { url, chat } = await startChat(
        { store: makeStore(), authenticate: ({ auth }) => ({ id: String(auth['token']), name: 'Host' }) },
        createServer((req, res) => handler(req, res)),
      );
      const handler = chat.httpHandler();
      const id = freshRoomId('cita');
      const post = (body: unknown) =>
        fetch(`${url}/rooms`, {
          method: 'POST',
          headers: { authorization: 'Bearer dr', 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }).then(async (res) => ({ status: res.status, body: (await res.json()) as Record<string, unknown> }));

      expect(await post({ id, privateMetadata: { patientId: 'x' } })).toEqual({
        status: 400,
        body: {
          error: {
            code: 'VALIDATION_FAILED',
            lang: 'en',
            message: 'privateMetadata can only be set by the server (chat.createRoom), not over REST.',
          },
        },
      });
      expect(await chat.getRoom(id)).toBeNull();
      expect(await post({ id })).toMatchObject({ status: 201 });
      const updated = await chat.updateRoom(id, { privateMetadata: SECRET });
      expect(updated.privateMetadata).toEqual(SECRET);
      expect((await chat.updateRoom(id, { title: 'Consulta' })).privateMetadata).toEqual(SECRET);
      await expect(chat.updateRoom(id, { privateMetadata: { big: 'x'.repeat(9000) } })).rejects.toMatchObject({
        message: 'privateMetadata can be at most 8192 bytes of JSON.',
      });
      await expect(chat.createRoom({ privateMetadata: [] as unknown as Record<string, unknown> })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
    });
  });
}

describePrivateMetadata('MemoryStore', () => new MemoryStore());

describe.skipIf(skipWithoutPostgres())('with PostgreSQL', () => {
  const schema = useTestSchema();
  describePrivateMetadata('PostgresStore', () => new PostgresStore({ pool: schema.pool() }));
});
