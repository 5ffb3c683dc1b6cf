import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { ScriptRunner } from './redis-commands.js';
import { singleRedisKeys } from './redis-keys.js';
import { RedisPresence } from './redis-presence.js';
import { HEARTBEAT } from './redis-scripts.js';
import { freshPrefix, REDIS_URL, skipWithoutRedis } from '../../../../test-support/redis.js';
import { track } from '../../../../test-support/servers.js';

// `room:members` on Redis pages a hash by HSCAN. A batch cut in the middle is scanned again for the
// next page; when its entries come back in another order (a rehash as the hash grows moves them
// between tables; an entry written again goes to the head of its bucket), taking them by position
// could skip someone (seen in a clean-clone CI run: 16 of 17 listed as the 17th join grew the hash).
// Which entries move depends on Redis's random hash seed, so these tests hold the contract rather
// than replay one layout.
/** A Redis connection, and the presence of a live process `p1` under a fresh prefix. */
async function connect() {
  const prefix = freshPrefix();
  const redis = createClient({ url: REDIS_URL as string });
  await redis.connect();
  track(() => void redis.close());
  const scripts = new ScriptRunner(redis);
  await scripts.run(HEARTBEAT, [`${prefix}procs`], ['p1']);
  const presence = new RedisPresence(scripts, { keys: singleRedisKeys(prefix), processId: 'p1', staleAfterMs: 60_000 }, () => {});
  return { prefix, redis, presence };
}

describe.skipIf(skipWithoutRedis())('member pages on Redis', () => {
  it('list everyone present for the whole paging when a batch comes back in another order', async () => {
    const { prefix, redis, presence } = await connect();
    const names = Array.from({ length: 10 }, (_, i) => `G${i}`);
    // Entries as the join script writes them, short enough for Redis to keep the hash as a listpack,
    // where an entry written again goes last: its order changes, not who is in it, on every run.
    const key = `${prefix}members:hall`;
    for (const [i, name] of names.entries()) await redis.hSet(key, `u${i}`, JSON.stringify({ m: { id: `u${i}`, name }, p: { p1: 1 } }));
    expect(await redis.sendCommand(['OBJECT', 'ENCODING', key])).toBe('listpack');

    const first = await presence.page('hall', undefined, 3);
    expect(first.members).toHaveLength(3);
    const given = first.members[0]?.id as string;
    const value = (await redis.hGet(key, given)) as string;
    await redis.hDel(key, given);
    await redis.hSet(key, given, value);

    const seen = first.members.map((m) => m.name);
    let after = first.next;
    while (after !== undefined) {
      const page = await presence.page('hall', after, 3);
      seen.push(...page.members.map((m) => m.name));
      after = page.next;
    }
    expect(seen.sort()).toEqual(names);
    // A cursor of an older process (a position in its batch) still pages: that batch from its start.
    expect((await presence.page('hall', '0:2', 50)).members).toHaveLength(10);
    await expect(presence.page('hall', '0:zz', 3)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('list everyone present for the whole paging while the hash grows past 16 entries', async () => {
    const { presence } = await connect();
    const names = Array.from({ length: 16 }, (_, i) => `Guest ${i}`);
    for (const [i, name] of names.entries()) await presence.add('hall', `s${i}`, { id: `u${i}`, name });
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await presence.page('hall', after, 3);
      seen.push(...page.members.map((m) => m.name));
      after = page.next;
      // Joins during the paging: the table grows (and rehashes) while pages are read.
      if (pages++ < 4) await presence.add('hall', `late${pages}`, { id: `late-${pages}`, name: `Late ${pages}` });
    } while (after !== undefined);
    for (const name of names) expect(seen).toContain(name);
  });
});
