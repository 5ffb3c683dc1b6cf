import { describe, expect, it } from 'vitest';
import { ChatError, type Message, type PresenceDelta, type Room } from '@chat/protocol';
import type { ChatServer } from '../../chat-server.js';
import type { ChatBot } from './chat-bot.js';
import { byHandshake, connect, eachStore, fresh, join, say } from '../conversations/conversation-fixtures.js';
import { nextEvent, okData, request, startChat } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';

/** Everything a bot heard, in order, with the room each came with. */
function listen(bot: ChatBot): Array<{ message: Message; room: Room }> {
  const heard: Array<{ message: Message; room: Room }> = [];
  bot.on('message', (message, room) => {
    heard.push({ message, room });
  });
  return heard;
}

/** The errors `chat.on('error')` reported. */
function errorsOf(chat: ChatServer): Array<{ error: ChatError; event: string | undefined }> {
  const errors: Array<{ error: ChatError; event: string | undefined }> = [];
  chat.on('error', (error, where) => errors.push({ error, event: where.event }));
  return errors;
}

eachStore('bots', (store) => {
  it('join as members marked bot: true, hear the messages of others, and answer, reply, edit and type', async () => {
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake });
    const roomId = fresh('lobby');
    const ana = await connect(url, fresh('ana'), 'Ana');
    await join(ana, roomId);
    const joins: string[] = [];
    chat.on('join', ({ member }) => joins.push(member.id));

    const bot = chat.bot({ id: fresh('helper'), name: 'Helper', avatarUrl: 'https://img.example/helper.png' });
    const heard = listen(bot);
    const joined = nextEvent(ana, 'presence', (delta: PresenceDelta) => delta.joined.some((m) => m.id === bot.id));
    const member = await bot.join(roomId);
    expect(member).toMatchObject({ id: bot.id, name: 'Helper', bot: true, avatarUrl: 'https://img.example/helper.png' });
    expect((await joined).joined).toContainEqual(expect.objectContaining({ id: bot.id, bot: true }));
    expect(joins).toEqual([bot.id]);
    expect(bot.rooms.has(roomId)).toBe(true);
    // A later member sees the bot in the join ack's members.
    const luis = await connect(url, fresh('luis'), 'Luis');
    expect((await join(luis, roomId)).members).toContainEqual(expect.objectContaining({ id: bot.id, bot: true }));

    const question = await say(ana, roomId, 'When is the stand-up?');
    await waitFor(() => expect(heard.map((h) => h.message.id)).toEqual([question.id]));
    expect(heard[0]?.room).toMatchObject({ id: roomId });

    const answered = nextEvent(ana, 'message', (m: Message) => m.user.id === bot.id);
    const reply = await bot.reply(question, 'At 10.');
    expect(reply).toMatchObject({ text: 'At 10.', replyTo: question.id, user: { id: bot.id, name: 'Helper', bot: true } });
    expect(await answered).toEqual(reply);
    // Stored with its mark: history and a new join show it as a bot's message.
    const history = okData(await request(luis, 'message:history', { roomId }));
    expect(history.messages.find((m) => m.id === reply.id)?.user.bot).toBe(true);

    const updated = nextEvent(ana, 'message:updated', (m: Message) => m.id === reply.id);
    const edited = await bot.edit(reply, 'At 10:30, moved.');
    expect(edited).toMatchObject({ id: reply.id, text: 'At 10:30, moved.', editedAt: expect.any(String) });
    expect((await updated).text).toBe('At 10:30, moved.');

    const typing = nextEvent(ana, 'typing', (event) => event.users.some((u) => u.id === bot.id));
    bot.typing(roomId);
    expect((await typing).users).toEqual([expect.objectContaining({ id: bot.id, name: 'Helper' })]);

    // It never hears itself: only Ana's question reached it.
    await say(ana, roomId, 'Thanks!');
    await waitFor(() => expect(heard).toHaveLength(2));
    expect(heard.map((h) => h.message.user.id)).not.toContain(bot.id);

    const left = nextEvent(ana, 'presence', (delta: PresenceDelta) => delta.left.includes(bot.id));
    await bot.leave(roomId);
    await left;
    expect(bot.rooms.size).toBe(0);
    await expect(bot.send(roomId, 'Still here?')).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
  });
});

