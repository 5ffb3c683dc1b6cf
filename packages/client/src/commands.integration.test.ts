import { describe, expect, it } from 'vitest';
import { ChatError } from '@chat/protocol';
import { sdkClient, startChat } from '../../../test-support/servers.js';
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
