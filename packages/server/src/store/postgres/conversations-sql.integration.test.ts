import { describe, expect, it } from 'vitest';
import type { ChatStore, ConversationRow } from '../../core/chat-store.js';
import { MemoryStore } from '../memory-store.js';
import { PostgresStore } from './postgres-store.js';
import { CONVERSATIONS_SQL } from './member-sql.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

// CONVERSATIONS_SQL chooses a user's page in one of two ways, by the ratio of the user's
// memberships to the rooms PostgreSQL estimates chat_rooms holds: a probe of chat_rooms' key per
// membership (few memberships among many rooms), or a scan of chat_rooms (a good share of them).
// Both must give what MemoryStore gives for the same writes: the same rooms in the same order,
// the same exact counts.

const ROOMS = Array.from({ length: 24 }, (_, i) => `room-${String(i).padStart(2, '0')}`);
const FEW = ROOMS.filter((_, i) => i % 12 === 5); // 2 of 24 rooms: 12 rooms a membership
const user = (id: string) => ({ id, name: id.toUpperCase() });

/** The same writes on any store: every room gets messages in a shuffled order, some mention the users. */
async function write(store: ChatStore): Promise<void> {
  for (const id of ROOMS) await store.createRoom({ id });
  for (const id of ROOMS) await store.addMembers(id, [user('many'), user('other'), ...(FEW.includes(id) ? [user('few')] : [])]);
  for (let i = 0; i < 60; i++) {
    const roomId = ROOMS[(i * 7) % ROOMS.length]!;
    const mentions = i % 3 === 0 ? ['many', ...(FEW.includes(roomId) ? ['few'] : [])] : [];
    await store.appendMessage({ roomId, clientId: `c${i}`, user: user('other'), text: `m${i}`, attachments: [], mentions });
    // Each message in a millisecond of its own: the order of rooms is then the same in both stores.
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await store.markRead(ROOMS[3]!, 'many', 2);
  await store.markRead(FEW[0]!, 'few', 1);
}

/** What a conversation row says, without the times the stores set each on their own. */
const summary = (rows: ConversationRow[]) =>
  rows.map((row) => ({ room: row.room.id, unread: row.unread, mentions: row.mentions, readSeq: row.readSeq, last: row.lastMessage?.text }));

interface PlanNode {
  'One-Time Filter'?: string;
  'Actual Loops'?: number;
  'Actual Rows'?: number;
  Plans?: PlanNode[];
}

/** The rows each of the two ways of choosing the page gave, in the order of the statement (probes, then scan). */
function branchRows(node: PlanNode, out: number[] = []): number[] {
  if (node['One-Time Filter'] !== undefined) out.push(node['Actual Rows'] ?? 0);
  for (const child of node.Plans ?? []) branchRows(child, out);
  return out;
}

describe.skipIf(skipWithoutPostgres())('PostgreSQL conversations: the page by key probes or by a scan of the rooms', () => {
  const schema = useTestSchema();

  it('gives what MemoryStore gives either way, and takes the probes only for few memberships among many rooms', async () => {
    const pool = schema.pool();
    const store = new PostgresStore({ pool });
    await store.init();
    const memory = new MemoryStore();
    await write(store);
    await write(memory);
    const branches = async (userId: string) => {
      const { rows } = await pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${CONVERSATIONS_SQL}`, [
        userId,
        50,
      ]);
      return branchRows(rows[0]!['QUERY PLAN'][0].Plan);
    };

    const same = async () => {
      for (const userId of ['few', 'many', 'other', 'nobody']) {
        const expected = summary(await memory.conversations(userId, { limit: 50 }));
        expect(summary(await store.conversations(userId, { limit: 50 }))).toEqual(expected);
        // A page shorter than the user's rooms ends at the same room in both stores.
        expect(summary(await store.conversations(userId, { limit: 3 }))).toEqual(expected.slice(0, 3));
      }
    };
    // Before chat_rooms is analyzed (PostgreSQL's estimate may be -1: no row count yet), and after.
    await same();
    await pool.query('VACUUM (ANALYZE) chat_rooms, chat_members');
    await same();
    expect(summary(await store.conversations('few', { limit: 50 }))).toHaveLength(FEW.length);
    expect(summary(await store.conversations('many', { limit: 50 }))).toHaveLength(ROOMS.length);
    expect(await branches('few')).toEqual([FEW.length, 0]);
    expect(await branches('many')).toEqual([0, ROOMS.length]);
    expect(await branches('nobody')).toEqual([0, 0]);
  });
});

describe.skipIf(skipWithoutPostgres())('PostgreSQL conversations: rooms active in the same millisecond', () => {
  const schema = useTestSchema();

  it('are listed by room id, as MemoryStore and the SDK list them (times are told to the millisecond)', async () => {
    const pool = schema.pool();
    const store = new PostgresStore({ pool });
    await store.init();
    for (const id of ['a', 'b']) {
      await store.createRoom({ id });
      await store.addMembers(id, [user('ana')]);
      await store.appendMessage({ roomId: id, clientId: `c-${id}`, user: user('ana'), text: id, attachments: [], mentions: [] });
    }
    // Activity of one millisecond, 'b' the later by microseconds (two appends' now()); their messages both say .123.
    await pool.query(`UPDATE chat_rooms SET last_message_at = '2026-11-28T10:00:00.1231Z' WHERE id = 'a'`);
    await pool.query(`UPDATE chat_rooms SET last_message_at = '2026-11-28T10:00:00.1239Z' WHERE id = 'b'`);
    expect((await store.conversations('ana', { limit: 10 })).map((row) => row.room.id)).toEqual(['a', 'b']);
    expect((await store.memberRooms('ana', { limit: 10 })).map((row) => row.room.id)).toEqual(['a', 'b']);
  });
});
