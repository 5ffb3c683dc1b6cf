// Large tables (issue 29, 2): 10,000,000 messages over 10,000 rooms in PostgreSQL, through
// PostgresStore, each beside its SQL alone: history pages of 50 at random places of random rooms,
// a user's 500 conversations (with exact counts), catch-up after a long absence (a room's messages
// after a read mark 900 back, page by page, then its changes by rev), and search for that user.
// Seeds its own schema with generate_series (chat_bench_large); keeps it for the next run only with
// --keep-seed (and only while its schema version matches the store's), else drops it at the end.
import { performance } from 'node:perf_hooks';
import { PostgresStore } from '@chat/server/postgres';
import { benchPool, dropSeed, markSeeded, percentile, seedIsCurrent, timeEach, seeding, withoutIndexes } from './seeded-schema.mjs';

const SCHEMA = 'chat_bench_large';
const USER = 'bench-user';
const OTHER_USERS = 2000;
const OTHERS_PER_ROOM = 5;
const PAGE = 50;
/** The bench user is in every 20th room: 500 of 10,000. */
const MINE_EVERY = 20;
/** Catch-up: the user was away for this many messages of a room. */
const AWAY = 900;

export async function largeScenario({ quick, keepSeed, log }) {
  const base = process.env.DATABASE_URL;
  if (!base) {
    log('skipped: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run it');
    return { skipped: true };
  }
  const rooms = quick ? 1_000 : 10_000;
  const perRoom = 1_000;
  const total = rooms * perRoom;
  const pool = await benchPool(base, SCHEMA);
  const store = new PostgresStore({ pool });
  try {
    await store.init();
    const seed = { seconds: undefined, bytes: undefined };
    if (!(await seedIsCurrent(pool, { messages: total }))) {
      log(`seeding ${rooms.toLocaleString('en')} rooms, ${total.toLocaleString('en')} messages (schema ${SCHEMA})`);
      const t = performance.now();
      await seedLarge(pool, { rooms, perRoom, log });
      seed.seconds = (performance.now() - t) / 1000;
    } else log(`reusing the seed in schema ${SCHEMA} (same size, same schema version)`);
    const { rows: size } = await pool.query(
      `SELECT sum(pg_total_relation_size(c.oid))::bigint AS bytes, pg_total_relation_size('chat_messages')::bigint AS messages
       FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'`,
    );
    seed.bytes = Number(size[0].bytes);
    log(
      `${seed.seconds === undefined ? '' : `seeded in ${seed.seconds.toFixed(0)} s; `}disk ${(seed.bytes / 2 ** 30).toFixed(2)} GB (chat_messages with its indexes ${(Number(size[0].messages) / 2 ** 30).toFixed(2)} GB)`,
    );

    const queries = quick ? 50 : 300;
    const room = (i) => `r${String(1 + ((i * 7919) % rooms)).padStart(5, '0')}`;
    const seqAt = (i) => 51 + ((i * 104_729) % (perRoom - 50));
    const rowsOut = [];
    const measure = async (name, target, chatFn, sqlFn) => {
      await timeEach(Math.min(queries, 50), chatFn); // warm
      const chat = await timeEach(queries, chatFn);
      const sql = await timeEach(queries, sqlFn);
      const row = {
        name,
        target,
        p50: percentile(chat, 0.5),
        p99: percentile(chat, 0.99),
        rawP50: percentile(sql, 0.5),
        rawP99: percentile(sql, 0.99),
      };
      row.pass = target === undefined ? undefined : row.p99 < target;
      rowsOut.push(row);
      log(
        `${name}: p50 ${row.p50.toFixed(2)} / p99 ${row.p99.toFixed(2)} ms (SQL alone p50 ${row.rawP50.toFixed(2)} / p99 ${row.rawP99.toFixed(2)} ms)${target === undefined ? '' : `; target p99 < ${target} ms: ${row.pass ? 'met' : 'MISSED'}`}`,
      );
    };

    // History: a page of 50 before a random seq of a random room (one in ten: the newest page).
    const before = (i) => (i % 10 === 0 ? undefined : seqAt(i));
    await measure(
      'history page of 50',
      10,
      (i) => store.listMessages(room(i), { before: before(i), limit: PAGE }),
      (i) =>
        pool.query('SELECT * FROM chat_messages WHERE room_id = $1 AND ($2::bigint IS NULL OR seq < $2) ORDER BY seq DESC LIMIT 51', [
          room(i),
          before(i) ?? null,
        ]),
    );

    // Conversations of the user in 500 rooms, with the SQL the store sends (captured once).
    const sent = [];
    const query = pool.query.bind(pool);
    pool.query = (text, values) => {
      sent.push({ text, values });
      return query(text, values);
    };
    const list = await store.conversations(USER, { limit: 500 });
    pool.query = query;
    const exact = await countsExact(pool, list);
    log(`${list.length} conversations; counts checked against a scan of the messages: ${exact ? 'exact' : 'WRONG'}`);
    await measure(
      'conversations (500 rooms)',
      20,
      () => store.conversations(USER, { limit: 500 }),
      () => pool.query(sent[0].text, sent[0].values),
    );

    // Catch-up after a long absence: every message of a room after a read mark AWAY back, in pages
    // of 50 (as the SDK's re-join pages forward), then the changes among them by rev.
    const mine = list.map((c) => c.room.id);
    const since = perRoom - AWAY;
    const catchUp = async (i, read) => {
      const roomId = mine[i % mine.length];
      let after = since;
      for (;;) {
        const page = await read.page(roomId, after);
        if (page.length === 0 || page.length < PAGE) break;
        after = page.at(-1).seq;
      }
      await read.changes(roomId);
    };
    await measure(
      `catch-up of a room after ${AWAY} messages away (${AWAY / PAGE} pages of ${PAGE}, then changes)`,
      undefined,
      (i) =>
        catchUp(i, {
          page: async (roomId, after) => (await store.listMessages(roomId, { after, limit: PAGE })).messages,
          changes: (roomId) => store.listMessages(roomId, { changedAfter: 0, minSeq: since + 1, maxSeq: perRoom, limit: 100 }),
        }),
      (i) =>
        catchUp(i, {
          page: async (roomId, after) =>
            (await pool.query('SELECT seq FROM chat_messages WHERE room_id = $1 AND seq > $2 ORDER BY seq LIMIT 51', [roomId, after])).rows
              .map((r) => ({ seq: Number(r.seq) }))
              .slice(0, PAGE),
          changes: (roomId) =>
            pool.query('SELECT * FROM chat_messages WHERE room_id = $1 AND rev > 0 AND seq BETWEEN $2 AND $3 ORDER BY rev LIMIT 101', [
              roomId,
              since + 1,
              perRoom,
            ]),
        }),
    );

    // Search for the user in their 500 rooms (the store alone: search-1m times it through the server).
    for (const word of ['status', 'zebra']) {
      await measure(
        `search "${word}" in 500 rooms`,
        50,
        () => store.searchMessages({ roomIds: mine, query: word, limit: 20 }),
        () => store.searchMessages({ roomIds: mine, query: word, limit: 20 }),
      );
    }
    const history = rowsOut[0];
    return {
      messages: total,
      rooms,
      seedSeconds: seed.seconds,
      diskBytes: seed.bytes,
      exact,
      rows: rowsOut,
      p50: history.p50,
      p99: history.p99,
      rawP50: history.rawP50,
      rawP99: history.rawP99,
      pass: exact && rowsOut.every((r) => r.pass !== false),
    };
  } finally {
    if (!keepSeed) {
      await dropSeed(pool, SCHEMA);
      log(`dropped schema ${SCHEMA} (keep it for the next run with --keep-seed)`);
    }
    await pool.end();
  }
}

