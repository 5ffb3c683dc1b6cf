import { expect, it } from 'vitest';
import type { NotifyEvent } from '../../core/notify.js';
import type { RoomActivityEvent } from '@chat/protocol';
import { okData, request, type RawSocket } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { clusterSuite, connect, eachStore, fresh, join, list, say, startWithRest } from '../conversations/conversation-fixtures.js';

// Issue 30, item 2a: a ban refused joins and history, but the banned user stayed a stored
// member, so the room kept reaching them: `room:activity` with each new last message, the room
// in `conversations:list` and `GET /me/rooms`, read marks and notification levels, and `notify`
// for a mention while offline. A ban ends the membership: every one of those paths is cut.

function activity(socket: RawSocket): RoomActivityEvent[] {
  const events: RoomActivityEvent[] = [];
  socket.on('room:activity', (event) => events.push(event));
  return events;
}

eachStore('a banned user', (store) => {
  it('hears nothing more of the room: no activity, no row in lists, no marks or levels, no notify', async () => {
    const notified: Array<[string, NotifyEvent]> = [];
    const { url, chat, rest } = await startWithRest({
      store: store(),
      notify: (user, event) => void notified.push([user.id, event]),
    });
    const roomId = fresh('town');
    const [ana, troll, eva] = [fresh('ana'), fresh('troll'), fresh('eva')];
    const anaSocket = await connect(url, ana);
    const trollInRoom = await connect(url, troll);
    const trollInbox = await connect(url, troll);
    const evaInbox = await connect(url, eva);
    await join(anaSocket, roomId);
    await join(trollInRoom, roomId);
    await join(evaInbox, roomId);
    okData(await request(evaInbox, 'room:leave', { roomId }));
    const [trollHears, evaHears] = [activity(trollInbox), activity(evaInbox)];
    // Before the ban: a member elsewhere hears of the room.
    await say(anaSocket, roomId, 'hola');
    await waitFor(() => expect(trollHears.at(-1)).toMatchObject({ roomId, lastMessage: { text: 'hola' } }));
    expect((await list(trollInbox)).map((c) => c.room.id)).toContain(roomId);

    await chat.ban(roomId, troll, { reason: 'spam' });
    trollInRoom.disconnect();
    trollHears.length = 0;
    await say(anaSocket, roomId, 'secret plans');
    // A mention of the banned user (now offline) is not kept, so no notify carries the text.
    await say(anaSocket, roomId, `@troll and @eva`, [troll, eva]);
    // Eva, a member elsewhere, hears of both; by then the banned user would have too.
    await waitFor(() => expect(evaHears.at(-1)).toMatchObject({ roomId, lastMessage: { text: '@troll and @eva' } }));
    expect(trollHears).toEqual([]);
    expect(notified.map(([id]) => id)).not.toContain(troll);

    expect((await list(trollInbox)).map((c) => c.room.id)).not.toContain(roomId);
    const mine = await rest('GET', '/me/rooms', troll);
    expect(mine.status).toBe(200);
    expect((mine.body.conversations as Array<{ room: { id: string } }>).map((c) => c.room.id)).not.toContain(roomId);
    expect(await request(trollInbox, 'read:mark', { roomId, seq: 3 })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    expect(await request(trollInbox, 'notifications:set', { roomId, level: 'all' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_IN_ROOM' },
    });
    expect(await request(trollInbox, 'room:join', { roomId })).toMatchObject({ ok: false, error: { code: 'BANNED' } });

    // Unbanned, they join again as a member, and hear of the room again.
    await chat.unban(roomId, troll);
    const back = await connect(url, troll);
    await join(back, roomId);
    okData(await request(back, 'room:leave', { roomId }));
    const hearsAgain = activity(back);
    await say(anaSocket, roomId, 'welcome back');
    await waitFor(() => expect(hearsAgain.at(-1)).toMatchObject({ roomId, lastMessage: { text: 'welcome back' } }));
  });
});

clusterSuite('a user banned through another process', (twoProcesses) => {
  it('hears nothing more of the room from this one, though it had read the room’s members a moment before', async () => {
    const [a, b] = await twoProcesses();
    const roomId = fresh('town');
    const [ana, troll, eva] = [fresh('ana'), fresh('troll'), fresh('eva')];
    const anaOnB = await connect(b.url, ana);
    const trollOnB = await connect(b.url, troll);
    const evaOnB = await connect(b.url, eva);
    for (const socket of [anaOnB, trollOnB, evaOnB]) await join(socket, roomId);
    for (const socket of [trollOnB, evaOnB]) okData(await request(socket, 'room:leave', { roomId }));
    const [trollHears, evaHears] = [activity(trollOnB), activity(evaOnB)];
    // Process B reads the room's members for this message and keeps them for a moment.
    await say(anaOnB, roomId, 'hola');
    await waitFor(() => expect(trollHears.at(-1)).toMatchObject({ roomId, lastMessage: { text: 'hola' } }));

    await a.chat.ban(roomId, troll);
    trollHears.length = 0;
    await say(anaOnB, roomId, 'after the ban');
    await waitFor(() => expect(evaHears.at(-1)).toMatchObject({ roomId, lastMessage: { text: 'after the ban' } }));
    expect(trollHears).toEqual([]);
    expect((await list(trollOnB)).map((c) => c.room.id)).not.toContain(roomId);
  });
});
