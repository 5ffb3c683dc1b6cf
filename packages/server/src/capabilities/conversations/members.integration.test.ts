import { expect, it } from 'vitest';
import type { ChatServer } from '../../chat-server.js';
import { nextEvent, request, startChat, type RawSocket } from '../../../../../test-support/servers.js';
import { byHandshake, clusterSuite, connect, eachStore, fresh, join, list, say } from './conversation-fixtures.js';

// The host's private room with Luis added as a member: Luis may join it, Eva may not.
async function privateRoomWithLuis(chat: ChatServer, hostUrl: string, luisUrl: string) {
  const [host, luis, eva] = [fresh('host'), fresh('luis'), fresh('eva')];
  const room = await chat.createRoom({ id: fresh('private'), options: { private: true }, createdBy: host });
  const hostSocket = await connect(hostUrl, host);
  const luisSocket = await connect(luisUrl, luis);
  const evaSocket = await connect(luisUrl, eva);
  expect(await request(luisSocket, 'room:join', { roomId: room.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  await chat.addMembers(room.id, [luis]);
  await join(hostSocket, room.id);
  await join(luisSocket, room.id);
  expect(await request(evaSocket, 'room:join', { roomId: room.id })).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN', message: 'This room is private.' },
  });
  return { room, host, luis, hostSocket, luisSocket };
}

async function expectRemoved(chat: ChatServer, socket: RawSocket, roomId: string, removed: Promise<unknown>, userId: string) {
  expect(await removed).toEqual({ roomId, reason: 'removed' });
  let leaked = 0;
  socket.on('message', () => leaked++);
  expect(await request(socket, 'message:history', { roomId })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
  expect(await request(socket, 'room:join', { roomId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  expect(await request(socket, 'read:mark', { roomId, seq: 1 })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
  expect((await list(socket)).map((c) => c.room.id)).not.toContain(roomId);
  expect(await chat.store.isMember(roomId, userId)).toBe(false);
  return () => leaked;
}

eachStore('members of private rooms', (store) => {
  it('a member removed while connected leaves at once, and cannot come back', async () => {
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake });
    const { room, luis, hostSocket, luisSocket } = await privateRoomWithLuis(chat, url, url);
    const gone = nextEvent(hostSocket, 'presence', (d) => d.left.includes(luis));
    const removed = nextEvent(luisSocket, 'room:removed');
    await chat.removeMembers(room.id, [luis, luis, 'not-a-member']);
    const leaked = await expectRemoved(chat, luisSocket, room.id, removed, luis);
    await gone;
    await say(hostSocket, room.id, 'after Luis left');
    expect(leaked()).toBe(0);
  });

  it('addMembers and removeMembers: bad input gets a coded error', async () => {
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake });
    const room = await chat.createRoom({ id: fresh('room'), options: { private: true } });
    const ephemeral = await chat.createRoom({ id: fresh('eph'), options: { ephemeral: true } });
    await expect(chat.addMembers(room.id, ['never-seen'])).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'There is no user "never-seen".',
    });
    await expect(chat.addMembers(fresh('nowhere'), [{ id: 'x', name: 'X' }])).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
    await expect(chat.addMembers(ephemeral.id, [{ id: 'x', name: 'X' }])).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(chat.addMembers('bad id!', [{ id: 'x', name: 'X' }])).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(chat.addMembers(room.id, [{ id: 'x', name: '' }])).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(chat.removeMembers(room.id, [''])).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(chat.removeMembers(fresh('nowhere'), ['x'])).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
    // A user who has signed in once may be added by id.
    const ana = fresh('ana');
    (await connect(url, ana, 'Ana')).disconnect();
    await chat.addMembers(room.id, [ana, { id: fresh('new'), name: 'New' }]);
    expect((await chat.store.listMembers(room.id)).map((m) => m.user.name).sort()).toEqual(['Ana', 'New']);
  });

  it('a room made private keeps only its creator (and who the host adds) as members', async () => {
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake });
    const [host, ana, luis] = [fresh('host'), fresh('ana'), fresh('luis')];
    const room = await chat.createRoom({ id: fresh('room'), createdBy: host });
    for (const id of [host, ana, luis]) await join(await connect(url, id), room.id);
    await chat.updateRoom(room.id, { options: { private: true } });
    expect((await chat.store.listMembers(room.id)).map((m) => m.user.id)).toEqual([host]);
    await chat.addMembers(room.id, [ana]);
    expect(await request(await connect(url, ana), 'room:join', { roomId: room.id })).toMatchObject({ ok: true });
    expect(await request(await connect(url, luis), 'room:join', { roomId: room.id })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});

eachStore('members of a room made private, with an authorize option', (store) => {
  it('those it keeps in stay members (they mark and list it); the others are not, and their lists do not show it', async () => {
    const { url, chat } = await startChat({
      store: store(),
      authenticate: byHandshake,
      authorize: (_action, ctx) => !ctx.room?.options.private || ctx.user.id.startsWith('staff'),
    });
    const [staff, guest] = [fresh('staff'), fresh('guest')];
    const room = await chat.createRoom({ id: fresh('room') });
    const staffSocket = await connect(url, staff);
    const guestSocket = await connect(url, guest);
    await join(staffSocket, room.id);
    await join(guestSocket, room.id);
    await say(staffSocket, room.id, 'before');
    const removed = nextEvent(guestSocket, 'room:removed');
    await chat.updateRoom(room.id, { options: { private: true } });
    expect(await removed).toEqual({ roomId: room.id, reason: 'forbidden' });
    expect((await chat.store.listMembers(room.id)).map((m) => m.user.id)).toEqual([staff]);
    await say(staffSocket, room.id, 'staff only');
    expect(await request(staffSocket, 'read:mark', { roomId: room.id, seq: 2 })).toEqual({ ok: true, data: { seq: 2 } });
    expect((await list(staffSocket)).map((c) => c.room.id)).toContain(room.id);
    expect((await list(guestSocket)).map((c) => c.room.id)).not.toContain(room.id);
  });
});

clusterSuite('members of private rooms', (twoProcesses) => {
  it('a member removed while connected to another process leaves at once there too', async () => {
    const [a, b] = await twoProcesses();
    const { room, luis, luisSocket } = await privateRoomWithLuis(a.chat, a.url, b.url);
    const removed = nextEvent(luisSocket, 'room:removed');
    await a.chat.removeMembers(room.id, [luis]);
    // Resolved only once the other process took his socket out of the room: checked at once, not polled.
    expect(
      b.chat.io
        .of('/')
        .adapter.rooms.get(room.id)
        ?.has(luisSocket.id ?? '') ?? false,
    ).toBe(false);
    await expectRemoved(a.chat, luisSocket, room.id, removed, luis);
  });
});
