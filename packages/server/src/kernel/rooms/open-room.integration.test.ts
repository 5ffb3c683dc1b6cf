import { describe, expect, it } from 'vitest';
import type { ChatHandshake } from '../../core/handshake.js';
import { okData, rawSocket, request, startChat } from '../../../../../test-support/servers.js';
import { byHandshake, connect, join, say, startWithRest } from '../../capabilities/conversations/conversation-fixtures.js';

// How a room is opened for an action (open-room.ts): the refusals a client is told in words,
// and what `authorize` is given to decide with.

describe('opening a room', () => {
  it("an unknown room, and an ended one, are refused with their codes and sentences, for joins and the server's sends alike", async () => {
    const { url, chat } = await startChat({ createRoomsOnJoin: false });
    await chat.createRoom({ id: 'meeting' });
    const socket = await rawSocket(url, { name: 'Ana' });
    okData(await request(socket, 'room:join', { roomId: 'meeting' }));
    const notFound = { ok: false, error: { code: 'ROOM_NOT_FOUND', lang: 'en', message: 'There is no room "nowhere".' } };
    expect(await request(socket, 'room:join', { roomId: 'nowhere' })).toEqual(notFound);
    const host = { id: 'host', name: 'Host' };
    await expect(chat.sendMessage('nowhere', { user: host, text: 'hi' })).rejects.toMatchObject(notFound.error);
    await chat.endRoom('meeting');
    const ended = {
      ok: false,
      error: { code: 'ROOM_ENDED', lang: 'en', message: 'This room has ended. It can no longer be joined or written to.' },
    };
    expect(await request(socket, 'room:join', { roomId: 'meeting' })).toEqual(ended);
    await expect(chat.sendMessage('meeting', { user: host, text: 'too late' })).rejects.toMatchObject(ended.error);
  });

  it("authorize is given the socket's handshake (the server's own sends have none)", async () => {
    const seen: Array<{ action: string; handshake: ChatHandshake | undefined }> = [];
    const { url, chat } = await startChat({
      authorize: (action, context) => {
        seen.push({ action, handshake: context.handshake });
        return true;
      },
    });
    const socket = await rawSocket(url, { name: 'Ana', ticket: 'seat-12' });
    okData(await request(socket, 'room:join', { roomId: 'r' }));
    okData(await request(socket, 'message:send', { roomId: 'r', clientId: 'a', text: 'hi' }));
    await chat.sendMessage('r', { user: { id: 'host', name: 'Host' }, text: 'welcome' });
    expect(seen.map((s) => [s.action, s.handshake?.auth['ticket']])).toEqual([
      ['room:join', 'seat-12'],
      ['message:send', 'seat-12'],
      ['message:send', undefined],
    ]);
    expect(seen[2]).not.toHaveProperty('handshake.auth');
  });

  it("a bot's message is the bot's alone: a person with the bot's user id cannot change it, nor the bot the person's", async () => {
    const { url, chat } = await startChat({ authenticate: byHandshake });
    // One at a time: a bot and a person of one id are not in a room together.
    const bot = chat.bot({ id: 'helper', name: 'Helper' });
    await bot.join('r');
    const botSaid = await bot.send('r', 'I am the bot');
    await bot.leave('r');
    const person = await connect(url, 'helper', 'Not the bot');
    await join(person, 'r');
    const personSaid = await say(person, 'r', 'I am a person');
    const refused = (verb: string) => ({
      ok: false,
      error: { code: 'FORBIDDEN', lang: 'en', message: `You can only ${verb} your own messages.` },
    });
    expect(await request(person, 'message:edit', { roomId: 'r', messageId: botSaid.id, text: 'mine now' })).toEqual(refused('edit'));
    expect(await request(person, 'message:delete', { roomId: 'r', messageId: botSaid.id })).toEqual(refused('delete'));
    await expect(bot.edit(personSaid, 'mine now')).rejects.toMatchObject(refused('edit').error);
    // Each still changes their own.
    expect((await bot.edit(botSaid, 'I am still the bot')).text).toBe('I am still the bot');
    expect(
      okData(await request(person, 'message:edit', { roomId: 'r', messageId: personSaid.id, text: 'still a person' })).message.text,
    ).toBe('still a person');
  });

  it('a refusal says why: not the creator ends a room, authorize said no, a private room', async () => {
    const { rest } = await startWithRest();
    const created = (await rest('POST', '/rooms', 'ana')).body as { room: { id: string } };
    expect(await rest('POST', `/rooms/${created.room.id}/end`, 'luis')).toEqual({
      status: 403,
      body: { error: { code: 'FORBIDDEN', lang: 'en', message: 'You are not allowed to do this here (room:end).' } },
    });

    const { url } = await startChat({ authenticate: byHandshake, authorize: (action) => action !== 'message:send' });
    const ana = await connect(url, 'ana', 'Ana');
    await join(ana, 'r');
    expect(await request(ana, 'message:send', { roomId: 'r', clientId: 'a', text: 'hi' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', lang: 'en', message: 'You are not allowed to do this here (message:send).' },
    });

    const plain = await startChat({ authenticate: byHandshake });
    await plain.chat.createRoom({ id: 'staff', createdBy: 'boss', options: { private: true } });
    const luis = await connect(plain.url, 'luis', 'Luis');
    expect(await request(luis, 'room:join', { roomId: 'staff' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', lang: 'en', message: 'This room is private.' },
    });
  });

  it("the room's owner deletes anyone's message, but edits only their own", async () => {
    const { url } = await startChat({ authenticate: byHandshake, ownerOnJoin: true });
    const host = await connect(url, 'host', 'Host');
    expect((await join(host, 'town')).self.role).toBe('owner'); // its creator (ownerOnJoin)
    const ana = await connect(url, 'ana', 'Ana');
    await join(ana, 'town');
    const said = await say(ana, 'town', 'hello');
    const other = await say(ana, 'town', 'again');
    expect(await request(host, 'message:edit', { roomId: 'town', messageId: said.id, text: 'changed' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', lang: 'en', message: 'You can only edit your own messages.' },
    });
    expect(okData(await request(host, 'message:delete', { roomId: 'town', messageId: said.id })).message.deletedAt).toEqual(
      expect.any(String),
    );
    // Her own, she deletes as any author does.
    expect(await request(ana, 'message:delete', { roomId: 'town', messageId: other.id })).toMatchObject({ ok: true });
  });
});
