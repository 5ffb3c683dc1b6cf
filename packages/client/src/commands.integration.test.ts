import { describe, expect, it } from 'vitest';
import { ChatError } from '@chat/protocol';
import { sdkClient, startChat } from '../../../test-support/servers.js';
import { bothStores } from '../../../test-support/stores.js';
import { waitFor } from '../../../test-support/wait.js';

describe('slash commands in the SDK', () => {
  it('room.commands comes from the join ack and room.runCommand runs a line, with its private reply', async () => {
    const { url, chat } = await startChat();
    chat.command({
      name: 'ping',
      description: 'Answers pong.',
      usage: '/ping [text]',
      handler: (ctx) => ctx.reply(`pong ${ctx.args}`.trim()),
    });
    const bot = chat.bot({ id: 'crier', name: 'Crier' });
    chat.command({ name: 'announce', description: 'Tells the room.', bot, handler: async (ctx) => void (await ctx.send(ctx.args)) });
    const room = await sdkClient(url, { auth: { name: 'Ana' } }).join('lobby');
    expect(room.commands.map((c) => c.name)).toEqual(['help', 'announce', 'ping']);
    expect(room.commands.find((c) => c.name === 'ping')).toEqual({ name: 'ping', description: 'Answers pong.', usage: '/ping [text]' });

    await expect(room.runCommand('/PING  hello ')).resolves.toEqual({ reply: 'pong hello' });
    await expect(room.runCommand('/nope')).resolves.toEqual({ reply: 'Unknown command /nope. Commands here: /help, /announce, /ping.' });
    // What a command posts for everyone arrives as a message.
    await expect(room.runCommand('/announce Doors open')).resolves.toEqual({});
    await waitFor(() => expect(room.messages.map((m) => [m.text, m.user.bot])).toEqual([['Doors open', true]]));
  });

  it('refuses a line that is not a command, and a left room, with a ChatError', async () => {
    const { url } = await startChat();
    const room = await sdkClient(url).join('lobby');
    await expect(room.runCommand('hello')).rejects.toThrow(
      new ChatError('VALIDATION_FAILED', 'A command starts with / and its name, like /help.', { lang: 'en' }),
    );
    await room.leave();
    await expect(room.runCommand('/help')).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
  });
});

describe.each(bothStores())('slash commands in a thread on %s', (_name, makeStore) => {
  it('thread.runCommand runs a line in the thread: the bot answers there, not in the room', async () => {
    const { url, chat } = await startChat({ store: makeStore() });
    const bot = chat.bot({ id: 'crier', name: 'Crier' });
    chat.command({
      name: 'shout',
      description: 'Shouts in the room or the thread.',
      bot,
      handler: async (ctx) => {
        await ctx.send(ctx.args.toUpperCase());
        ctx.reply(ctx.threadOf === undefined ? 'shouted in the room' : 'shouted in the thread');
      },
    });
    const roomId = `team-${crypto.randomUUID().slice(0, 8)}`;
    const room = await sdkClient(url, { auth: { name: 'Ana' } }).join(roomId);
    const parent = await room.send('Plans?');
    const thread = room.thread(parent.id);
    await thread.ready();
    const heard: string[] = [];
    thread.on('message', (m) => heard.push(m.text ?? ''));

    await expect(thread.runCommand('/shout fire drill')).resolves.toEqual({ reply: 'shouted in the thread' });
    await waitFor(() => expect(thread.messages.map((m) => [m.text, m.user.id, m.threadOf])).toEqual([['FIRE DRILL', 'crier', parent.id]]));
    expect(heard).toEqual(['FIRE DRILL']);
    await waitFor(() => expect(room.messages.find((m) => m.id === parent.id)?.thread?.replyCount).toBe(1));
    // The room's main log holds the parent only; the stored thread the bot's answer.
    expect(room.messages.map((m) => m.text)).toEqual(['Plans?']);
    const stored = await chat.store.listMessages(roomId, { threadOf: parent.id, limit: 10 });
    expect(stored.messages.map((m) => m.text)).toEqual(['FIRE DRILL']);
    // An unknown command and a line that is no command are answered as in the room.
    await expect(thread.runCommand('/nope')).resolves.toEqual({ reply: 'Unknown command /nope. Commands here: /help, /shout.' });
    await expect(thread.runCommand('hello')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await room.leave();
    await expect(thread.runCommand('/shout late')).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
  });
});
