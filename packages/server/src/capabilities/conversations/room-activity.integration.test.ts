import { expect, it } from 'vitest';
import type { RoomActivityEvent } from '@chat/protocol';
import { nextEvent, okData, request, startChat, type RawSocket } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { byHandshake, clusterSuite, connect, eachStore, fresh, join, say } from './conversation-fixtures.js';

function collect(socket: RawSocket): RoomActivityEvent[] {
  const events: RoomActivityEvent[] = [];
  socket.on('room:activity', (event) => events.push(event));
  return events;
}

eachStore('room:activity', (store) => {
  it('reaches a member’s sockets that have not joined the room, with exact counts; not the ones in it, not others', async () => {
    const { url } = await startChat({ store: store(), authenticate: byHandshake });
    const roomId = fresh('room');
    const [ana, luis] = [fresh('ana'), fresh('luis')];
    const anaInRoom = await connect(url, ana);
    const anaInbox = await connect(url, ana);
    const luisSocket = await connect(url, luis);
    const stranger = await connect(url, fresh('eva'));
    await join(anaInRoom, roomId);
    await join(luisSocket, roomId);
    const [inbox, inRoom, strangers, senders] = [collect(anaInbox), collect(anaInRoom), collect(stranger), collect(luisSocket)];

    await say(luisSocket, roomId, 'hola');
    await waitFor(() => expect(inbox.at(-1)).toMatchObject({ roomId, unread: 1, mentions: 0, lastMessage: { seq: 1, text: 'hola' } }));
    await say(luisSocket, roomId, '@ana mira', [ana]);
    await waitFor(() => expect(inbox.at(-1)).toMatchObject({ roomId, unread: 2, mentions: 1, lastMessage: { seq: 2 } }));
    // Read on the socket in the room: the inbox hears its count went down.
    await request(anaInRoom, 'read:mark', { roomId, seq: 2 });
    await waitFor(() => expect(inbox.at(-1)).toMatchObject({ roomId, unread: 0, mentions: 0, lastMessage: { seq: 2 } }));
    expect(inRoom).toEqual([]);
    expect(strangers).toEqual([]);
    expect(senders).toEqual([]);
    // The inbox joins the room: from then on the messages themselves come, no activity.
    await join(anaInbox, roomId);
    const before = inbox.length;
    await say(luisSocket, roomId, 'ya estás');
    // Ana's own message reaches the (former) inbox after any activity of the message before it.
    const own = nextEvent(anaInbox, 'message', (m) => m.text === 'sí');
    await say(anaInRoom, roomId, 'sí');
    await own;
    expect(inbox.length).toBe(before);
  });

  it('a member who left the room (still a member) keeps hearing of it; rooms above 100 members send none', async () => {
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake });
    const [small, big] = [fresh('small'), fresh('big')];
    const ana = fresh('ana');
    const anaSocket = await connect(url, ana);
    const luisSocket = await connect(url, fresh('luis'));
    await chat.createRoom({ id: big });
    await chat.addMembers(
      big,
      Array.from({ length: 100 }, (_, i) => ({ id: `${big}-m${i}`, name: `M${i}` })),
    );
    for (const id of [small, big]) {
      await join(anaSocket, id);
      await join(luisSocket, id);
      okData(await request(anaSocket, 'room:leave', { roomId: id }));
    }
    const events = collect(anaSocket);
    await say(luisSocket, big, 'to the many');
    await say(luisSocket, small, 'to the few');
    await waitFor(() => expect(events.at(-1)).toMatchObject({ roomId: small, unread: 1 }));
    expect(events.map((e) => e.roomId)).toEqual([small]);
    expect((await chat.conversations(ana)).find((c) => c.room.id === big)).toMatchObject({ unread: 1 });
  });
});

clusterSuite('room:activity', (twoProcesses) => {
  it('reaches a member’s socket on another process', async () => {
    const [a, b] = await twoProcesses();
    const roomId = fresh('room');
    const ana = fresh('ana');
    const anaOnA = await connect(a.url, ana);
    const anaInboxOnB = await connect(b.url, ana);
    const luisOnA = await connect(a.url, fresh('luis'));
    await join(anaOnA, roomId);
    await join(luisOnA, roomId);
    const [inbox, inRoom] = [collect(anaInboxOnB), collect(anaOnA)];
    await say(luisOnA, roomId, '@ana hola', [ana]);
    await waitFor(() => expect(inbox.at(-1)).toMatchObject({ roomId, unread: 1, mentions: 1, lastMessage: { seq: 1 } }));
    expect(inRoom).toEqual([]);
  });
});