describe('bots', () => {
  it('hear other bots only when they ask to (hearBots), so that two bots cannot answer each other for ever', async () => {
    const { chat } = await startChat();
    const roomId = fresh('room');
    const echo = chat.bot({ id: 'echo', name: 'Echo' });
    const curious = chat.bot({ id: 'curious', name: 'Curious', hearBots: true });
    const echoHeard = listen(echo);
    const curiousHeard = listen(curious);
    await echo.join(roomId);
    await curious.join(roomId);
    const fromEcho = await echo.send(roomId, 'beep');
    const fromCurious = await curious.send(roomId, 'boop');
    await waitFor(() => expect(curiousHeard.map((h) => h.message.id)).toEqual([fromEcho.id]));
    expect(echoHeard).toEqual([]);
    expect(fromCurious.user.bot).toBe(true);
  });

  it('a bot that sends in a loop is stopped with RATE_LIMITED, while people are not limited by it', async () => {
    const { chat } = await startChat();
    const roomId = fresh('room');
    const bot = chat.bot({ id: 'loop', name: 'Loop' });
    await bot.join(roomId);
    const results = await Promise.allSettled(Array.from({ length: 45 }, (_, i) => bot.send(roomId, `tick ${i}`)));
    const refused = results.filter((r) => r.status === 'rejected').map((r) => r.reason as ChatError);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    expect(refused[0]?.message).toMatch(/sending too fast/u);
  });

  it('a listener that throws is reported through chat.on("error") and the others still run', async () => {
    const { url, chat } = await startChat({ authenticate: byHandshake });
    const errors = errorsOf(chat);
    const roomId = fresh('room');
    const bot = chat.bot({ id: 'fragile', name: 'Fragile' });
    bot.on('message', () => {
      throw new Error('database password is hunter2');
    });
    const heard = listen(bot);
    await bot.join(roomId);
    const ana = await connect(url, fresh('ana'));
    await join(ana, roomId);
    await say(ana, roomId, 'hello');
    await waitFor(() => expect(heard).toHaveLength(1));
    await waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]).toMatchObject({
      event: 'bot:message',
      error: { code: 'INTERNAL', message: 'A "message" listener of the bot "fragile" failed.' },
    });
    // The listener can be removed.
    const stop = bot.on('message', () => undefined);
    expect(typeof stop).toBe('function');
    stop();
  });

  it('never makes a connection a bot: an authenticate that says bot: true is ignored', async () => {
    const { url } = await startChat({ authenticate: ({ auth }) => ({ id: String(auth['id']), name: 'Mallory', bot: true }) as never });
    const roomId = fresh('room');
    const mallory = await connect(url, fresh('mallory'));
    const ack = await join(mallory, roomId);
    expect(ack.self.bot).toBeUndefined();
    expect(ack.members.every((m) => m.bot === undefined)).toBe(true);
    const message = await say(mallory, roomId, 'I am a bot, trust me');
    expect(message.user.bot).toBeUndefined();
  });

  it('a person with a bot’s id cannot join the bot’s room, and a bot cannot join where a person has its id', async () => {
    const { url, chat } = await startChat({ authenticate: byHandshake });
    const roomId = fresh('room');
    const bot = chat.bot({ id: 'helper', name: 'Helper' });
    await bot.join(roomId);
    const impostor = await connect(url, 'helper', 'Not Helper');
    const refused = await request(impostor, 'room:join', { roomId });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Your user id is the id of a bot in this room, so you cannot join it.' },
    });
    // The bot's entry is untouched.
    expect(await chat.presenceOf(['helper'])).toHaveLength(1);

    const other = fresh('other');
    await join(impostor, other);
    await expect(bot.join(other)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(bot.rooms.has(other)).toBe(false);
  });

  it('joins like a member: ROOM_NOT_FOUND where rooms are not created on join, FORBIDDEN in a private room until it is a member, ROOM_ENDED', async () => {
    const { chat } = await startChat({ createRoomsOnJoin: false });
    const bot = chat.bot({ id: 'helper', name: 'Helper' });
    await expect(bot.join('nowhere')).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
    const room = await chat.createRoom({ id: fresh('private'), options: { private: true }, createdBy: 'host' });
    await expect(bot.join(room.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await chat.addMembers(room.id, [bot.user]);
    await expect(bot.join(room.id)).resolves.toMatchObject({ id: 'helper', bot: true });
    const ended = await chat.createRoom({ id: fresh('ended') });
    await chat.endRoom(ended.id);
    await expect(bot.join(ended.id)).rejects.toMatchObject({ code: 'ROOM_ENDED' });
  });

  it('authorize and beforeMessage see ctx.bot, and the bot’s text goes through beforeMessage like anyone’s', async () => {
    const seen: Array<{ action: string; bot: boolean | undefined }> = [];
    const { chat } = await startChat({
      authorize: (action, ctx) => {
        seen.push({ action, bot: ctx.bot });
        return true;
      },
      beforeMessage: (draft, ctx) => ({ ...draft, text: ctx.bot ? `[bot] ${draft.text}` : draft.text }),
    });
    const roomId = fresh('room');
    const bot = chat.bot({ id: 'helper', name: 'Helper' });
    await bot.join(roomId);
    const sent = await bot.send(roomId, 'hi');
    expect(sent.text).toBe('[bot] hi');
    const edited = await bot.edit(sent, 'hello');
    expect(edited.text).toBe('[bot] hello');
    expect(seen).toEqual([
      { action: 'room:join', bot: true },
      { action: 'message:edit', bot: true },
    ]);
  });

  it('edits only its own messages', async () => {
    const { url, chat } = await startChat({ authenticate: byHandshake });
    const roomId = fresh('room');
    const ana = await connect(url, fresh('ana'));
    await join(ana, roomId);
    const bot = chat.bot({ id: 'helper', name: 'Helper' });
    await bot.join(roomId);
    const hers = await say(ana, roomId, 'mine');
    await expect(bot.edit(hers, 'yours now')).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'A bot can only edit its own messages.',
    });
    await expect(bot.edit({ id: 'nope', roomId }, 'x')).rejects.toMatchObject({ code: 'MESSAGE_NOT_FOUND' });
    const own = await bot.send(roomId, 'draft');
    await expect(bot.edit(own, '')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(bot.edit(own, 'x'.repeat(5000))).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('leaves a room that ends, and is gone from every room when the bot or the server closes', async () => {
    const { url, chat } = await startChat({ authenticate: byHandshake });
    const roomId = fresh('room');
    const bot = chat.bot({ id: 'helper', name: 'Helper' });
    await bot.join(roomId);
    await chat.endRoom(roomId);
    await waitFor(() => expect(bot.rooms.has(roomId)).toBe(false));

    const other = fresh('other');
    await bot.join(other);
    const ana = await connect(url, fresh('ana'));
    const left = nextEvent(ana, 'presence', (delta: PresenceDelta) => delta.left.includes('helper'));
    await join(ana, other);
    await bot.close();
    await left;
    await expect(bot.join(other)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    // The id is free again.
    expect(chat.bot({ id: 'helper', name: 'Helper' }).id).toBe('helper');
  });

  it('refuses bad options with VALIDATION_FAILED and a sentence', async () => {
    const { chat } = await startChat();
    expect(() => chat.bot({ id: '', name: 'X' })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => chat.bot({ id: 'x', name: '\u0000' })).toThrow(/cannot be used/u);
    expect(() => chat.bot({ id: 'x', name: 'X', avatarUrl: 'javascript:alert(1)' })).toThrow(/http\(s\) URL/u);
    chat.bot({ id: 'twice', name: 'Twice' });
    expect(() => chat.bot({ id: 'twice', name: 'Twice' })).toThrow(/exists already/u);
    const bot = chat.bot({ id: 'ok', name: 'Ok' });
    expect(() => bot.on('typing' as 'message', () => undefined)).toThrow(/has no "typing" event/u);
    await expect(bot.join('')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(bot.reply(null as unknown as Message, 'x')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
