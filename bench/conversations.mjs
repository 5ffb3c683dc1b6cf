// A user's conversations with exact unread and mention counts: one user member of 500 rooms,
// 1,000,000 messages in PostgreSQL over 2,000 rooms, `conversations(userId, { limit: 500 })`
// through PostgresStore, side by side with its SQL alone. Seeds its own schema once
// (chat_bench_conversations, with generate_series) and keeps it. With `rooms: 10_000`
// (`conversations-10k`): the same 1,000,000 messages over 10,000 rooms of 100, in a schema of its
// own: the user's 500 rooms are then one in 20 of chat_rooms.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { PostgresStore } from '@chat/server/postgres';

const SCHEMAS = { 2000: 'chat_bench_conversations', 10000: 'chat_bench_conversations_10k' };
const USER = 'bench-user';
const MY_ROOMS = 500;
const OTHERS_PER_ROOM = 9;
const OTHER_USERS = 1000;

export async function conversationsScenario({ quick, log, rooms: full = 2_000 }) {
  const base = process.env.DATABASE_URL;
  if (!base) {
    log('skipped: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run it');
    return { skipped: true };
  }
  const rooms = quick ? full / 2 : full;
  const perRoom = (quick ? 50_000 : 1_000_000) / rooms;
  const SCHEMA = SCHEMAS[full];
  const total = rooms * perRoom;
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
    const { rows } = await pool.query('SELECT count(*)::int AS rooms, coalesce(sum(last_seq), 0)::bigint AS messages FROM chat_rooms');
    if (rows[0].rooms !== rooms || Number(rows[0].messages) !== total) {
      log(`seeding ${rooms.toLocaleString('en')} rooms, ${total.toLocaleString('en')} messages (once; kept in schema ${SCHEMA})`);
      await seed(pool, { rooms, perRoom, log });
    }
    // Every other room of the bench user is a direct room: its members come with it (one more
    // query). Idempotent, so a schema seeded before this line gets it too.
    await pool.query(
      `UPDATE chat_rooms SET options = '{"direct": true, "private": true}'::jsonb
       WHERE id IN (SELECT 'r' || lpad(r::text, 5, '0') FROM generate_series(2, $1::int, 2) AS r) AND NOT options ? 'direct'`,
      [MY_ROOMS],
    );
    const exact = await checkCounts(store, pool);
    log(`counts checked against a scan of the messages: ${exact ? 'exact' : 'WRONG'}`);

    // The store's queries, captured as they are sent: the first (the conversations) is timed
    // without the store around it; the second reads the direct rooms' members.
    const sent = [];
    const query = pool.query.bind(pool);
    pool.query = (text, values) => {
      sent.push({ text, values });
      return query(text, values);
    };
    const first = await store.conversations(USER, { limit: 500 });
    pool.query = query;
    const sql = sent[0];
    const explain = async (q) => (await pool.query(`EXPLAIN ${q.text}`, q.values)).rows.map((r) => r['QUERY PLAN']).join('\n');
    const plan = await explain(sql);
    const membersPlan = sent[1] ? await explain(sent[1]) : '';
    // chat_members is small here (20,000 rows): a hash of all of it may well be the planner's best choice.
    const scansMessages = /Seq Scan on chat_(messages|mentions)/u.test(plan + membersPlan);
    const direct = first.filter((row) => row.members).length;
    log(
      `${direct} direct rooms with their members (${first.reduce((n, row) => n + (row.members?.length ?? 0), 0)} in all), ${sent.length} queries`,
    );
    log(
      `${first.length} conversations; plan ${scansMessages ? 'SCANS messages or mentions' : 'uses indexes only (no scan of messages or mentions)'}`,
    );

    const queries = quick ? 50 : 300;
    const time = async (fn) => {
      const out = [];
      for (let i = 0; i < queries; i++) {
        const t = performance.now();
        await fn();
        out.push(performance.now() - t);
      }
      return out.sort((a, b) => a - b);
    };
    await time(() => store.conversations(USER, { limit: 500 })); // warm the cache
    const chat = await time(() => store.conversations(USER, { limit: 500 }));
    const raw = await time(() => pool.query(sql.text, sql.values));
    const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))];
    const result = {
      messages: total,
      rooms,
      conversations: first.length,
      queries,
      exact,
      scansMessages,
      p50: pct(chat, 0.5),
      p99: pct(chat, 0.99),
      rawP50: pct(raw, 0.5),
      rawP99: pct(raw, 0.99),
    };
    result.pass = exact && !scansMessages && first.length === MY_ROOMS && result.p99 < 20;
    log(
      `p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms (SQL alone: p50 ${result.rawP50.toFixed(2)}, p99 ${result.rawP99.toFixed(2)} ms)`,
    );
    return result;
  } finally {
    await pool.end();
  }
}

/**
 * Rooms r00001..: the first 500 are the bench user's (with 9 other members each), the rest have
 * 10 other members. Every 20th message mentions the room's first member (the bench user in
 * theirs), every 20th + 10 another user. The bench user's read marks lag by 0-59 messages, and
 * every tenth of their rooms was never read. Room activity differs per room (older rooms first).
 */
