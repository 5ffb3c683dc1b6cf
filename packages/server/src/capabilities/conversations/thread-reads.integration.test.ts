import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Message } from '@chat/protocol';
import { nextEvent, okData, request, startChat, type RawSocket } from '../../../../../test-support/servers.js';
import { byHandshake, clusterSuite, connect, eachStore, fresh, join, rowOf, say } from './conversation-fixtures.js';

// Unread per thread for its participants: `read:mark { threadOf }`, the join ack's `threads`,
// `threadUnread` in conversations and room:activity, with each store and on two processes.

async function reply(socket: RawSocket, roomId: string, threadOf: string, text: string): Promise<Message> {
  return okData(await request(socket, 'message:send', { roomId, clientId: randomUUID(), text, threadOf })).message;
}

async function refusal(socket: RawSocket, payload: Record<string, unknown>) {
  const ack = await request(socket, 'read:mark', payload as never);
  if (ack.ok) throw new Error('expected a refusal');
  return { code: ack.error.code, message: ack.error.message };
}

eachStore('thread read marks', (store) => {
  it('lists unread threads in the join ack, moves a thread mark apart from the room mark, and tells the other sockets', async () => {
    const { url } = await startChat({ store: store(), authenticate: byHandshake });
    const roomId = fresh('town');
    const anaId = fresh('ana');
    const [ana, ben] = [await connect(url, anaId, 'Ana'), await connect(url, fresh('ben'), 'Ben')];
    await join(ana, roomId);
    await join(ben, roomId);
    const parent = await say(ana, roomId, 'Release on Friday?');
    const other = await say(ana, roomId, 'Lunch?');
    const first = await reply(ben, roomId, parent.id, 'Yes');
    const second = await reply(ben, roomId, parent.id, 'After the freeze');
    const noodles = await reply(ben, roomId, other.id, 'Noodles');
    // Ana's main log is read; her threads are not.
    await request(ana, 'read:mark', { roomId, seq: 99 });
    const again = await connect(url, anaId, 'Ana');
    expect((await join(again, roomId)).threads).toEqual([
      { threadOf: other.id, readSeq: 0, unread: 1 },
      { threadOf: parent.id, readSeq: 0, unread: 2 },
    ]);
    // Ben takes part in both threads, and his own replies are read: listed with nothing unread, so
    // that a client counts their next replies.
    expect((await join(ben, roomId)).threads).toEqual([
      { threadOf: other.id, readSeq: noodles.seq, unread: 0 },
      { threadOf: parent.id, readSeq: second.seq, unread: 0 },
    ]);

    // A socket of Ana's outside the room hears her thread unread go down; one in the room hears the thread's mark.
    const away = await connect(url, anaId, 'Ana');
    const told = nextEvent(away, 'room:activity', (e) => e.roomId === roomId && e.threadUnread === 2);
    const moved = nextEvent(again, 'thread:read');
    const benHeard: unknown[] = [];
    ben.on('thread:read', (e) => benHeard.push(e));
    // A reply's id names its thread too.
    expect(okData(await request(ana, 'read:mark', { roomId, seq: first.seq, threadOf: second.id }))).toEqual({ seq: first.seq });
    expect(await told).toMatchObject({ roomId, unread: 0, threadUnread: 2 });
    expect(await moved).toEqual({ roomId, threadOf: parent.id, readSeq: first.seq, unread: 1 });
    // Only Ana's sockets: Ben's next answer comes after any event sent to him before it.
    await request(ben, 'message:history', { roomId, limit: 1 });
    expect(benHeard).toEqual([]);
    // A mark that does not move tells nobody; the next one that reads everything says 0 are left.
    const next = nextEvent(again, 'thread:read');
    expect(okData(await request(ana, 'read:mark', { roomId, seq: 1, threadOf: parent.id }))).toEqual({ seq: first.seq });
    expect((await rowOf(ana, roomId))?.threadUnread).toBe(2);
    // Clamped to the room's last message.
    const last = await say(ben, roomId, 'x');
    expect(okData(await request(ana, 'read:mark', { roomId, seq: 1e9, threadOf: parent.id }))).toEqual({ seq: last.seq });
    expect(await next).toEqual({ roomId, threadOf: parent.id, readSeq: last.seq, unread: 0 });
    expect(await rowOf(ana, roomId)).toMatchObject({ threadUnread: 1 });
    expect((await join(again, roomId)).threads).toEqual([
      { threadOf: other.id, readSeq: 0, unread: 1 },
      { threadOf: parent.id, readSeq: last.seq, unread: 0 },
    ]);
  });

  it('refuses bad thread marks with a code and a sentence', async () => {
    const { url } = await startChat({ store: store(), authenticate: byHandshake });
    const roomId = fresh('town');
    const [ana, eve] = [await connect(url, fresh('ana'), 'Ana'), await connect(url, fresh('eve'), 'Eve')];
    await join(ana, roomId);
    const parent = await say(ana, roomId, 'Release on Friday?');
    expect(await refusal(ana, { roomId, seq: 1, threadOf: 'no-such-message' })).toEqual({
      code: 'MESSAGE_NOT_FOUND',
      message: 'There is no message "no-such-message" in this room.',
    });
    expect(await refusal(ana, { roomId, seq: 1, threadOf: 'a b' })).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'threadOf may contain only letters, digits and . _ : @ -',
    });
    expect(await refusal(ana, { roomId, seq: -1, threadOf: parent.id })).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await refusal(eve, { roomId, seq: 1, threadOf: parent.id })).toMatchObject({ code: 'NOT_IN_ROOM' });
    expect(await refusal(ana, { roomId: fresh('nowhere'), seq: 1, threadOf: parent.id })).toMatchObject({ code: 'ROOM_NOT_FOUND' });
  });
});

