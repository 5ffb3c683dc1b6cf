import { describe, expect, it, vi } from 'vitest';
import type pg from 'pg';
import type { Message } from '@chat/protocol';
import type { MessageDraft } from '../../core/chat-store.js';
import { APPEND_BATCH_SQL, APPEND_PLAIN_BATCH_SQL } from './append-batch-sql.js';
import { PostgresStore } from './postgres-store.js';
import { freshRoomId } from '../../testing/store-conformance.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

// Group commit's two statements (issue 29): a batch with no reply and no mention goes as the
// plain statement, any other as the full one, and both store the same messages, read marks and
// room rows.

const u = { id: 'u', name: 'U', avatarUrl: 'https://example.com/u.png' };
const v = { id: 'v', name: 'V', bot: true };
const drafts = (roomId: string): MessageDraft[] => [
  { roomId, clientId: 'a', user: u, text: 'first words', attachments: [{ type: 'file', url: 'https://example.com/f', name: 'f' }] },
  { roomId, clientId: 'b', user: v, text: 'second', attachments: [], replyTo: 'x' },
  { roomId, clientId: 'c', user: u, text: 'third', attachments: [] },
  // A resend within the batch: a duplicate of the first.
  { roomId, clientId: 'a', user: u, text: 'first words', attachments: [] },
];
// What two rooms' equal messages share: everything but the ids, the room and the time.
const comparable = ({ id: _id, roomId: _room, createdAt: _at, ...rest }: Message) => rest;

describe.skipIf(skipWithoutPostgres())('PostgresStore group commit: the plain statement', () => {
  const schema = useTestSchema();

  it('stores a batch without replies or mentions with the plain statement, as the full statement stores it', async () => {
    const pool = schema.pool();
    const store = new PostgresStore({ pool });
    await store.init();
    const [plain, full, other] = [freshRoomId('gcp'), freshRoomId('gcp'), freshRoomId('gcp')];
    for (const id of [plain, full, other]) {
      await store.createRoom({ id });
      await store.addMembers(id, [u, v]);
    }
    const sent: string[] = [];
    const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- pool.query's overloads include the callback form; group commit calls the promise form only
    vi.spyOn(pool, 'query').mockImplementation((config: unknown, ...rest: unknown[]) => {
      const text = (config as pg.QueryConfig).text;
      if (text === APPEND_BATCH_SQL) sent.push('full');
      if (text === APPEND_PLAIN_BATCH_SQL) sent.push('plain');
      return query(config, ...rest);
    });
    const alone = await Promise.all(drafts(plain).map((d) => store.appendMessage(d)));
    // The same rows beside one with a mention (in another room): the batch goes as the full statement.
    const [mention, ...beside] = await Promise.all([
      store.appendMessage({ roomId: other, clientId: 'm', user: u, text: '@v', attachments: [], mentions: ['v'] }),
      ...drafts(full).map((d) => store.appendMessage(d)),
    ]);
    expect(sent).toEqual(['plain', 'full']);
    expect(mention.message.mentions).toEqual(['v']);

    expect(alone.map((r) => [comparable(r.message), r.duplicate])).toEqual(beside.map((r) => [comparable(r.message), r.duplicate]));
    expect(alone.map((r) => r.duplicate)).toEqual([false, false, false, true]);
    expect(alone[3]!.message.id).toBe(alone[0]!.message.id);
    const read = async (roomId: string) => ({
      messages: (await store.listMessages(roomId, { limit: 10 })).messages.map(comparable),
      marks: (await store.listMembers(roomId)).map((m) => [m.user.id, m.readSeq]),
      room: (
        await pool.query<{ last_seq: string; last_rev: string; last: Record<string, unknown> }>(
          'SELECT last_seq, last_rev, last_message AS last FROM chat_rooms WHERE id = $1',
          [roomId],
        )
      ).rows.map(({ last, ...row }) => ({ ...row, last: { ...last, id: undefined, room_id: undefined, created_at: undefined } })),
    });
    const stored = await read(plain);
    expect(stored).toEqual(await read(full));
    expect(stored.marks.sort()).toEqual([
      ['u', 3],
      ['v', 2],
    ]);
    expect(stored.room[0]).toMatchObject({ last_seq: '3', last_rev: '0', last: { seq: 3, client_id: 'c', text: 'third' } });
  });
});
