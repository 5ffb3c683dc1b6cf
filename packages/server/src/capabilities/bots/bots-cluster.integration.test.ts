import { expect, it } from 'vitest';
import type { Message, PresenceDelta } from '@chat/protocol';
import { clusterSuite, connect, fresh, join, say } from '../conversations/conversation-fixtures.js';
import { nextEvent } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';

clusterSuite('bots', (twoProcesses) => {
  it('a bot on one process is a member everywhere, hears messages stored by the other, and its answers reach them', async () => {
    const [one, two] = await twoProcesses();
    const roomId = fresh('room');
    const luis = await connect(two.url, fresh('luis'), 'Luis');
    await join(luis, roomId);

    const bot = one.chat.bot({ id: fresh('helper'), name: 'Helper' });
    const heard: Message[] = [];
    bot.on('message', (message) => {
      heard.push(message);
      if (message.text === 'ping') void bot.reply(message, 'pong');
    });
    const botJoined = nextEvent(luis, 'presence', (delta: PresenceDelta) => delta.joined.some((m) => m.id === bot.id));
    await bot.join(roomId);
    expect((await botJoined).joined).toContainEqual(expect.objectContaining({ id: bot.id, bot: true }));
    // Members read on the other process carry the mark too.
    const ana = await connect(two.url, fresh('ana'), 'Ana');
    expect((await join(ana, roomId)).members).toContainEqual(expect.objectContaining({ id: bot.id, bot: true }));

    const pong = nextEvent(luis, 'message', (m: Message) => m.user.id === bot.id);
    const ping = await say(luis, roomId, 'ping');
    expect(await pong).toMatchObject({ text: 'pong', replyTo: ping.id, user: { bot: true } });
    // Heard once (not once per process), and never its own answer.
    await say(ana, roomId, 'thanks');
    await waitFor(() => expect(heard.map((m) => m.text)).toEqual(['ping', 'thanks']));

    const botLeft = nextEvent(luis, 'presence', (delta: PresenceDelta) => delta.left.includes(bot.id));
    await bot.leave(roomId);
    await botLeft;
  });

  it('a bot that joins after the room was busy hears the next message from the other process', async () => {
    const [one, two] = await twoProcesses();
    const roomId = fresh('room');
    const luis = await connect(two.url, fresh('luis'), 'Luis');
    await join(luis, roomId);
    // Process two reads the room's bots (none) and remembers that.
    await say(luis, roomId, 'before the bot');
    const bot = one.chat.bot({ id: fresh('late'), name: 'Late' });
    const heard: string[] = [];
    bot.on('message', (message) => void heard.push(message.text));
    await bot.join(roomId);
    // Its join told process two to read again; repeat until the signal has arrived there.
    await waitFor(async () => {
      await say(luis, roomId, 'after the bot');
      expect(heard).toContain('after the bot');
    });
    expect(heard).not.toContain('before the bot');
  });

  it('the same bot id created on both processes hears each message once, on the process that stored it', async () => {
    const [one, two] = await twoProcesses();
    const roomId = fresh('room');
    const id = fresh('everywhere');
    const heardOn: string[] = [];
    const botOne = one.chat.bot({ id, name: 'Everywhere' });
    const botTwo = two.chat.bot({ id, name: 'Everywhere' });
    botOne.on('message', (m) => void heardOn.push(`one:${m.text}`));
    botTwo.on('message', (m) => void heardOn.push(`two:${m.text}`));
    await botOne.join(roomId);
    await botTwo.join(roomId);
    const ana = await connect(one.url, fresh('ana'), 'Ana');
    const luis = await connect(two.url, fresh('luis'), 'Luis');
    await join(ana, roomId);
    await join(luis, roomId);
    await say(ana, roomId, 'a');
    await say(luis, roomId, 'b');
    await waitFor(() => expect(heardOn.sort()).toEqual(['one:a', 'two:b']));
  });
});
