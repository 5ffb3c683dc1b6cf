import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Message } from '@chat/protocol';
import { nextEvent, okData, request, type RawSocket } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { clusterSuite, connect, fresh, join, say } from '../conversations/conversation-fixtures.js';

// Threads on two processes sharing PostgreSQL and Redis: a storm of replies from both at once
// leaves the parent's summary exact, and every client ends with it through coalesced updates.

clusterSuite('threads', (twoProcesses) => {
  it('replies from both processes at once: the summary is exact in the store and on every client, updates coalesced', async () => {
    const [a, b] = await twoProcesses();
    const roomId = fresh('storm');
    const sockets: RawSocket[] = [];
    for (let i = 0; i < 20; i++) {
      const socket = await connect((i % 2 === 0 ? a : b).url, fresh(`fan${i}`), `Fan ${i}`);
      await join(socket, roomId);
      sockets.push(socket);
    }
    const parent = await say(sockets[0] as RawSocket, roomId, 'Kick-off!');
    const newest = sockets.map(() => ({ copy: parent, updates: 0 }));
    sockets.forEach((socket, i) =>
      socket.on('message:updated', (m: Message) => {
        const held = newest[i] as { copy: Message; updates: number };
        held.updates++;
        if (m.id === parent.id && m.rev > held.copy.rev) held.copy = m;
      }),
    );
    // At most 8 requests of one user in flight at once (maxRequestsInFlightPerUser).
    const perSocket = 6;
    const acks = await Promise.all(
      sockets.flatMap((socket, i) =>
        Array.from({ length: perSocket }, (_, k) =>
          request(socket, 'message:send', { roomId, clientId: randomUUID(), text: `${i}.${k}`, threadOf: parent.id }),
        ),
      ),
    );
    const replies = acks.map((ack) => okData(ack).message);
    const total = sockets.length * perSocket;
    expect(new Set(replies.map((r) => r.seq)).size).toBe(total);
    const final = (await a.chat.store.getMessage(roomId, parent.id)) as Message;
    expect(final.thread).toMatchObject({ replyCount: total, participants: expect.any(Array) });
    expect(final.thread?.participants).toHaveLength(5);
    await waitFor(
      () => {
        for (const held of newest) expect(held.copy).toEqual(final);
      },
      { timeout: 10_000 },
    );
    // One update per reply to every socket would be total x 20 deliveries.
    const delivered = newest.reduce((n, held) => n + held.updates, 0);
    expect(delivered).toBeLessThan((total * sockets.length) / 4);
    const page = okData(await request(sockets[1] as RawSocket, 'message:history', { roomId, threadOf: parent.id, limit: 100, after: 0 }));
    expect(page.hasMore).toBe(true);
    expect(page.messages.map((m) => m.seq)).toEqual([...replies.map((r) => r.seq)].sort((x, y) => x - y).slice(0, 100));
  });

  it('a bot on one process answers a reply heard from the other in the same thread', async () => {
    const [one, two] = await twoProcesses();
    const roomId = fresh('room');
    const luisId = fresh('luis');
    const luis = await connect(two.url, luisId, 'Luis');
    await join(luis, roomId);
    const bot = one.chat.bot({ id: fresh('helper'), name: 'Helper' });
    bot.on('message', (message) => {
      if (message.text === 'ping') void bot.reply(message, 'pong');
    });
    await bot.join(roomId);
    const parent = await say(luis, roomId, 'parent');
    const pong = nextEvent(luis, 'message', (m: Message) => m.user.id === bot.id);
    // Listened to before the ping: the update can come in the same read as the bot's answer.
    const summary = nextEvent(luis, 'message:updated', (m: Message) => m.id === parent.id && m.thread?.replyCount === 2);
    const ping = okData(await request(luis, 'message:send', { roomId, clientId: randomUUID(), text: 'ping', threadOf: parent.id })).message;
    expect(await pong).toMatchObject({ text: 'pong', replyTo: ping.id, threadOf: parent.id, user: { bot: true } });
    expect((await summary).thread?.participants).toEqual([
      { id: luisId, name: 'Luis' },
      { id: bot.id, name: 'Helper', bot: true },
    ]);
  });
});