async function seed(pool, { rooms, perRoom, log }) {
  const client = await pool.connect();
  try {
    // One transaction: a failed seed leaves nothing half made, and now() is one time throughout.
    await client.query('BEGIN');
    await client.query('SET LOCAL synchronous_commit = off');
    await client.query('TRUNCATE chat_mentions, chat_members, chat_users, chat_reactions, chat_messages, chat_rooms CASCADE');
    await client.query(
      `INSERT INTO chat_users (id, name) SELECT 'u' || i, 'User ' || i FROM generate_series(0, $1::int - 1) AS i
       UNION ALL SELECT $2::text, 'Bench User'`,
      [OTHER_USERS, USER],
    );
    // created_at: room r's messages are an hour apart per room index, a second apart per seq.
    await client.query(
      `INSERT INTO chat_rooms (id, title, created_at, last_seq, last_message_at)
       SELECT 'r' || lpad(r::text, 5, '0'), 'Room ' || r, now() - interval '400 days', $2::int,
              now() - make_interval(hours => $1::int - r)
       FROM generate_series(1, $1::int) AS r`,
      [rooms, perRoom],
    );
    const chunk = Math.max(1, Math.floor(250_000 / perRoom));
    for (let from = 1; from <= rooms; from += chunk) {
      const to = Math.min(rooms, from + chunk - 1);
      await client.query(
        `INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, text, attachments, created_at, mentions)
         SELECT gen_random_uuid()::text, 'r' || lpad(r::text, 5, '0'), s, 'seed-' || s, 'u' || ((r + s) % $4::int), 'User ' || ((r + s) % $4::int),
                'Message ' || s || ' of room ' || r, '[]'::jsonb,
                now() - make_interval(hours => $3::int - r, secs => $5::int - s),
                CASE WHEN s % 20 = 0 THEN jsonb_build_array(CASE WHEN r <= $6::int THEN $7::text ELSE 'u' || (r % $4::int) END)
                     WHEN s % 20 = 10 THEN jsonb_build_array('u' || ((r + 1) % $4::int)) END
         FROM generate_series($1::int, $2::int) AS r, generate_series(1, $5::int) AS s`,
        [from, to, rooms, OTHER_USERS, perRoom, MY_ROOMS, USER],
      );
      log(`  ${(to * perRoom).toLocaleString('en')}`);
    }
    await client.query(
      `INSERT INTO chat_mentions (room_id, user_id, seq)
       SELECT m.room_id, u, m.seq FROM chat_messages m, jsonb_array_elements_text(m.mentions) AS u WHERE m.mentions IS NOT NULL`,
    );
    // The copy of each room's last message that appendMessage keeps on the room (as migration 5 fills it).
    const iso = (c) => `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    await client.query(
      `UPDATE chat_rooms r SET last_message = (
         SELECT json_build_object('id', m.id, 'room_id', m.room_id, 'seq', m.seq, 'client_id', m.client_id, 'user_id', m.user_id,
           'user_name', m.user_name, 'user_avatar', m.user_avatar, 'text', m.text, 'attachments', m.attachments, 'reply_to', m.reply_to,
           'created_at', ${iso('m.created_at')}, 'rev', m.rev, 'edited_at', ${iso('m.edited_at')}, 'deleted_at', ${iso('m.deleted_at')},
           'mentions', m.mentions, 'reactions', m.reactions)
         FROM chat_messages m WHERE m.room_id = r.id AND m.seq = r.last_seq)`,
    );
    await client.query(
      `INSERT INTO chat_members (room_id, user_id, added_at, read_seq)
       SELECT 'r' || lpad(r::text, 5, '0'), $3::text, now() - interval '400 days', CASE WHEN r % 10 = 0 THEN 0 ELSE greatest(0, $2::int - r % 60) END
       FROM generate_series(1, $1::int) AS r`,
      [MY_ROOMS, perRoom, USER],
    );
    await client.query(
      `INSERT INTO chat_members (room_id, user_id, added_at, read_seq)
       SELECT 'r' || lpad(r::text, 5, '0'), 'u' || ((r * 7 + k) % $2::int), now() - interval '400 days', $3::int
       FROM generate_series(1, $1::int) AS r, generate_series(CASE WHEN r <= $4::int THEN 1 ELSE 0 END, $5::int) AS k
       ON CONFLICT DO NOTHING`,
      [rooms, OTHER_USERS, perRoom, MY_ROOMS, OTHERS_PER_ROOM],
    );
    await client.query('COMMIT');
    // As autovacuum leaves a table at rest: statistics, and the visibility map that lets
    // index-only scans (the mention counts) skip the table.
    await client.query('VACUUM (ANALYZE) chat_rooms, chat_members, chat_users, chat_mentions, chat_messages');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The store's counts against a count made by scanning the messages (once, not timed). */
async function checkCounts(store, pool) {
  const rows = await store.conversations(USER, { limit: 500 });
  const { rows: truth } = await pool.query(
    `SELECT m.room_id, r.last_seq - m.read_seq AS unread,
            (SELECT count(*) FROM chat_messages x WHERE x.room_id = m.room_id AND x.seq > m.read_seq AND x.mentions ? $1) AS mentions
     FROM chat_members m JOIN chat_rooms r ON r.id = m.room_id WHERE m.user_id = $1`,
    [USER],
  );
  const expected = new Map(truth.map((t) => [t.room_id, `${Number(t.unread)}/${Number(t.mentions)}`]));
  const ordered = rows.every((row, i) => i === 0 || rows[i - 1].lastMessage.createdAt >= row.lastMessage.createdAt);
  return (
    ordered &&
    rows.length === expected.size &&
    rows.every((row) => expected.get(row.room.id) === `${row.unread}/${row.mentions}` && row.lastMessage.seq === row.readSeq + row.unread)
  );
}
