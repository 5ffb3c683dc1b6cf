import { expect, it } from 'vitest';
import { byHandshake, connect, eachStore, fresh, join } from '../conversations/conversation-fixtures.js';
import { nextEvent, okData, request } from '../../../../../test-support/servers.js';
import { startChat } from '../../../../../test-support/servers.js';

// Issue 30, item 2h: a command without a bot posted as { id: 'server', name: 'Server' } with no
// mark, a guest could call themselves "Server", and a guest could take a bot's name in a room
// the bot had not joined yet (the bot's command there then failed with NAME_TAKEN).

eachStore('names of the server and its bots', (store) => {
  it('are refused to people, however spelled; the server’s messages carry the bot mark, and its id gives no one its messages', async () => {
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake });
    chat.command({ name: 'announce', description: 'Announces.', handler: async (ctx) => void (await ctx.send(ctx.args)) });
    const roomId = fresh('room');
    const ana = await connect(url, fresh('ana'), 'Ana');
    await join(ana, roomId);

    for (const name of ['Server', 'server', 'SERVER', 'Ѕerver' /* Cyrillic Ѕ */, 'Ser\u200Bver']) {
      const guest = await connect(url, fresh('guest'), name);
      expect(await request(guest, 'room:join', { roomId }), name).toMatchObject({
        ok: false,
        error: {
          code: 'NAME_TAKEN',
          message: expect.stringContaining(`is the name of this chat's own messages or of one of its bots. Please choose another name.`),
        },
      });
    }
    // Close names are not reserved.
    await join(await connect(url, fresh('guest'), 'Servers'), roomId);

    const announced = nextEvent(ana, 'message');
    okData(await request(ana, 'command:run', { roomId, name: 'announce', args: 'Doors open' }));
    const message = await announced;
    expect(message.user).toEqual({ id: 'server', name: 'Server', bot: true });
    // A person whose id happens to be "server" (a JWT's sub, say) is not its author.
    const impostor = await connect(url, 'server', 'Sergio');
    await join(impostor, roomId);
    expect(await request(impostor, 'message:edit', { roomId, messageId: message.id, text: 'Doors closed' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('a bot’s name is the bot’s from its making, in rooms it has not joined yet, until it closes', async () => {
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake });
    const bot = chat.bot({ id: fresh('crier'), name: 'Town Crier' });
    chat.command({ name: 'shout', description: 'Shouts.', bot, handler: async (ctx) => void (await ctx.send(ctx.args.toUpperCase())) });
    const roomId = fresh('room');
    const early = await connect(url, fresh('guest'), 'town  crier');
    expect(await request(early, 'room:join', { roomId })).toMatchObject({ ok: false, error: { code: 'NAME_TAKEN' } });
    const ana = await connect(url, fresh('ana'), 'Ana');
    await join(ana, roomId);
    // The bot joins on its command's first use: its name was kept for it.
    const shouted = nextEvent(ana, 'message');
    okData(await request(ana, 'command:run', { roomId, name: 'shout', args: 'fire drill' }));
    expect((await shouted).user).toMatchObject({ id: bot.id, name: 'Town Crier', bot: true });

    await bot.close();
    const later = await connect(url, fresh('guest'), 'Town Crier');
    await join(later, roomId);
  });
});
