import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { ChatError, type Message } from '@chat/protocol';
import { RedisEphemeralLog } from '../../cluster/redis-ephemeral.js';
import { ScriptRunner } from '../../cluster/redis-commands.js';
import { redisHandle } from '../../cluster/redis-client.js';
import type { MessageChange, MessageDraft } from '../../core/chat-store.js';
import { MemoryStore } from '../../store/memory-store.js';
import { LocalEphemeralLog, type EphemeralLog } from '../../store/ephemeral-log.js';
import { freshPrefix, REDIS_URL } from '../../../../../test-support/redis.js';
import { track } from '../../../../../test-support/servers.js';

// An ephemeral room's log must change messages exactly as a store does: the same sequence of
// changes, applied to MemoryStore and to each log, gives the same messages, revs, refusals and
// changedAfter pages. The Redis log also counts concurrent reactions from two processes exactly.

async function redisLog(prefix: string): Promise<{ log: RedisEphemeralLog; redis: ReturnType<typeof createClient> }> {
  const redis = createClient({ url: REDIS_URL });
  redis.on('error', () => undefined);
  await redis.connect();
  track(() => redis.close());
  const handle = redisHandle(redis);
  return { log: new RedisEphemeralLog(new ScriptRunner(handle), handle, prefix), redis };
}

const LOGS: Array<[string, () => Promise<EphemeralLog>]> = [['LocalEphemeralLog', async () => new LocalEphemeralLog()]];
if (REDIS_URL) LOGS.push(['RedisEphemeralLog', async () => (await redisLog(freshPrefix())).log]);

// A small deterministic generator: the same "random" sequence on every run.
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

const draft = (roomId: string, i: number): MessageDraft => ({
  roomId,
  clientId: `c-${i}`,
  user: { id: `u${i % 3}`, name: `User ${i % 3}`, ...(i === 0 && { avatarUrl: 'https://img.example/a.png' }) },
  text: i === 1 ? '' : `message ${i} 🎉 "quoted" \\ back/slash`,
  // Long numbers and empty lists must come back as they went in (Lua's cjson would change both).
  attachments: i === 1 ? [{ url: 'https://files.example/big.bin', type: 'application/octet-stream', size: Number.MAX_SAFE_INTEGER }] : [],
  ...(i === 2 && { replyTo: 'some-earlier-id' }),
  ...(i % 4 === 3 && { mentions: ['u0', 'u1'] }),
});

// What may differ between two holders of the same messages: the ids and creation times they chose.
function comparable(m: Message, ids: Map<string, string>): unknown {
  const { id, createdAt: _createdAt, ...rest } = m;
  return { id: ids.get(id) ?? id, ...rest };
}

async function outcome(run: () => Promise<{ message: Message; changed: boolean }>, ids: Map<string, string>): Promise<unknown> {
  try {
    const { message, changed } = await run();
    return { changed, message: comparable(message, ids) };
  } catch (error) {
    if (!(error instanceof ChatError)) throw error;
    return { code: error.code, message: error.message };
  }
}

