import { describe, expect, it } from 'vitest';
import type { ChatError, RoomRemovedReason } from '@chat/protocol';
import { sdkClient, startChat } from '../../../test-support/servers.js';
import { waitFor } from '../../../test-support/wait.js';
import { Gate } from '../../../test-support/gate.js';

// Attack round 2 (issue 14): the SDK's re-join after a reconnect, when the app or the server
// does something at the same moment. The promise under test: a client that was away ends in
// the state of one that stayed, and a room it left or lost is closed cleanly.

const ana = { name: 'Ana', guestKey: 'ana-guest-key-0123456789' };

describe('leave() while the room is re-joining after a reconnect', () => {
  it('leaves no ghost on the server, and the room can be joined again', async () => {
    const joins = new Gate();
    const { url, chat } = await startChat({
      presenceCoalesceMs: 10,
      authorize: async (action) => {
        if (action === 'room:join') await joins.wait();
        return true;
      },
    });
    const client = sdkClient(url, { auth: ana });
    const room = await client.join('r');
    const luis = await sdkClient(url, { auth: { name: 'Luis' } }).join('r');
    await waitFor(() => expect(luis.members.map((m) => m.name).sort()).toEqual(['Ana', 'Luis']));

    joins.close();
    chat.io.of('/').disconnectSockets(true);
    await waitFor(() => expect(room.state).toBe('syncing'));
    await room.leave(); // the re-join is held on the server
    expect(room.state).toBe('left');
    const serverJoined = new Promise<void>((resolve) => chat.on('join', (e) => e.member.name === 'Ana' && resolve()));
    joins.open();
    await serverJoined;

    // Ana left: once things settle, Luis must not see her, and she can come back.
    await waitFor(() => expect(luis.members.map((m) => m.name)).toEqual(['Luis']));
    const again = await client.join('r');
    expect(again.state).toBe('joined');
  });
});

describe('a re-join the server refuses', () => {
  it('FORBIDDEN (made private while away): the room is left, says removed, and its outbox fails with FORBIDDEN', async () => {
    const { url, chat } = await startChat({ authenticate: (h) => ({ id: String(h.auth['token']), name: String(h.auth['token']) }) });
    await chat.createRoom({ id: 'p', createdBy: 'host' });
    const client = sdkClient(url, { auth: { token: 'guest' }, socketOptions: { reconnectionDelay: 300, reconnectionDelayMax: 300 } });
    const room = await client.join('p');
    const reasons: RoomRemovedReason[] = [];
    room.on('removed', (r) => reasons.push(r));
    const errors: ChatError[] = [];
    client.on('error', (e) => errors.push(e));
    client.socket.io.engine.close(); // away...
    const queued = room.send('written while away');
    await chat.updateRoom('p', { options: { private: true } }); // ...while the room is made private
    await expect(queued).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(room.state).toBe('left');
    expect(reasons).toEqual(['forbidden']);
    expect(client.getRoom('p')).toBeUndefined();
    expect(client.state).toBe('connected');
  });

  it('ROOM_ENDED (ended while away): the room says ended and its outbox fails with ROOM_ENDED', async () => {
    const { url, chat } = await startChat();
    await chat.createRoom({ id: 'e' });
    const client = sdkClient(url, { socketOptions: { reconnectionDelay: 300, reconnectionDelayMax: 300 } });
    const room = await client.join('e');
    const ended = new Promise((resolve) => room.on('ended', resolve));
    client.socket.io.engine.close();
    const queued = room.send('written while away');
    await chat.endRoom('e');
    await expect(queued).rejects.toMatchObject({ code: 'ROOM_ENDED' });
    await ended;
    expect(room.state).toBe('ended');
    expect(room.room?.endedAt).toBeTruthy();
  });
});

describe('catch-up paging after a long outage, with a small history budget', () => {
  it('is waited out, not given up: the room ends joined with every message', async () => {
    // The re-join's page (5 messages of ~1.5 kB) puts the user ~6.5 kB in debt at 500 B/s: the
    // next page is refused with a wait of ~13 s, longer than the SDK waits out for a join().
    const { url, chat } = await startChat({
      limits: { readBytesBurst: 1000, readBytesPerSecond: 500, maxHistoryPage: 5, defaultHistoryPage: 5 },
    });
    const client = sdkClient(url, { auth: ana });
    const room = await client.join('long');
    const errors: ChatError[] = [];
    client.on('error', (e) => errors.push(e));
    client.socket.io.reconnection(false);
    client.socket.io.engine.close();
    await waitFor(() => expect(client.state).toBe('reconnecting'));
    const bot = { id: 'bot', name: 'Bot' };
    for (let i = 1; i <= 8; i++) await chat.sendMessage('long', { user: bot, text: `${i} ${'x'.repeat(1300)}` });
    client.socket.io.reconnection(true);
    client.socket.connect();
    await waitFor(() => expect(room.messages.length).toBe(8), { timeout: 30_000 });
    expect(room.state).toBe('joined');
    expect(room.messages.map((m) => m.seq)).toEqual(Array.from({ length: 8 }, (_, i) => i + 1));
    expect(client.getRoom('long')).toBe(room);
  }, 40_000);
});
