import { describe, expect, it } from 'vitest';
import type { ChatServerOptions } from '../../options.js';
import { PostgresStore } from '../../store/postgres/postgres-store.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';
import { eachRedis, startClusterChats } from '../../../../../test-support/cluster.js';
import { nextEvent, rawSocket, request, startChat, type RawSocket, type TestChat } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';

// A room made private after people joined it: those the new options refuse are out at once
// (no live messages, history or typing), and the others stay.
function suite(name: string, skip: boolean, options: () => ChatServerOptions) {
  describe.skipIf(skip)(`a room made private later (${name})`, () => {
    it('removes members the room no longer allows, everywhere they were served', async () => {
      const { url, chat } = await startChat({
        ...options(),
        typingTimeoutMs: 60_000,
        authenticate: (h) => ({ id: String(h.auth['id']), name: String(h.auth['id']) }),
      });
      await chat.createRoom({ id: 'cita-42', createdBy: 'host-user' });
      const host = await rawSocket(url, { id: 'host-user' });
      const guest = await rawSocket(url, { id: 'guest-user' });
      const joins = await Promise.all([host, guest].map((s) => request(s, 'room:join', { roomId: 'cita-42' })));
      expect(joins.every((r) => r.ok)).toBe(true);
      // The host's app makes the room private to the host.
      const removed = nextEvent(guest, 'room:removed');
      const room = await chat.updateRoom('cita-42', { options: { private: true } });
      expect(room.options.private).toBe(true);
      expect(await removed).toEqual({ roomId: 'cita-42', reason: 'forbidden' });

      // The guest is out: no live messages, no history, no typing, no sending.
      let leaked = 0;
      guest.on('message', () => leaked++);
      guest.on('typing', () => leaked++);
      await chat.updateRoom('cita-42', {}); // keeps the host (the creator is allowed)
      expect(await request(guest, 'message:history', { roomId: 'cita-42' })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
      expect(await request(guest, 'typing', { roomId: 'cita-42', typing: true })).toMatchObject({
        ok: false,
        error: { code: 'NOT_IN_ROOM' },
      });
      expect(await request(guest, 'room:join', { roomId: 'cita-42' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      await chat.sendMessage('cita-42', { user: { id: 'host-user', name: 'Dr. Ruiz' }, text: 'private now' });
      expect(await request(host, 'message:history', { roomId: 'cita-42' })).toMatchObject({ ok: true });
      expect(await request(host, 'typing', { roomId: 'cita-42', typing: true })).toMatchObject({ ok: true });
      await waitFor(async () => {
        const page = await request(host, 'message:history', { roomId: 'cita-42' });
        expect(page.ok && page.data.messages.map((m) => m.text)).toEqual(['private now']);
      });
      expect(leaked).toBe(0);
    });

    it('finding: a member authorize refuses after a change is no longer a stored member (issue 30, 2b)', async () => {
      const { url, chat } = await startChat({
        ...options(),
        roomCacheMs: 0,
        authenticate: (h) => ({ id: String(h.auth['id']), name: String(h.auth['id']) }),
        // The clinic: only the patient named in the room's metadata, and the doctor.
        authorize: (_action, ctx) => ctx.user.id === 'dr' || ctx.room?.metadata?.['patient'] === ctx.user.id,
      });
      const roomId = `cita-${Date.now()}`;
      await chat.createRoom({ id: roomId, createdBy: 'dr', metadata: { patient: 'pat' } });
      const dr = await rawSocket(url, { id: 'dr' });
      const pat = await rawSocket(url, { id: 'pat' });
      const patElsewhere = await rawSocket(url, { id: 'pat' }); // another tab, not in the room
      for (const socket of [dr, pat]) expect(await request(socket, 'room:join', { roomId })).toMatchObject({ ok: true });
      expect(await chat.store.isMember(roomId, 'pat')).toBe(true);
      // Before: the other tab hears of the room's messages, and lists it.
      let activity = 0;
      patElsewhere.on('room:activity', () => activity++);
      await chat.sendMessage(roomId, { user: { id: 'dr', name: 'dr' }, text: 'welcome' });
      await waitFor(() => expect(activity).toBe(1));
      const listed = async () => {
        const list = await request(patElsewhere, 'conversations:list', {});
        return list.ok && list.data.conversations.map((c) => c.room.id);
      };
      expect(await listed()).toContain(roomId);

      const removed = nextEvent(pat, 'room:removed');
      await chat.updateRoom(roomId, { metadata: { patient: 'someone-else' } });
      expect(await removed).toEqual({ roomId, reason: 'forbidden' });
      await waitFor(async () => expect(await chat.store.isMember(roomId, 'pat')).toBe(false));
      await chat.sendMessage(roomId, { user: { id: 'dr', name: 'dr' }, text: 'for the next patient' });
      // The room is gone from the list, and the new message brought no activity.
      expect(await listed()).not.toContain(roomId);
      expect(activity).toBe(1);
    });

    it('authorize is asked with the room as it is now, before history and typing', async () => {
      let allowGuest = true;
      const { url, chat } = await startChat({
        ...options(),
        roomCacheMs: 0,
        authorize: (_action, ctx) => ctx.user.name !== 'Guest' || allowGuest || ctx.room?.metadata?.['open'] === true,
      });
      await chat.createRoom({ id: 'r' });
      const guest = await rawSocket(url, { name: 'Guest' });
      expect(await request(guest, 'room:join', { roomId: 'r' })).toMatchObject({ ok: true });
      allowGuest = false;
      expect(await request(guest, 'message:history', { roomId: 'r' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await request(guest, 'typing', { roomId: 'r', typing: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      await chat.updateRoom('r', { metadata: { open: true } });
      expect(await request(guest, 'message:history', { roomId: 'r' })).toMatchObject({ ok: true });
    });
  });
}

suite('memory store', false, () => ({}));

const schema = skipWithoutPostgres() ? undefined : useTestSchema();
suite('PostgreSQL', schema === undefined, () => ({
  store: new PostgresStore({ pool: (schema as ReturnType<typeof useTestSchema>).pool() }),
}));

eachRedis('a room made private later', (redis, clusterSchema) => {
  it('members on another process are removed too', async () => {
    // Processes of one cluster share one store: membership (who may stay) is in it.
    const pool = clusterSchema.pool();
    const [a, b] = (await startClusterChats(2, {}, redis(), () => new PostgresStore({ pool }))) as [TestChat, TestChat];
    const roomId = 'r-cluster';
    await a.chat.createRoom({ id: roomId, createdBy: 'nobody' });
    const guest: RawSocket = await rawSocket(b.url, { name: 'Guest' });
    expect(await request(guest, 'room:join', { roomId })).toMatchObject({ ok: true });
    const removed = nextEvent(guest, 'room:removed');
    await a.chat.updateRoom(roomId, { options: { private: true } });
    expect(await removed).toEqual({ roomId, reason: 'forbidden' });
    expect(await request(guest, 'message:history', { roomId })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
  });
});
