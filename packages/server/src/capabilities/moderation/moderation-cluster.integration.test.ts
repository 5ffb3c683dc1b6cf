import { expect, it } from 'vitest';
import type { ChatServerOptions } from '../../options.js';
import { PostgresStore } from '../../store/postgres/postgres-store.js';
import { eachRedis, startClusterChats } from '../../../../../test-support/cluster.js';
import { nextEvent, okData, request, type TestChat } from '../../../../../test-support/servers.js';
import { inMs, joined, passThrough, restCaller, send, sent } from './moderation-fixtures.js';

// Two processes on Redis and one PostgreSQL database: an action taken through one process holds
// on the other by the time it is answered (kicks, bans, mutes, admins seen anywhere), and a
// user's message rate and slow mode count once across both.

eachRedis('moderation across two processes', (redis, schema) => {
  const twoServers = async (options: ChatServerOptions = {}) => {
    const pool = schema.pool();
    const servers = (await startClusterChats(
      2,
      { authenticate: passThrough, presenceCoalesceMs: 10, ownerOnJoin: true, ...options },
      redis(),
      () => new PostgresStore({ pool }),
    )) as [TestChat, TestChat];
    for (const server of servers) {
      const handler = server.chat.httpHandler({ basePath: '/chat' });
      // Clients here use WebSocket only, so every plain request on these servers is REST.
      server.http.on('request', (req, res) => {
        if (req.url?.startsWith('/chat/')) handler(req, res);
      });
    }
    return servers;
  };
  let n = 0;
  const freshRoom = () => `mod-${process.pid}-${Date.now().toString(36)}-${n++}`;

  it('a ban through one process takes the user out on the other at once, and joins and REST there answer BANNED', async () => {
    const [a, b] = await twoServers();
    const roomId = freshRoom();
    const [host] = await joined(a.url, roomId, 'host');
    const [trollOnB] = await joined(b.url, roomId, 'troll');
    const [trollOnA] = await joined(a.url, roomId, 'troll');
    const removedB = nextEvent(trollOnB, 'room:removed');
    const removedA = nextEvent(trollOnA, 'room:removed');
    const until = inMs(3_600_000);
    okData(await request(host, 'moderation:ban', { roomId, userId: 'troll', until, reason: 'Spam' }));
    expect(await removedB).toEqual({ roomId, reason: 'banned', message: 'Spam', until });
    expect(await removedA).toEqual({ roomId, reason: 'banned', message: 'Spam', until });
    expect(await request(trollOnB, 'room:join', { roomId })).toMatchObject({ ok: false, error: { code: 'BANNED', until } });
    expect(await restCaller(b.url)({ id: 'troll' }, 'GET', `/rooms/${roomId}/messages`)).toMatchObject({
      status: 403,
      body: { error: { code: 'BANNED', until } },
    });
    await b.chat.unban(roomId, 'troll');
    okData(await request(trollOnA, 'room:join', { roomId }));
  });

  it('a mute through one process holds on the other as soon as it is answered; members there see it', async () => {
    const [a, b] = await twoServers();
    const roomId = freshRoom();
    const [host] = await joined(a.url, roomId, 'host');
    const [ana] = await joined(b.url, roomId, 'ana');
    const [ben] = await joined(b.url, roomId, 'ben');
    await sent(ana, roomId, 'warm up');
    const seen = nextEvent(ben, 'presence', (d) => [...d.joined, ...d.updated].some((m) => m.id === 'ana' && m.muted !== undefined));
    okData(await request(host, 'moderation:mute', { roomId, userId: 'ana' }));
    // No wait: the answer came after every process had heard of the mute.
    expect(await send(ana, roomId, 'now?')).toMatchObject({ ok: false, error: { code: 'MUTED' } });
    await seen;
    okData(await request(host, 'moderation:unmute', { roomId, userId: 'ana' }));
    await sent(ana, roomId, 'thank you');
  });

  it('sees an admin connected to the other process: a moderator cannot act on them', async () => {
    const [a, b] = await twoServers();
    const roomId = freshRoom();
    const [host] = await joined(a.url, roomId, 'host');
    await joined(b.url, roomId, 'boss', ['admin']);
    expect(await request(host, 'moderation:kick', { roomId, userId: 'boss' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'You cannot kick an admin of this room.' },
    });
  });

  it('limits a user with sockets on both processes at the configured message rate overall', async () => {
    // Four messages, then (practically) none: on two processes that each count alone it would be eight.
    const [a, b] = await twoServers({ limits: { messageBurst: 4, messagesPerSecond: 0.001 } });
    const roomId = freshRoom();
    const [onA] = await joined(a.url, roomId, 'fast');
    const [onB] = await joined(b.url, roomId, 'fast');
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await send(i % 2 ? onB : onA, roomId, `m${i}`));
    expect(answers.filter((r) => r.ok)).toHaveLength(4);
    const refused = answers.filter((r) => !r.ok);
    expect(refused).toHaveLength(4);
    for (const r of refused) expect(r).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) } });
    // Another user is not held back by it.
    const [other] = await joined(b.url, roomId, 'calm');
    await sent(other, roomId, 'hello');
  });

  it('counts slow mode once across processes', async () => {
    const [a, b] = await twoServers();
    const roomId = freshRoom();
    await joined(a.url, roomId, 'host');
    await a.chat.updateRoom(roomId, { options: { slowModeMs: 60_000 } });
    const [onA] = await joined(a.url, roomId, 'ana');
    const [onB] = await joined(b.url, roomId, 'ana');
    await sent(onA, roomId, 'one');
    expect(await send(onB, roomId, 'two')).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  });
});
