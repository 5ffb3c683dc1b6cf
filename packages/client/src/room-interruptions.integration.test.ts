import { describe, expect, it } from 'vitest';
import type { RoomRemovedReason } from '@chat/protocol';
import type { Discontinuity } from './core/room-types.js';
import { awayAndBack, rawSocket, request, sdkClient, startChat } from '../../../test-support/servers.js';
import { waitFor } from '../../../test-support/wait.js';
import { Gate } from '../../../test-support/gate.js';

describe('what the SDK tells an app when the server interrupts a room', () => {
  it('discontinuity "gap" when messages of an ephemeral room were missed while away; none for what came before the join', async () => {
    const { url, chat } = await startChat();
    await chat.createRoom({ id: 'live', options: { ephemeral: true } });
    await chat.sendMessage('live', { user: { id: 'bot', name: 'Bot' }, text: 'before you came' });
    const client = sdkClient(url);
    const room = await client.join('live');
    const events: Discontinuity[] = [];
    room.on('discontinuity', (e) => events.push(e));
    await chat.sendMessage('live', { user: { id: 'bot', name: 'Bot' }, text: 'welcome' });
    await waitFor(() => expect(room.messages.map((m) => m.text)).toEqual(['welcome']));

    // Offline while two messages go by: an ephemeral room cannot give them back.
    await awayAndBack(chat, 'live', async () => {
      await chat.sendMessage('live', { user: { id: 'bot', name: 'Bot' }, text: 'missed 1' });
      await chat.sendMessage('live', { user: { id: 'bot', name: 'Bot' }, text: 'missed 2' });
    });
    await chat.sendMessage('live', { user: { id: 'bot', name: 'Bot' }, text: 'back' });
    await waitFor(() => expect(events).toEqual([{ reason: 'gap', after: 2, resumedAt: 5 }]));
    expect(room.messages.map((m) => m.text)).toEqual(['welcome', 'back']);
  });

  it('discontinuity "gap" in an ephemeral room whose first message arrived before the join answer', async () => {
    const { url, chat } = await startChat();
    await chat.createRoom({ id: 'live', options: { ephemeral: true } });
    await chat.sendMessage('live', { user: { id: 'bot', name: 'Bot' }, text: 'before you came' });
    // The join's history read waits: the socket is in the room's broadcast already, so a message
    // sent now reaches the client before the join's answer (one connection keeps their order).
    const reads = new Gate();
    reads.close();
    const listMessages = chat.store.listMessages.bind(chat.store);
    chat.store.listMessages = async (...args) => {
      await reads.wait();
      return listMessages(...args);
    };
    const joined = sdkClient(url).join('live');
    await waitFor(() => expect(chat.io.of('/').adapter.rooms.get('live')?.size).toBe(1));
    await chat.sendMessage('live', { user: { id: 'bot', name: 'Bot' }, text: 'welcome' });
    reads.open();
    const room = await joined;
    expect(room.messages.map((m) => m.text)).toEqual(['welcome']);
    const events: Discontinuity[] = [];
    room.on('discontinuity', (e) => events.push(e));

    await awayAndBack(chat, 'live', async () => {
      await chat.sendMessage('live', { user: { id: 'bot', name: 'Bot' }, text: 'missed' });
    });
    await chat.sendMessage('live', { user: { id: 'bot', name: 'Bot' }, text: 'back' });
    await waitFor(() => expect(events).toEqual([{ reason: 'gap', after: 2, resumedAt: 4 }]));
    expect(room.messages.map((m) => m.text)).toEqual(['welcome', 'back']);
  });

  it('removed: the room state is left and pending messages fail with FORBIDDEN', async () => {
    const { url, chat } = await startChat({ authenticate: (h) => ({ id: String(h.auth['token']), name: String(h.auth['token']) }) });
    await chat.createRoom({ id: 'r', createdBy: 'host' });
    const client = sdkClient(url, { auth: { token: 'guest' } });
    const room = await client.join('r');
    const reasons: RoomRemovedReason[] = [];
    room.on('removed', (reason) => reasons.push(reason));
    await chat.updateRoom('r', { options: { private: true } });
    await waitFor(() => expect(reasons).toEqual(['forbidden']));
    expect(room.state).toBe('left');
    expect(client.getRoom('r')).toBeUndefined();
    await expect(room.send('too late')).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
  });

  it('a join refused with RATE_LIMITED is waited out, not given up', async () => {
    const { url } = await startChat({ limits: { eventBurst: 1, eventsPerSecond: 4 } });
    const client = sdkClient(url);
    await client.join('a'); // spends the burst
    const room = await client.join('b'); // RATE_LIMITED first, then joined after ~250 ms
    expect(room.state).toBe('joined');
  });

  it('a connection refused with RATE_LIMITED (too many sockets) connects once a slot is free', async () => {
    const { url } = await startChat({ limits: { maxSocketsPerUser: 1 } });
    const auth = { name: 'Ana', guestKey: 'ana-guest-key-0123456789' };
    const first = await rawSocket(url, auth);
    const client = sdkClient(url, { auth });
    const errors: string[] = [];
    client.on('error', (e) => errors.push(e.code));
    await waitFor(() => expect(errors).toContain('RATE_LIMITED'));
    expect(client.state).not.toBe('disconnected');
    first.disconnect();
    const room = await client.join('r');
    expect(room.state).toBe('joined');
    const other = await rawSocket(url, { name: 'Luis' });
    expect(await request(other, 'room:join', { roomId: 'r' })).toMatchObject({ ok: true });
  });

  it('a lost broadcast is fetched even from a server whose largest history page is under 100', async () => {
    const { url, chat } = await startChat({ limits: { maxHistoryPage: 50, defaultHistoryPage: 20 } });
    const room = await sdkClient(url).join('small-pages');
    await chat.sendMessage('small-pages', { user: { id: 'bot', name: 'Bot' }, text: 'one' });
    // Stored but never broadcast: as if the broadcast was lost on the way.
    await chat.store.appendMessage({
      roomId: 'small-pages',
      clientId: 'lost',
      user: { id: 'bot', name: 'Bot' },
      text: 'two',
      attachments: [],
    });
    await chat.sendMessage('small-pages', { user: { id: 'bot', name: 'Bot' }, text: 'three' });
    await waitFor(() => expect(room.messages.map((m) => m.text)).toEqual(['one', 'two', 'three']));
  });
});
