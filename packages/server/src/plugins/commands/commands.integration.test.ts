import { describe, expect, it } from 'vitest';
import { ChatError, type ChatUser, type Message } from '@chat/protocol';
import type { ChatServer } from '../../chat-server.js';
import type { ChatStore } from '../../core/chat-store.js';
import type { CommandContext } from '../../core/commands.js';
import { byHandshake, connect, eachStore, fresh, join } from '../../capabilities/conversations/conversation-fixtures.js';
import { nextEvent, okData, request, startChat, type RawSocket } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';

/** Runs `/name args` over a raw socket and returns the whole ack. */
function run(socket: RawSocket, roomId: string, name: string, args = '') {
  return request(socket, 'command:run', { roomId, name, args });
}

/**
 * A chat (on `store`, else its own memory store) with `/announce` (posted as the server) and
 * `/shout` (posted by the bot "Town Crier"), and Ana in a fresh room. `threads` holds the thread
 * each `/announce` ran in.
 */
async function announceAndShout(store?: ChatStore) {
  const { url, chat } = await startChat({ authenticate: byHandshake, ...(store && { store }) });
  const bot = chat.bot({ id: 'crier', name: 'Town Crier' });
  const threads: Array<string | undefined> = [];
  chat.command({
    name: 'announce',
    description: 'Announces.',
    handler: async (ctx) => {
      threads.push(ctx.threadOf);
      await ctx.send(`📣 ${ctx.args}`);
    },
  });
  chat.command({
    name: 'shout',
    description: 'Shouts.',
    bot,
    handler: async (ctx) => void (await ctx.send({ text: ctx.args.toUpperCase() })),
  });
  const roomId = fresh('room');
  const ana = await connect(url, fresh('ana'));
  await join(ana, roomId);
  return { chat, bot, roomId, ana, threads };
}

function reported(chat: ChatServer): ChatError[] {
  const errors: ChatError[] = [];
  chat.on('error', (error) => errors.push(error));
  return errors;
}

