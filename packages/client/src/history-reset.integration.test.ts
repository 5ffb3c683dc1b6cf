import { describe, expect, it } from 'vitest';
import type { Discontinuity } from './core/room-types.js';
import { createClient } from 'redis';
import { rawSocket, request, sdkClient, startChat, track, type TestChat, restartChat } from '../../../test-support/servers.js';
import { freshPrefix, REDIS_URL, skipWithoutRedis } from '../../../test-support/redis.js';
import { startClusterChats } from '../../../test-support/cluster.js';
import { waitFor } from '../../../test-support/wait.js';

// The demo's memory store starts empty after a restart: seqs begin again at 1. A client that
// re-joins "since" its old watermark must notice that the history it knew is gone.

describe('a server restart on the memory store', () => {
  it('clients start over on the new history: nothing missed, nothing out of order, the outbox delivered once', async () => {
    const first = await startChat();
    const client = sdkClient(first.url, { auth: { name: 'Ana', guestKey: 'ana-guest-key-0123456789' } });
    const room = await client.join('demo');
    for (const text of ['old 1', 'old 2', 'old 3', 'old 4', 'old 5']) await room.send(text);
    const events: Discontinuity[] = [];
    room.on('discontinuity', (e) => events.push(e));

    const second = await restartChat(first);
    // While Ana is still reconnecting, someone writes in the new, empty history.
    const luis = await rawSocket(second.url, { name: 'Luis' });
    expect(await request(luis, 'room:join', { roomId: 'demo' })).toMatchObject({ ok: true });
    for (const [i, text] of ['new 1', 'new 2'].entries()) {
      expect(await request(luis, 'message:send', { roomId: 'demo', clientId: `l${i}`, text })).toMatchObject({ ok: true });
    }
    const offline = room.send('sent while away');

    await waitFor(() => expect(room.state).toBe('joined'));
    const sent = await offline;
    await waitFor(() => expect(room.messages.map((m) => m.text)).toEqual(['new 1', 'new 2', 'sent while away']));
    expect(room.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(sent.seq).toBe(3);
    expect(events).toEqual([{ reason: 'reset' }]);
    const page = await request(luis, 'message:history', { roomId: 'demo' });
    expect(page.ok && page.data.messages.map((m) => m.text)).toEqual(['new 1', 'new 2', 'sent while away']);
  });

  it('a re-join in the same history catches up as before (the epoch is stable)', async () => {
    const { url, chat } = await startChat();
    const room = await sdkClient(url).join('same');
    const events: Discontinuity[] = [];
    room.on('discontinuity', (e) => events.push(e));
    await room.send('one');
    chat.io.of('/').disconnectSockets(true);
    await chat.sendMessage('same', { user: { id: 'bot', name: 'Bot' }, text: 'while away' });
    await waitFor(() => expect(room.messages.map((m) => m.text)).toEqual(['one', 'while away']));
    expect(events).toEqual([]);
  });

  it.skipIf(skipWithoutRedis())(
    'an ephemeral room whose counter Redis lost while the client stayed connected: it starts over too',
    async () => {
      const prefix = freshPrefix();
      const [server] = (await startClusterChats(1, {}, { keyPrefix: prefix })) as [TestChat];
      await server.chat.createRoom({ id: 'call', options: { ephemeral: true } });
      const room = await sdkClient(server.url).join('call');
      const events: Discontinuity[] = [];
      room.on('discontinuity', (e) => events.push(e));
      for (const text of ['a', 'b', 'c']) await server.chat.sendMessage('call', { user: { id: 'bot', name: 'Bot' }, text });
      await waitFor(() => expect(room.messages.map((m) => m.seq)).toEqual([1, 2, 3]));
      // As after a Redis restart: the seq counter and its epoch are gone.
      const redis = createClient({ url: REDIS_URL });
      await redis.connect();
      track(() => redis.close());
      await redis.del([`${prefix}eph:seq:call`, `${prefix}eph:epoch:call`]);
      await server.chat.sendMessage('call', { user: { id: 'bot', name: 'Bot' }, text: 'new 1' }); // seq 1 again
      await waitFor(() => expect(events).toEqual([{ reason: 'reset' }]));
      await server.chat.sendMessage('call', { user: { id: 'bot', name: 'Bot' }, text: 'new 2' });
      await waitFor(() => expect(room.messages.map((m) => m.text)).toEqual(['new 1', 'new 2']));
      expect(room.state).toBe('joined');
    },
  );
});
