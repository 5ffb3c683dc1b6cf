import { describe, expect, it } from 'vitest';
import { rawSocket, request, sdkClient, startChat } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';

describe('rooms as things with a life', () => {
  it('creates, gets, lists, updates and ends rooms through the server API', async () => {
    const { chat } = await startChat();
    const room = await chat.createRoom({ id: 'cita-42', title: 'Dr. Ruiz', metadata: { patient: 7 }, createdBy: 'host-1' });
    expect(room).toMatchObject({ id: 'cita-42', title: 'Dr. Ruiz', metadata: { patient: 7 }, createdBy: 'host-1', options: {} });
    expect(await chat.getRoom('cita-42')).toEqual(room);
    await chat.createRoom({ id: 'other' });
    expect((await chat.listRooms()).map((r) => r.id).sort()).toEqual(['cita-42', 'other']);
    expect(await chat.updateRoom('cita-42', { title: 'Dra. Ruiz' })).toMatchObject({ title: 'Dra. Ruiz', metadata: { patient: 7 } });
    const ended = await chat.endRoom('other');
    expect(ended.endedAt).toBeDefined();
    expect(await chat.endRoom('other')).toEqual(ended);
    expect((await chat.listRooms()).map((r) => r.id)).toEqual(['cita-42']);
    expect((await chat.listRooms({ includeEnded: true })).map((r) => r.id).sort()).toEqual(['cita-42', 'other']);
    await expect(chat.endRoom('nope')).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
    await expect(chat.updateRoom('nope', { title: 'x' })).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
    await expect(chat.createRoom({ id: 'bad id!' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(chat.createRoom({ title: 'x'.repeat(300) })).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('endRoom: members get room:ended and leave; later joins and sends get ROOM_ENDED; history stays', async () => {
    const { url, chat } = await startChat();
    const ended: string[] = [];
    chat.on('room:ended', (room) => ended.push(room.id));
    const client = sdkClient(url, { auth: { name: 'Ana' } });
    const room = await client.join('meeting');
    await room.send('minutes: none');
    const raw = await rawSocket(url, { name: 'Luis' });
    await request(raw, 'room:join', { roomId: 'meeting' });
    const endedEvent = new Promise((resolve) => room.once('ended', resolve));
    await chat.endRoom('meeting');
    await endedEvent;
    expect(room.state).toBe('ended');
    expect(ended).toEqual(['meeting']);
    await expect(room.send('too late')).rejects.toMatchObject({ code: 'ROOM_ENDED' });
    expect(client.getRoom('meeting')).toBeUndefined();
    expect(await request(raw, 'message:send', { roomId: 'meeting', clientId: 'x', text: 'hi' })).toMatchObject({
      ok: false,
      error: { code: 'ROOM_ENDED' },
    });
    expect(await request(raw, 'room:join', { roomId: 'meeting' })).toMatchObject({ ok: false, error: { code: 'ROOM_ENDED' } });
    await expect(chat.sendMessage('meeting', { user: { id: 'bot', name: 'Bot' }, text: 'x' })).rejects.toMatchObject({
      code: 'ROOM_ENDED',
    });
    const history = await chat.store.listMessages('meeting', { limit: 10 });
    expect(history.messages.map((m) => m.text)).toEqual(['minutes: none']);
  });

  it('ephemeral rooms broadcast with seqs but store nothing', async () => {
    const { url, chat } = await startChat();
    await chat.createRoom({ id: 'secret-call', options: { ephemeral: true } });
    const ana = await sdkClient(url, { auth: { name: 'Ana' } }).join('secret-call');
    const luis = await sdkClient(url, { auth: { name: 'Luis' } }).join('secret-call');
    const first = await ana.send('off the record');
    const again = await ana.send({ text: 'reply', replyTo: first.id });
    expect([first.seq, again.seq]).toEqual([1, 2]);
    await waitFor(() => expect(luis.messages.map((m) => m.text)).toEqual(['off the record', 'reply']));
    expect(await chat.store.listMessages('secret-call', { limit: 10 })).toEqual({ messages: [], hasMore: false });
    const late = await sdkClient(url).join('secret-call');
    expect(late.messages).toEqual([]);
  });

  it('private rooms: without authorize only the creator joins; with authorize, whoever it allows', async () => {
    const { url, chat } = await startChat();
    const ownerClient = sdkClient(url, { auth: { name: 'Owner', guestKey: 'owner-key-0123456789' } });
    const owner = await ownerClient.join('lobby');
    await chat.createRoom({ id: 'vip', options: { private: true }, createdBy: owner.self?.id as string });
    await expect(ownerClient.join('vip')).resolves.toMatchObject({ id: 'vip' });
    await expect(sdkClient(url).join('vip')).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'This room is private.' });

    const allowed = await startChat({ authorize: (_action, ctx) => !ctx.room?.options.private || ctx.user.name === 'Guest List' });
    await allowed.chat.createRoom({ id: 'vip', options: { private: true } });
    await expect(sdkClient(allowed.url, { auth: { name: 'Guest List' } }).join('vip')).resolves.toMatchObject({ id: 'vip' });
    await expect(sdkClient(allowed.url, { auth: { name: 'Crasher' } }).join('vip')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
