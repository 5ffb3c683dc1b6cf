// History pages of 50 from a room of 1,000,000 messages in PostgreSQL, through PostgresStore,
// side by side with the bare SQL query; with `thread`, pages of a thread of 10,000 replies (issue
// 27: like the room's, p99 under 10 ms). Seeds its own schema once (chat_bench) and keeps it.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { PostgresStore } from '@chat/server/postgres';

const SCHEMA = 'chat_bench';

export async function historyScenario({ quick, log, thread = false }) {
  const base = process.env.DATABASE_URL;
  if (!base) {
    log('skipped: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run it');
    return { skipped: true };
  }
  const size = thread ? (quick ? 2_000 : 10_000) : quick ? 20_000 : 1_000_000;
  const roomId = thread ? `thread-${size}` : `big-${size}`;
  // In a thread room: seq 1 is the parent, seqs 2..size+1 its replies.
  const last = thread ? size + 1 : size;
  const parentId = `${roomId}-parent`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
  await admin.end();
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${SCHEMA}`);
  const pool = new pg.Pool({ connectionString: url.href, max: 4 });
  const store = new PostgresStore({ pool });
  try {
    await store.init();
    await store.createRoom({ id: roomId });
    const { rows } = await pool.query('SELECT last_seq FROM chat_rooms WHERE id = $1', [roomId]);
    let have = Number(rows[0].last_seq);
    if (have < last) {
      log(`seeding ${size.toLocaleString('en')} messages (once; kept in schema ${SCHEMA})`);
      const chunk = 250_000;
      while (have < last) {
        const to = Math.min(last, have + chunk);
        await pool.query(
          `INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, text, attachments, created_at)
           SELECT CASE WHEN $4::text IS NOT NULL AND s = 1 THEN $4 ELSE gen_random_uuid()::text END, $1, s, 'seed-' || s,
                  'u' || (s % 50), 'User ' || (s % 50), 'Message number ' || s, '[]'::jsonb, now() - make_interval(secs => $3 - s)
           FROM generate_series($2::bigint, $3::bigint) AS s`,
          [roomId, have + 1, to, thread ? parentId : null],
        );
        if (thread) {
          await pool.query(
            `INSERT INTO chat_thread_replies (room_id, seq, thread_of, user_id, also_in_room)
             SELECT $1, s, $4, 'u' || (s % 50), false FROM generate_series(GREATEST($2::bigint, 2), $3::bigint) AS s`,
            [roomId, have + 1, to, parentId],
          );
        }
        await pool.query('UPDATE chat_rooms SET last_seq = $2 WHERE id = $1', [roomId, to]);
        have = to;
        log(`  ${have.toLocaleString('en')}`);
      }
      if (thread) {
        await pool.query(
          `INSERT INTO chat_threads (room_id, parent_id, summary) VALUES ($1, $2, jsonb_build_object('replyCount', $3::int,
             'lastReplyAt', now(), 'participants', '[]'::jsonb)) ON CONFLICT DO NOTHING`,
          [roomId, parentId, size],
        );
      }
      await pool.query('ANALYZE chat_messages');
      if (thread) await pool.query('ANALYZE chat_thread_replies');
    }
    const queries = quick ? 100 : 500;
    const first = thread ? 2 : 1;
    const positions = Array.from({ length: queries }, (_, i) =>
      i % 10 === 0 ? undefined : first + 50 + Math.floor(Math.random() * (last - first - 49)),
    );
    const time = async (fn) => {
      const out = [];
      for (const before of positions) {
        const t = performance.now();
        await fn(before);
        out.push(performance.now() - t);
      }
      return out.sort((a, b) => a - b);
    };
    const page = (before) => store.listMessages(roomId, { before, limit: 50, ...(thread && { threadOf: parentId }) });
    await time(page); // warm the cache
    const chat = await time(page);
    const raw = await time((before) =>
      thread
        ? pool.query(
            `SELECT m.* FROM chat_thread_replies t JOIN chat_messages m ON m.room_id = t.room_id AND m.seq = t.seq
             WHERE t.room_id = $1 AND t.thread_of = $3 AND ($2::bigint IS NULL OR t.seq < $2) ORDER BY t.seq DESC LIMIT 51`,
            [roomId, before ?? null, parentId],
          )
        : pool.query('SELECT * FROM chat_messages WHERE room_id = $1 AND ($2::bigint IS NULL OR seq < $2) ORDER BY seq DESC LIMIT 51', [
            roomId,
            before ?? null,
          ]),
    );
    const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))];
    const result = { messages: size, queries, p50: pct(chat, 0.5), p99: pct(chat, 0.99), rawP50: pct(raw, 0.5), rawP99: pct(raw, 0.99) };
    result.pass = result.p99 < 10;
    log(
      `p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms (SQL alone: p50 ${result.rawP50.toFixed(2)}, p99 ${result.rawP99.toFixed(2)} ms)`,
    );
    return result;
  } finally {
    await pool.end();
  }
}