clusterSuite('thread read marks', (twoProcesses) => {
  it('a mark made on one process is what a join on the other sees, and its sockets outside the room are told', async () => {
    const [a, b] = await twoProcesses();
    const roomId = fresh('town');
    const anaId = fresh('ana');
    const [ana, ben] = [await connect(a.url, anaId, 'Ana'), await connect(b.url, fresh('ben'), 'Ben')];
    await join(ana, roomId);
    await join(ben, roomId);
    const parent = await say(ana, roomId, 'Release on Friday?');
    const replies = [await reply(ben, roomId, parent.id, 'Yes'), await reply(ben, roomId, parent.id, 'Friday')];
    const away = await connect(b.url, anaId, 'Ana');
    const inRoom = await connect(b.url, anaId, 'Ana');
    await join(inRoom, roomId);
    const told = nextEvent(away, 'room:activity', (e) => e.roomId === roomId && e.threadUnread === undefined);
    const moved = nextEvent(inRoom, 'thread:read');
    await request(ana, 'read:mark', { roomId, seq: (replies[0] as Message).seq, threadOf: parent.id });
    // Ana's socket in the room on the other process hears her mark in the thread, and what is left unread there.
    expect(await moved).toEqual({ roomId, threadOf: parent.id, readSeq: (replies[0] as Message).seq, unread: 1 });
    await request(ana, 'read:mark', { roomId, seq: (replies[1] as Message).seq, threadOf: parent.id });
    expect(await told).toMatchObject({ roomId, unread: 0 });
    const onB = await connect(b.url, anaId, 'Ana');
    expect((await join(onB, roomId)).threads).toEqual([{ threadOf: parent.id, readSeq: (replies[1] as Message).seq, unread: 0 }]);
    await reply(ben, roomId, parent.id, 'Or Monday');
    expect((await join(onB, roomId)).threads).toEqual([{ threadOf: parent.id, readSeq: (replies[1] as Message).seq, unread: 1 }]);
  });
});