/** The store's unread and mention counts against a scan of the messages (once, not timed). */
async function countsExact(pool, list) {
  const { rows } = await pool.query(
    `SELECT m.room_id, r.last_seq - m.read_seq AS unread,
            (SELECT count(*) FROM chat_messages x WHERE x.room_id = m.room_id AND x.seq > m.read_seq AND x.mentions ? $1) AS mentions
     FROM chat_members m JOIN chat_rooms r ON r.id = m.room_id WHERE m.user_id = $1`,
    [USER],
  );
  const truth = new Map(rows.map((t) => [t.room_id, `${Number(t.unread)}/${Number(t.mentions)}`]));
  return list.length === truth.size && list.every((c) => truth.get(c.room.id) === `${c.unread}/${c.mentions}`);
}

/**
 * Rooms r00001..r10000 of 1,000 messages each, interleaved in time (message i of the whole seed is
 * i seconds after the first). The bench user is in every 20th room (read marks 0-99 behind, one
 * room in ten never read), five other users in each room. Every 50th message mentions the room's
 * first member, every 100th was edited (rev > 0), one in 200 is deleted; every second has the
 * word "status", one in 10,000 "zebra".
 */
async function seedLarge(pool, { rooms, perRoom, log }) {
  await seeding(pool, async (client) => {
    const id = (r) => `'r' || lpad(${r}::text, 5, '0')`;
    await client.query('TRUNCATE chat_mentions, chat_members, chat_users, chat_reactions, chat_messages, chat_rooms CASCADE');
    await client.query(
      `INSERT INTO chat_users (id, name) SELECT 'u' || i, 'User ' || i FROM generate_series(0, $1::int - 1) AS i
       UNION ALL SELECT $2::text, 'Bench User'`,
      [OTHER_USERS, USER],
    );
    const total = rooms * perRoom;
    await client.query(
      `INSERT INTO chat_rooms (id, title, created_at, last_seq, last_rev, last_message_at)
       SELECT ${id('r')}, 'Room ' || r, now() - make_interval(secs => $3::int + 3600), $2::int, $2::int / 100,
              now() - make_interval(secs => $1::int - r)
       FROM generate_series(1, $1::int) AS r`,
      [rooms, perRoom, total],
    );
    const chunk = 200; // rooms per statement: 200,000 rows
    const start = new Date().toISOString(); // one time for every statement: message i is i seconds after the first
    await withoutIndexes(client, 'chat_messages', async () => {
      for (let from = 1; from <= rooms; from += chunk) {
        const to = Math.min(rooms, from + chunk - 1);
        await client.query(
          `INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, text, attachments, created_at, rev, edited_at, deleted_at, mentions)
           SELECT gen_random_uuid()::text, ${id('r')}, s, 'seed-' || s, 'u' || ((r * 7 + s % ${OTHERS_PER_ROOM}) % $4::int), 'User',
                  CASE WHEN i % 200 = 199 THEN '' ELSE concat_ws(' ', 'Message', s, 'of room', r,
                    CASE WHEN i % 2 = 0 THEN 'status' END, CASE WHEN i % 10000 = 4321 THEN 'zebra' END) END,
                  '[]'::jsonb, $8::timestamptz - make_interval(secs => $5::int - i),
                  CASE WHEN s % 100 = 0 THEN s / 100 ELSE 0 END, CASE WHEN s % 100 = 0 THEN now() END,
                  CASE WHEN i % 200 = 199 THEN now() END,
                  CASE WHEN s % 50 = 0 THEN jsonb_build_array(CASE WHEN r % ${MINE_EVERY} = 0 THEN $6::text ELSE 'u' || ((r * 7) % $4::int) END) END
           FROM generate_series($1::int, $2::int) AS r, generate_series(1, $3::int) AS s, LATERAL (SELECT (s - 1) * $7::int + r AS i) AS g`,
          [from, to, perRoom, OTHER_USERS, total, USER, rooms, start],
        );
        if ((to / chunk) % 10 === 0 || to === rooms) log(`  ${(to * perRoom).toLocaleString('en')} messages`);
      }
      log('  building the indexes');
    });
    await client.query(
      `INSERT INTO chat_mentions (room_id, user_id, seq)
       SELECT m.room_id, u, m.seq FROM chat_messages m, jsonb_array_elements_text(m.mentions) AS u WHERE m.mentions IS NOT NULL`,
    );
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
       SELECT ${id('r')}, $3::text, now() - interval '400 days', CASE WHEN r % 200 = 0 THEN 0 ELSE $2::int - r % 100 END
       FROM generate_series($4::int, $1::int, $4::int) AS r`,
      [rooms, perRoom, USER, MINE_EVERY],
    );
    await client.query(
      `INSERT INTO chat_members (room_id, user_id, added_at, read_seq)
       SELECT ${id('r')}, 'u' || ((r * 7 + k) % $2::int), now() - interval '400 days', $3::int
       FROM generate_series(1, $1::int) AS r, generate_series(0, $4::int - 1) AS k
       ON CONFLICT DO NOTHING`,
      [rooms, OTHER_USERS, perRoom, OTHERS_PER_ROOM],
    );
    log('  vacuum and analyze');
    await client.query('VACUUM (ANALYZE) chat_rooms, chat_members, chat_users, chat_mentions, chat_messages');
    await markSeeded(client, { messages: total });
  });
}
