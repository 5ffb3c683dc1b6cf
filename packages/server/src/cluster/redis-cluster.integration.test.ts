import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { redisCluster } from './redis-cluster.js';
import { PostgresStore } from '../store/postgres/postgres-store.js';
import { freshPrefix, REDIS_URL, skipWithoutRedis } from '../../../../test-support/redis.js';
import { useTestSchema } from '../../../../test-support/postgres.js';
import { rawSocket, request, sdkClient, startChat, track } from '../../../../test-support/servers.js';
import { waitFor } from '../../../../test-support/wait.js';

// Two chat servers in this process, joined through Redis as two processes would be.
describe.skipIf(skipWithoutRedis())('redisCluster (two servers, one Redis)', () => {
  const schema = useTestSchema();

  async function twoServers(options: { staleAfterMs?: number } = {}) {
    const prefix = freshPrefix();
    const make = async () => {
      const store = new PostgresStore({ pool: schema.pool() });
      const started = await startChat({
        store,
        cluster: redisCluster({ url: REDIS_URL, keyPrefix: prefix, heartbeatMs: 100, staleAfterMs: options.staleAfterMs ?? 1000 }),
        presenceCoalesceMs: 10,
        typingTimeoutMs: 2000,
      });
      await started.chat.ready();
      return started;
    };
    return [await make(), await make(), prefix] as const;
  }

  it('delivers, shows presence and typing, and keeps names unique across servers', async () => {
    const [a, b] = await twoServers();
    const ana = await sdkClient(a.url, { auth: { name: 'Ana' } }).join('town');
    const luis = await sdkClient(b.url, { auth: { name: 'Luis' }, typingThrottleMs: 0 }).join('town');
    expect(luis.members.map((m) => m.name).sort()).toEqual(['Ana', 'Luis']);
    await waitFor(() => expect(ana.members.map((m) => m.name).sort()).toEqual(['Ana', 'Luis']));

    const sent = await ana.send('across processes');
    await waitFor(() => expect(luis.messages.map((m) => m.id)).toEqual([sent.id]));
    luis.typing();
    await waitFor(() => expect(ana.typingUsers.map((u) => u.name)).toEqual(['Luis']));

    const impostor = await rawSocket(b.url, { name: 'ana' });
    expect(await request(impostor, 'room:join', { roomId: 'town' })).toMatchObject({ ok: false, error: { code: 'NAME_TAKEN' } });

    const bot = await b.chat.sendMessage('town', { user: { id: 'bot', name: 'Bot' }, text: 'from b' });
    await waitFor(() => expect(ana.messages.map((m) => m.id)).toContain(bot.id));
  });

  it('a user with tabs on both servers is one member, who leaves with the last tab', async () => {
    const [a, b, prefix] = await twoServers();
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    track(() => redis.close());
    const watcher = await sdkClient(a.url, { auth: { name: 'Watcher' } }).join('tabs');
    const tab1 = await rawSocket(a.url, { name: 'Eva', guestKey: 'eva-guest-key-0123456789' });
    const tab2 = await rawSocket(b.url, { name: 'Eva', guestKey: 'eva-guest-key-0123456789' });
    expect(await request(tab1, 'room:join', { roomId: 'tabs' })).toMatchObject({ ok: true });
    expect(await request(tab2, 'room:join', { roomId: 'tabs' })).toMatchObject({ ok: true });
    await waitFor(() => expect(watcher.members.map((m) => m.name).sort()).toEqual(['Eva', 'Watcher']));
    const eva = watcher.members.find((m) => m.name === 'Eva')?.id as string;
    const processesOfEva = async () =>
      Object.keys((JSON.parse((await redis.hGet(`${prefix}members:tabs`, eva)) ?? '{"p":{}}') as { p: object }).p).length;
    expect(await processesOfEva()).toBe(2);
    tab1.disconnect();
    await waitFor(async () => expect(await processesOfEva()).toBe(1));
    expect(watcher.members.map((m) => m.name).sort()).toEqual(['Eva', 'Watcher']);
    expect(b.chat.io).toBeDefined();
    tab2.disconnect();
    await waitFor(() => expect(watcher.members.map((m) => m.name)).toEqual(['Watcher']));
  });

  it('endRoom on one server ends the room for members on the other', async () => {
    const [a, b] = await twoServers();
    const luis = await sdkClient(b.url, { auth: { name: 'Luis' } }).join('meeting');
    const ended = new Promise((resolve) => luis.once('ended', resolve));
    await a.chat.endRoom('meeting');
    await ended;
    const raw = await rawSocket(b.url, { name: 'Late' });
    expect(await request(raw, 'room:join', { roomId: 'meeting' })).toMatchObject({ ok: false, error: { code: 'ROOM_ENDED' } });
  });

  it('ephemeral rooms share one seq across servers', async () => {
    const [a, b] = await twoServers();
    await a.chat.createRoom({ id: 'eph', options: { ephemeral: true } });
    const ana = await sdkClient(a.url, { auth: { name: 'Ana' } }).join('eph');
    const luis = await sdkClient(b.url, { auth: { name: 'Luis' } }).join('eph');
    const first = await ana.send('one');
    const second = await luis.send({ text: 'two', replyTo: first.id });
    expect([first.seq, second.seq]).toEqual([1, 2]);
    expect(second.attachments).toEqual([]);
    await waitFor(() => expect(ana.messages.map((m) => m.text)).toEqual(['one', 'two']));
  });

  it('close() on one server takes its members out of the others at once', async () => {
    const [a, b] = await twoServers({ staleAfterMs: 60_000 });
    const watcher = await sdkClient(b.url, { auth: { name: 'Watcher' } }).join('bye');
    await sdkClient(a.url, { auth: { name: 'Leaver' }, socketOptions: { reconnection: false } }).join('bye');
    await waitFor(() => expect(watcher.members).toHaveLength(2));
    await a.chat.close();
    await waitFor(() => expect(watcher.members.map((m) => m.name)).toEqual(['Watcher']));
  });

  it('works with ioredis clients the app already has, and leaves them open', async () => {
    const prefix = freshPrefix();
    const clients: Redis[] = [];
    const make = async () => {
      const client = new Redis(REDIS_URL as string);
      clients.push(client);
      track(() => void client.quit());
      const started = await startChat({
        store: new PostgresStore({ pool: schema.pool() }),
        cluster: redisCluster({ client, keyPrefix: prefix, heartbeatMs: 100, staleAfterMs: 1000 }),
        presenceCoalesceMs: 10,
      });
      await started.chat.ready();
      return started;
    };
    const a = await make();
    const b = await make();
    const ana = await sdkClient(a.url, { auth: { name: 'Ana' } }).join('io');
    const luis = await sdkClient(b.url, { auth: { name: 'Luis' } }).join('io');
    await waitFor(() => expect(ana.members.map((m) => m.name).sort()).toEqual(['Ana', 'Luis']));
    const sent = await luis.send('over ioredis');
    await waitFor(() => expect(ana.messages.map((m) => m.id)).toEqual([sent.id]));
    const impostor = await rawSocket(b.url, { name: 'ANA' });
    expect(await request(impostor, 'room:join', { roomId: 'io' })).toMatchObject({ ok: false, error: { code: 'NAME_TAKEN' } });
    await a.chat.close();
    expect(clients[0]?.status).toBe('ready');
  });
});