describe('slash commands', () => {
  it('are listed in the join ack, with a built-in /help first, and answer the caller privately', async () => {
    const { url, chat } = await startChat({ authenticate: byHandshake });
    let seen: CommandContext | undefined;
    chat.command({
      name: 'roll',
      description: 'Rolls a die.',
      usage: '/roll [sides]',
      handler: (ctx) => {
        seen = ctx;
        ctx.reply(`You rolled ${ctx.args === '20' ? 17 : 4}.`);
      },
    });
    chat.command({ name: 'agenda', description: 'Shows the agenda.', handler: (ctx) => ctx.reply('1. Intro') });
    const roomId = fresh('room');
    const ana = await connect(url, fresh('ana'), 'Ana');
    const ack = await join(ana, roomId);
    expect(ack.commands).toEqual([
      { name: 'help', description: 'Lists the commands you can use here.', usage: '/help' },
      { name: 'agenda', description: 'Shows the agenda.' },
      { name: 'roll', description: 'Rolls a die.', usage: '/roll [sides]' },
    ]);

    expect(okData(await run(ana, roomId, 'roll', ' 20 '))).toEqual({ reply: 'You rolled 17.' });
    expect(seen).toMatchObject({
      name: 'roll',
      args: '20',
      user: { name: 'Ana' },
      room: { id: roomId },
      handshake: { auth: { name: 'Ana' } },
    });
    expect(okData(await run(ana, roomId, 'help'))).toEqual({
      reply: 'Commands here:\n/help: Lists the commands you can use here.\n/agenda: Shows the agenda.\n/roll [sides]: Rolls a die.',
    });
    // Nothing was posted to the room by any of them.
    expect(okData(await request(ana, 'message:history', { roomId })).messages).toEqual([]);
  });

  it('answer an unknown command with a sentence that lists the commands, not an error', async () => {
    const { url, chat } = await startChat({ authenticate: byHandshake });
    chat.command({ name: 'remind', description: 'Reminds the room.', handler: () => undefined });
    const roomId = fresh('room');
    const ana = await connect(url, fresh('ana'));
    await join(ana, roomId);
    expect(okData(await run(ana, roomId, 'remnd'))).toEqual({ reply: 'Unknown command /remnd. Commands here: /help, /remind.' });
  });

  it('post to the room as the server, or as the command’s bot (which joins first)', async () => {
    const { bot, roomId, ana, threads } = await announceAndShout();
    const announced = nextEvent(ana, 'message');
    expect(okData(await run(ana, roomId, 'announce', 'Lunch is served'))).toEqual({});
    // The server's own messages carry the bot mark: no person can look like them (issue 30, 2h).
    expect(await announced).toMatchObject({ text: '📣 Lunch is served', user: { id: 'server', name: 'Server', bot: true } });
    expect(threads).toEqual([undefined]);

    const shouted = nextEvent(ana, 'message');
    await run(ana, roomId, 'shout', 'fire drill');
    expect(await shouted).toMatchObject({ text: 'FIRE DRILL', user: { id: 'crier', name: 'Town Crier', bot: true } });
    expect(bot.rooms.has(roomId)).toBe(true);
  });

  it('need the room joined, and the payload is checked', async () => {
    const { url } = await startChat({ authenticate: byHandshake });
    const ana = await connect(url, fresh('ana'));
    expect(await run(ana, fresh('room'), 'help')).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    const roomId = fresh('room');
    await join(ana, roomId);
    expect(await run(ana, roomId, '/help')).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', lang: 'en', message: 'A command name is lowercase letters, digits, - and _.' },
    });
    expect(await request(ana, 'command:run', { roomId, name: 'help' } as never)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(await run(ana, roomId, 'help', 'x'.repeat(5000))).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', lang: 'en', message: 'Command arguments can be at most 4000 characters.' },
    });
  });

  it('wait for a join of the room under way on the socket; authorize sees the caller’s role', async () => {
    const roles: unknown[] = [];
    const { url, chat } = await startChat({
      authenticate: byHandshake,
      authorize: (action, ctx) => {
        if (action === 'command:run') roles.push(ctx.role);
        return true;
      },
    });
    chat.command({ name: 'ping', description: 'Pong.', handler: (ctx) => ctx.reply('pong') });
    const roomId = fresh('room');
    await join(await connect(url, fresh('ana')), roomId);
    const luis = await connect(url, fresh('luis'));
    // Sent one after the other without waiting for the first answer: the command comes while the join is under way.
    const [joined, ran] = await Promise.all([request(luis, 'room:join', { roomId }), run(luis, roomId, 'ping')]);
    expect(joined).toMatchObject({ ok: true });
    expect(ran).toEqual({ ok: true, data: { reply: 'pong' } });
    expect(roles).toEqual(['member']);
  });

  it('a handler’s ChatError reaches the caller; any other failure is INTERNAL without its details, and reported', async () => {
    const { url, chat } = await startChat({ authenticate: byHandshake });
    const errors = reported(chat);
    chat.command({
      name: 'kick',
      description: 'Hosts only.',
      handler: (ctx) => {
        if (!ctx.user.roles?.includes('host')) throw new ChatError('FORBIDDEN', 'Only hosts can use /kick.');
      },
    });
    chat.command({
      name: 'crash',
      description: 'Fails.',
      handler: async () => {
        throw new Error('connect ECONNREFUSED 10.0.0.7:5432 (password hunter2)');
      },
    });
    chat.command({ name: 'long', description: 'Too long.', handler: (ctx) => ctx.reply('x'.repeat(5000)) });
    const roomId = fresh('room');
    const ana = await connect(url, fresh('ana'));
    await join(ana, roomId);
    expect(await run(ana, roomId, 'kick', 'luis')).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Only hosts can use /kick.' }, // the handler's words: no lang
    });
    const crashed = await run(ana, roomId, 'crash');
    expect(crashed).toEqual({ ok: false, error: { code: 'INTERNAL', lang: 'en', message: 'The command /crash failed.' } });
    expect(JSON.stringify(crashed)).not.toContain('hunter2');
    await waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]).toMatchObject({
      code: 'INTERNAL',
      message: 'The command /crash failed.',
      cause: expect.objectContaining({ message: expect.stringContaining('hunter2') }),
    });
    expect(await run(ana, roomId, 'long')).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL', lang: 'en', message: 'The command /long failed.' },
    });
  });

  it('a handler that never finishes is answered TIMEOUT by the request timeout', async () => {
    const { url, chat } = await startChat({ authenticate: byHandshake, requestTimeoutMs: 300 });
    chat.command({ name: 'hang', description: 'Never answers.', handler: () => new Promise<void>(() => undefined) });
    const roomId = fresh('room');
    const ana = await connect(url, fresh('ana'));
    await join(ana, roomId);
    expect(await run(ana, roomId, 'hang')).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
  });

  it('ask authorize("command:run") and count against the user’s event budget', async () => {
    const { url, chat } = await startChat({
      authenticate: byHandshake,
      authorize: (action, ctx) => action !== 'command:run' || ctx.user.id.startsWith('host'),
      limits: { eventBurst: 5, eventsPerSecond: 0.01 },
    });
    chat.command({ name: 'ping', description: 'Pong.', handler: (ctx) => ctx.reply('pong') });
    const roomId = fresh('room');
    const guest = await connect(url, fresh('guest'));
    await join(guest, roomId);
    expect(await run(guest, roomId, 'ping')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const host = await connect(url, fresh('host'));
    await join(host, roomId);
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await run(host, roomId, 'ping'));
    expect(answers.slice(0, 4).every((a) => a.ok)).toBe(true);
    expect(answers.at(-1)).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  });

  it('a host’s /help replaces the built-in one; a removed command is gone from new join acks', async () => {
    const { url, chat } = await startChat({ authenticate: byHandshake });
    chat.command({ name: 'help', description: 'Our own help.', handler: (ctx) => ctx.reply('Ask a host.') });
    const remove = chat.command({ name: 'temp', description: 'For now.', handler: () => undefined });
    const roomId = fresh('room');
    const ana = await connect(url, fresh('ana'));
    expect((await join(ana, roomId)).commands.map((c) => c.name)).toEqual(['help', 'temp']);
    expect(okData(await run(ana, roomId, 'help'))).toEqual({ reply: 'Ask a host.' });
    remove();
    const luis = await connect(url, fresh('luis'));
    expect((await join(luis, roomId)).commands).toEqual([{ name: 'help', description: 'Our own help.' }]);
  });

  it('refuses bad registrations with VALIDATION_FAILED and a sentence', async () => {
    const { chat } = await startChat();
    const handler = () => undefined;
    expect(() => chat.command({ name: '/Remind', description: 'x', handler })).toThrow(/without the slash: "remind", not "\/Remind"/u);
    expect(() => chat.command({ name: 'x'.repeat(33), description: 'x', handler })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
    expect(() => chat.command({ name: 'ok', description: ' ', handler })).toThrow(
      'The command /ok needs a description of at most 200 characters.',
    );
    expect(() => chat.command({ name: 'ok', description: 'x', handler: 'nope' as never })).toThrow(
      'The command /ok needs a handler function.',
    );
    chat.command({ name: 'ok', description: 'x', handler });
    expect(() => chat.command({ name: 'ok', description: 'x', handler })).toThrow('There is a command /ok already.');
  });

  it('ctx.user is the caller as authenticate returned them', async () => {
    const users: ChatUser[] = [];
    const { url, chat } = await startChat({
      authenticate: ({ auth }) => ({ id: String(auth['id']), name: 'Ana', roles: ['host'] }),
    });
    chat.command({ name: 'whoami', description: 'Who you are.', handler: (ctx) => void users.push(ctx.user) });
    const roomId = fresh('room');
    const ana = await connect(url, 'ana-1');
    await join(ana, roomId);
    await run(ana, roomId, 'whoami');
    expect(users).toEqual([{ id: 'ana-1', name: 'Ana', roles: ['host'] }]);
    const none: Message[] = okData(await request(ana, 'message:history', { roomId })).messages;
    expect(none).toEqual([]);
  });

  it('are refused to a muted user (MUTED) and in a frozen room (FORBIDDEN): a command may post for its caller', async () => {
    const { url, chat } = await startChat({ authenticate: byHandshake });
    const ran: string[] = [];
    chat.command({ name: 'remind', description: 'Reminds the room.', handler: (ctx) => void ran.push(ctx.args) });
    const roomId = fresh('room');
    await chat.createRoom({ id: roomId });
    const anaId = fresh('ana');
    const ana = await connect(url, anaId);
    await join(ana, roomId);
    await chat.mute(roomId, anaId, { reason: 'Cool down' });
    expect(await run(ana, roomId, 'remind', '1m spam')).toMatchObject({ ok: false, error: { code: 'MUTED' } });
    await chat.unmute(roomId, anaId);
    await chat.updateRoom(roomId, { options: { frozen: true } });
    expect(await run(ana, roomId, 'remind', '1m spam')).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', lang: 'en', message: 'This room is frozen: commands cannot be run now.' },
    });
    expect(ran).toEqual([]);
  });
});

