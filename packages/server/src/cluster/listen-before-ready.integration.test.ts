import { describe, expect, it } from 'vitest';
import { redisCluster } from './redis-cluster.js';
import { freshPrefix, REDIS_URL, skipWithoutRedis } from '../../../../test-support/redis.js';
import { sdkClient, startChat } from '../../../../test-support/servers.js';
import { waitFor } from '../../../../test-support/wait.js';

// The README's order: create the chat server, listen at once, take connections while the
// cluster is still connecting to Redis. Nothing may be lost for those first sockets.
describe.skipIf(skipWithoutRedis())('a process that listens before chat.ready()', () => {
  it('delivers presence and messages to sockets that connected while the cluster was starting', async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const prefix = freshPrefix();
      const { url, chat } = await startChat({
        cluster: redisCluster({ url: REDIS_URL, keyPrefix: prefix, heartbeatMs: 100, staleAfterMs: 1000 }),
        presenceCoalesceMs: 10,
      });
      // No `await chat.ready()`: connect straight away.
      const ana = sdkClient(url, { auth: { name: 'Ana' } });
      const luis = sdkClient(url, { auth: { name: 'Luis' } });
      const [a, l] = await Promise.all([ana.join('early'), luis.join('early')]);
      await waitFor(() => expect(a.members.map((m) => m.name).sort()).toEqual(['Ana', 'Luis']));
      await waitFor(() => expect(l.members.map((m) => m.name).sort()).toEqual(['Ana', 'Luis']));
      const sent = await a.send(`hello ${attempt}`);
      await waitFor(() =>
        expect(
          l.messages.map((m) => m.id),
          `attempt ${attempt}`,
        ).toContain(sent.id),
      );
      await chat.close();
      ana.close();
      luis.close();
    }
  });
});
