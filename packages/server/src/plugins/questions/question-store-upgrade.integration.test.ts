// QuestionStore's PostgreSQL part upgrades a database made by its first migration in place: the
// questions and upvotes kept, the table of questions waiting for approval added beside them.
import { describe, expect, it } from 'vitest';
import { PostgresParts } from '../../store/postgres/plugin-parts.js';
import { rowsOf, skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';
import { QUESTION_STORE } from './question-store-part.js';
import type { QuestionStore } from './question-store.js';

describe.skipIf(skipWithoutPostgres())('QuestionStore migration 2 (questions waiting for approval) upgrades a database in place', () => {
  const schema = useTestSchema();

  it('takes a database made by migration 1, with questions and upvotes, to version 2: every row intact, and questions can wait', async () => {
    const pool = schema.pool();
    const first = { ...QUESTION_STORE, migrations: QUESTION_STORE.migrations?.filter((m) => m.version === 1) };
    const old = new PostgresParts(pool).part(first) as QuestionStore;
    await old.create({
      roomId: 'town',
      messageId: 'm1',
      seq: 1,
      askedBy: 'ana',
      askedAt: '2026-01-01T00:00:00.000Z',
      answered: false,
      hidden: false,
    });
    expect(await old.upvote({ roomId: 'town', messageId: 'm1', userId: 'ben', upvotedAt: '2026-01-01T00:01:00.000Z' })).toBe('upvoted');
    const tables = ['chat_questions', 'chat_question_upvotes'];
    const before = await rowsOf(pool, tables);

    const store = new PostgresParts(schema.pool()).part(QUESTION_STORE) as QuestionStore;
    expect(await store.get('m1')).toMatchObject({ roomId: 'town', askedBy: 'ana', upvotes: 1 });
    expect(await rowsOf(pool, tables, before)).toEqual(before);
    const { rows } = await pool.query<{ version: number }>(
      "SELECT version FROM chat_plugin_migrations WHERE part = 'QuestionStore' ORDER BY version",
    );
    expect(rows.map((r) => r.version)).toEqual([1, 2]);

    const waiting = {
      id: 'p1',
      roomId: 'town',
      user: { id: 'eva', name: 'Eva' },
      clientId: 'c1',
      text: 'Slides?',
      askedAt: '2026-01-02T00:00:00.000Z',
    };
    expect(await store.addPending(waiting)).toEqual(waiting);
    expect(await store.pendingCount('town')).toBe(1);
    expect(await store.myUpvotes('town', 'ben', 10)).toEqual(['m1']);
  });
});