describe.each(LOGS)('%s', (_name, makeLog) => {
  it('applies 300 random changes exactly as MemoryStore does: messages, revs, refusals and changedAfter pages', async () => {
    const log = await makeLog();
    const store = new MemoryStore();
    const roomId = `eph-${Date.now().toString(36)}`;
    await store.createRoom({ id: roomId });
    const ids = new Map<string, string>(); // log id -> store id
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < 8; i++) {
      const inStore = (await store.appendMessage(draft(roomId, i))).message;
      const inLog = (await log.append(draft(roomId, i))).message;
      ids.set(inLog.id, inStore.id);
      pairs.push([inLog.id, inStore.id]);
      expect(comparable(inLog, ids)).toEqual(comparable(inStore, ids));
    }
    const next = random(42);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
    const users = Array.from({ length: 30 }, (_, i) => `u${i}`);
    const emojis = ['👍', '❤️', '😂', '🎉', '👩🏽‍💻'];
    const at = (n: number) => new Date(Date.UTC(2030, 0, 1, 0, 0, n)).toISOString();
    for (let n = 0; n < 300; n++) {
      const roll = next();
      let change: MessageChange;
      if (roll < 0.1) change = { type: 'edit', text: pick(['a', 'b', 'a']), mentions: pick([[], ['u1'], ['u1', 'u2']]), at: at(n) };
      else if (roll < 0.13) change = { type: 'delete', at: at(n) };
      else if (roll < 0.75) change = { type: 'react', emoji: pick(emojis), userId: pick(users), maxEmojis: 4 };
      else change = { type: 'unreact', emoji: pick(emojis), userId: pick(users) };
      const [logId, storeId] = pick(pairs);
      const expected = await outcome(() => store.changeMessage(roomId, storeId, change), ids);
      expect(await outcome(() => log.change(roomId, logId, change), ids), `change ${n}: ${JSON.stringify(change)}`).toEqual(expected);
    }
    expect(await log.rev(roomId)).toBe(await store.roomRev(roomId));
    for (const [logId, storeId] of pairs) {
      expect(comparable((await log.get(roomId, logId)) as Message, ids)).toEqual(
        comparable((await store.getMessage(roomId, storeId)) as Message, ids),
      );
    }
    const rev = await store.roomRev(roomId);
    for (const query of [
      { changedAfter: 0, limit: 3 },
      { changedAfter: Math.floor(rev / 2), limit: 100 },
      { changedAfter: 0, minSeq: 3, maxSeq: 5, limit: 2 },
      { changedAfter: rev, limit: 10 },
    ]) {
      const fromStore = await store.listMessages(roomId, query);
      const fromLog = await log.changedAfter(roomId, query);
      expect({ ...fromLog, messages: fromLog.messages.map((m) => comparable(m, ids)) }, JSON.stringify(query)).toEqual({
        ...fromStore,
        messages: fromStore.messages.map((m) => comparable(m, ids)),
      });
    }
  });

  it('a resend answers with the message as it is now; a message it no longer holds is MESSAGE_NOT_FOUND; forget starts over', async () => {
    const log = await makeLog();
    const roomId = `eph-${Date.now().toString(36)}`;
    const epoch = await log.epoch(roomId);
    const { message } = await log.append(draft(roomId, 5));
    const { message: edited } = await log.change(roomId, message.id, { type: 'edit', text: 'new', at: new Date().toISOString() });
    expect(await log.append(draft(roomId, 5))).toEqual({ message: edited, duplicate: true });
    await expect(log.change(roomId, 'never-sent', { type: 'delete', at: new Date().toISOString() })).rejects.toMatchObject({
      code: 'MESSAGE_NOT_FOUND',
    });
    expect(await log.rev(roomId)).toBe(1);
    await log.forget(roomId);
    expect(await log.rev(roomId)).toBe(0);
    expect(await log.epoch(roomId)).not.toBe(epoch);
    expect((await log.changedAfter(roomId, { changedAfter: 0, limit: 10 })).messages).toEqual([]);
  });
});

describe.skipIf(!REDIS_URL)('RedisEphemeralLog across processes', () => {
  it('reactions from two processes at once count exactly; a message Redis forgot is MESSAGE_NOT_FOUND and leaves the changedAfter index', async () => {
    const prefix = freshPrefix();
    const [a, b] = [await redisLog(prefix), await redisLog(prefix)];
    const roomId = 'storm';
    const { message } = await a.log.append(draft(roomId, 0));
    const reactions = Array.from({ length: 100 }, (_, i) =>
      (i % 2 ? a : b).log.change(roomId, message.id, { type: 'react', emoji: '👍', userId: `fan${i % 60}`, maxEmojis: 20 }),
    );
    const results = await Promise.all(reactions);
    expect(results.filter((r) => r.changed)).toHaveLength(60);
    const now = (await b.log.get(roomId, message.id)) as Message;
    expect(now.reactions?.['👍']?.count).toBe(60);
    expect(now.reactions?.['👍']?.userIds).toHaveLength(25);
    expect(now.rev).toBe(60);
    expect(await a.log.rev(roomId)).toBe(60);

    await a.redis.del(`${prefix}eph:i:${roomId}:${message.id}`); // as when it expired
    await expect(b.log.change(roomId, message.id, { type: 'unreact', emoji: '👍', userId: 'fan1' })).rejects.toMatchObject({
      code: 'MESSAGE_NOT_FOUND',
    });
    expect(await a.log.changedAfter(roomId, { changedAfter: 0, limit: 10 })).toEqual({ messages: [], hasMore: false });
    expect(await a.redis.zCard(`${prefix}eph:revs:${roomId}`)).toBe(0);
  });

  it('the counters and the epoch expire together, whichever came first (else a counter could start over under the same epoch)', async () => {
    const prefix = freshPrefix();
    const { log, redis } = await redisLog(prefix);
    const roomId = 'idle';
    const keys = ['seq', 'epoch', 'rev', 'revs'].map((k) => `${prefix}eph:${k}:${roomId}`);
    // Redis freezes its clock while a script runs: keys expired by one script share an expiry.
    const expiries = async () => Promise.all(keys.map((k) => redis.sendCommand<number>(['PEXPIRETIME', k])));
    const { message } = await log.append(draft(roomId, 0)); // a bot's message, before anyone joined
    await log.change(roomId, message.id, { type: 'react', emoji: '👍', userId: 'u1', maxEmojis: 20 });
    await redis.del(keys[1] as string);
    await log.epoch(roomId); // a join makes the epoch later
    const [seq, ...others] = await expiries();
    expect(seq).toBeGreaterThan(0);
    expect(others).toEqual([seq, seq, seq]);
    await log.append(draft(roomId, 1));
    const [seq2, ...others2] = await expiries();
    expect(others2).toEqual([seq2, seq2, seq2]);
  });
});