eachStore('slash commands in a thread', (store) => {
  it('run in a thread answer in it, as the server or as the bot; an unknown thread is MESSAGE_NOT_FOUND', async () => {
    const { chat, roomId, ana, threads } = await announceAndShout(store());
    const parent = okData(await request(ana, 'message:send', { roomId, clientId: 'p', text: 'Plans?' })).message;
    const reply = okData(await request(ana, 'message:send', { roomId, clientId: 'r', text: 'Friday', threadOf: parent.id })).message;

    const announced = nextEvent(ana, 'message');
    // A reply's id names its thread.
    expect(okData(await request(ana, 'command:run', { roomId, name: 'announce', args: 'Lunch', threadOf: reply.id }))).toEqual({});
    expect(await announced).toMatchObject({ text: '📣 Lunch', threadOf: parent.id, user: { id: 'server' } });
    expect(threads).toEqual([parent.id]);
    const shouted = nextEvent(ana, 'message');
    await request(ana, 'command:run', { roomId, name: 'shout', args: 'fire drill', threadOf: parent.id });
    expect(await shouted).toMatchObject({ text: 'FIRE DRILL', threadOf: parent.id, user: { id: 'crier' } });
    const thread = await chat.store.listMessages(roomId, { threadOf: parent.id, limit: 10 });
    expect(thread.messages.map((m) => m.text)).toEqual(['Friday', '📣 Lunch', 'FIRE DRILL']);
    expect((await chat.store.listMessages(roomId, { limit: 10 })).messages.map((m) => m.text)).toEqual(['Plans?']);

    const refused = await request(ana, 'command:run', { roomId, name: 'announce', args: 'x', threadOf: 'nope' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'MESSAGE_NOT_FOUND', message: 'There is no message "nope" in this room.' } });
    const bad = await request(ana, 'command:run', { roomId, name: 'announce', args: 'x', threadOf: 'a b' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });
});
