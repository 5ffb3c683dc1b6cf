import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatRoom } from '@chat/client';
import type { Message } from '@chat/protocol';
import { PostgresStore } from '../store/postgres/postgres-store.js';
import { RedisRateLimiter } from './redis-rate.js';
import { batchRoom } from './room-fanout.js';
import { clusterPrefix, clusterScripts, pickRoom, shardsOf, startShardedChats } from './sharded-fixtures.js';
import { redisClusterMissing, startRedisCluster, type LocalRedisCluster } from '../../../../test-support/redis-cluster.js';
import { useTestSchema } from '../../../../test-support/postgres.js';
import { rawSocket, request, sdkClient } from '../../../../test-support/servers.js';
import { waitFor } from '../../../../test-support/wait.js';

const missing = redisClusterMissing() ?? (process.env['DATABASE_URL'] ? undefined : 'no DATABASE_URL');

// Fast heartbeats; a staleness longer than a failover (about 2 s with a node timeout of 1 s), so
// that no live process is reaped while its shard is away.
const TUNING = { heartbeatMs: 200, staleAfterMs: 5000 };

// A primary of the Redis Cluster dies (SIGKILL) while two servers carry traffic in a room whose
// every slot (its keys, its presence bucket, its broadcast channels) it served.
describe.skipIf(missing !== undefined)('redisCluster when a primary of the Redis Cluster dies', () => {
  const schema = useTestSchema();
  let cluster: LocalRedisCluster;
  beforeAll(async () => {
    cluster = await startRedisCluster({ nodeTimeoutMs: 1000 });
  }, 30_000);
  afterAll(() => cluster?.stop());

  /**
   * A room whose keys, presence and broadcast channels are all on one primary, and that primary.
   * Asked of a healthy cluster; if no room id fits (the cluster changed while asking), asked
   * once more after it is healthy again, and the error says what the primaries served.
   */
  async function roomOnOnePrimary(prefix: string): Promise<{ roomId: string; primary: number }> {
    const seen = new Map<string, number>();
    const pick = async (base: string) => {
      await cluster.healthy();
      let primary = 0;
      const roomId = await pickRoom(base, async (id) => {
        const { room, presence } = await shardsOf(cluster, prefix, id);
        // The SDK asks for batches: its messages go through the batch room's channel.
        const channels = [id, batchRoom(id)].map((r) => `${prefix}socket.io#/#${r}#`);
        const served = [room, presence, ...(await Promise.all(channels.map((c) => cluster.primaryOf(c))))];
        const tally = served.join(' ');
        seen.set(tally, (seen.get(tally) ?? 0) + 1);
        primary = room;
        return served.every((p) => p === room);
      });
      return { roomId, primary };
    };
    try {
      return await pick('failover');
    } catch {
      try {
        return await pick('failover-again');
      } catch {
        const often = [...seen].sort((x, y) => y[1] - x[1]).slice(0, 5);
        throw new Error(`No room has every slot on one primary; primaries seen (room presence channels): ${JSON.stringify(often)}`);
      }
    }
  }

  const ids = (room: ChatRoom) => room.messages.map((m) => m.id);

  it('the replica takes over: no acknowledged message lost or doubled for any member, no ghost, typing and rates recover', async () => {
    const prefix = clusterPrefix();
    const store = () => new PostgresStore({ pool: schema.pool() });
    const [a, b] = await startShardedChats(cluster, { store, typingTimeoutMs: 2000 }, { ...TUNING, keyPrefix: prefix });
    const { roomId, primary } = await roomOnOnePrimary(prefix);
    const ana = await sdkClient(a.url, { auth: { name: 'Ana' } }).join(roomId);
    const luis = await sdkClient(b.url, { auth: { name: 'Luis' }, typingThrottleMs: 0 }).join(roomId);
    const leaver = await rawSocket(b.url, { name: 'Leaver' });
    expect(await request(leaver, 'room:join', { roomId })).toMatchObject({ ok: true });
    await waitFor(() => expect(ana.members.map((m) => m.name).sort()).toEqual(['Ana', 'Leaver', 'Luis']));

    // A rate bucket on the primary that dies, spent before it dies.
    const { scripts, keys } = await clusterScripts(cluster, prefix);
    const rateKey = await pickRoom('bucket', async (id) => (await cluster.primaryOf(`${prefix}rate:${id}`)) === primary);
    expect(await new RedisRateLimiter(scripts, prefix).take(rateKey, 1, 0.001)).toBe(0);

    const acked: Message[] = [];
    let sending = true;
    let failed = 0;
    let slowest = 0;
    // Each member sends in turn, one at a time (the SDK resends a send that had no answer).
    const traffic = (async () => {
      for (let i = 0; sending; i++) {
        const from = i % 2 === 0 ? ana : luis;
        const started = Date.now();
        try {
          acked.push(await from.send(`m${i}`));
          slowest = Math.max(slowest, Date.now() - started);
        } catch {
          failed++;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await waitFor(() => expect(acked.length).toBeGreaterThan(10));

    const killedAt = Date.now();
    await cluster.kill(primary);
    // Someone leaves while the shard that holds the room's presence is away.
    leaver.disconnect();
    await cluster.healthy();
    const healthyAfter = Date.now() - killedAt;
    // Traffic goes on until a message sent after the failover reaches the other process live.
    const sentBefore = acked.length;
    await waitFor(
      () => {
        const late = acked.slice(sentBefore).filter((m) => m.user.name === 'Ana');
        expect(late.some((m) => ids(luis).includes(m.id))).toBe(true);
      },
      { timeout: 15_000 },
    );
    const deliveringAfter = Date.now() - killedAt;
    sending = false;
    await traffic;
    const missedLive = Math.max(...[ana, luis].map((room) => acked.filter((m) => !ids(room).includes(m.id)).length));

    // One more message from each side: a member behind sees the gap and catches up from the store.
    acked.push(await ana.send('after'), await luis.send('after too'));
    for (const room of [ana, luis]) {
      await waitFor(() => expect(acked.every((m) => ids(room).includes(m.id))).toBe(true), { timeout: 10_000 });
      expect(new Set(ids(room)).size).toBe(ids(room).length);
      const seqs = room.messages.map((m) => m.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    }

    // No ghost: the leave that failed is done again once the shard is back (by process b, which
    // lives on: no reaping of a dead process's entries can be what removes it, however long this waits).
    await waitFor(() => expect(ana.members.map((m) => m.name).sort()).toEqual(['Ana', 'Luis']), { timeout: 15_000 });
    const held = (await scripts.run(`return redis.call('HLEN', KEYS[1])`, [`${keys.presence(roomId)}members:${roomId}`], [])) as number;
    expect(held).toBe(2);

    // Typing goes through the new primary.
    luis.typing();
    await waitFor(() => expect(ana.typingUsers.map((u) => u.name)).toEqual(['Luis']));
    // The shared rate limit answers from the new primary, with the bucket spent before the kill
    // (a limiter of its own each time: its local fallback would answer 0, never a wait).
    await waitFor(async () => expect(await new RedisRateLimiter(scripts, prefix).take(rateKey, 1, 0.001)).toBeGreaterThan(0));

    console.log(
      `failover: cluster_state ok ${healthyAfter} ms after the kill; live delivery across processes again after ${deliveringAfter} ms; ` +
        `${acked.length} messages acknowledged (slowest ack ${slowest} ms), ${failed} sends failed, ` +
        `up to ${missedLive} caught up from the store by a member`,
    );
  }, 40_000);
});
