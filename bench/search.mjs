// Message search for one user in 500 rooms over 1,000,000 messages in PostgreSQL (issue 27):
// `message:search` through a real chat server and socket.io-client, side by side with the store's
// search alone, for a common word (every second message), a middling one (1 in 100) and a rare
// one (1 in 10,000), and the second page of the common word. Seeds its own schema with
// generate_series (chat_bench_search); keeps it for the next run only with --keep-seed (and only
// while its schema version matches the store's), else drops it at the end.
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { io } from 'socket.io-client';
import { createChatServer } from '@chat/server';
import { PostgresStore } from '@chat/server/postgres';
import { benchPool, dropSeed, markSeeded, percentile, seedIsCurrent, timeEach, seeding, withoutIndexes } from './seeded-schema.mjs';

const SCHEMA = 'chat_bench_search';
const USER = 'bench-user';
/** Words and how often they occur, by the message's global index i (1 ... total). */
const SEARCH_WORDS = [
  { word: 'status', every: 2, label: 'common (1 in 2)' },
  { word: 'deploy', every: 100, label: 'middling (1 in 100)' },
  { word: 'zebra', every: 10_000, label: 'rare (1 in 10,000)' },
];
const FILLER = `alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa
quebec romeo sierra tango uniform victor whiskey xray yankee zulu apple berry cherry date elder fig grape
lemon mango nut olive peach quince rasp straw tomato`.split(/\s+/u);

export async function searchScenario({ quick, keepSeed, log }) {
  const base = process.env.DATABASE_URL;
  if (!base) {
    log('skipped: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run it');
    return { skipped: true };
  }
  const rooms = quick ? 50 : 500;
  const perRoom = quick ? 400 : 2000;
  const total = rooms * perRoom;
  const pool = await benchPool(base, SCHEMA);
  const store = new PostgresStore({ pool });
  let http;
  let chat;
  let socket;
  try {
    await store.init();
    const seeded = await seedIsCurrent(pool, { messages: total });
    if (!seeded) {
      log(`seeding ${rooms} rooms, ${total.toLocaleString('en')} messages (schema ${SCHEMA})`);
      const t = performance.now();
      await seed(pool, { rooms, perRoom });
      log(`  seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    } else log(`reusing the seed in schema ${SCHEMA} (${total.toLocaleString('en')} messages, same schema version)`);

    http = createServer();
    chat = createChatServer(http, {
      store,
      authenticate: () => ({ id: USER, name: 'Bench User' }),
      limits: { eventBurst: 1e9, eventsPerSecond: 1e9, readBytesBurst: 1e12, readBytesPerSecond: 1e12 },
    });
    await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${http.address().port}`;
    socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
    await new Promise((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const search = async (payload) => {
      const ack = await socket.emitWithAck('message:search', payload);
      if (!ack.ok) throw new Error(`message:search failed: ${ack.error?.code} ${ack.error?.message}`);
      return ack.data;
    };
    const roomIds = (await store.conversations(USER, { limit: 500 })).map((c) => c.room.id);
    if (roomIds.length !== rooms) throw new Error(`the bench user is in ${roomIds.length} rooms, not ${rooms}`);

    const queries = quick ? 40 : 200;
    const rows = [];
    for (const { word, every, label } of SEARCH_WORDS) {
      const first = await search({ query: word, limit: 20 });
      const exact = await checkFirstPage(pool, word, roomIds, first);
      const cursor = first.next;
      const chatTimes = await timeEach(queries, () => search({ query: word, limit: 20 }));
      const sqlTimes = await timeEach(queries, () => store.searchMessages({ roomIds, query: word, limit: 20 }));
      const row = { word, label, matches: Math.floor(total / every), exact, ...stats(chatTimes, sqlTimes) };
      rows.push(row);
      log(`${line(row)}${exact ? '' : ' — RESULTS WRONG'}`);
      if (every === 2 && cursor) {
        const pageTimes = await timeEach(queries, () => search({ query: word, limit: 20, before: cursor }));
        const sqlPage = await timeEach(queries, () => store.searchMessages({ roomIds, query: word, limit: 20, before: cursor }));
        const page = { word, label: `${label}, page 2`, matches: row.matches, exact, ...stats(pageTimes, sqlPage) };
        rows.push(page);
        log(line(page));
      }
    }
    const worst = rows.reduce((a, b) => (b.p99 > a.p99 ? b : a));
    const result = {
      messages: total,
      rooms,
      queries,
      rows,
      p50: worst.p50,
      p99: worst.p99,
      rawP50: worst.rawP50,
      rawP99: worst.rawP99,
      worst: worst.label,
      exact: rows.every((r) => r.exact),
    };
    result.pass = result.exact && rows.every((r) => r.p99 < 50);
    return result;
  } finally {
    socket?.disconnect();
    await chat?.close();
    // The chat server leaves the host's HTTP server open: closed here, or the bench never exits.
    if (http?.listening) await new Promise((resolve) => http.close(resolve));
    if (!keepSeed) {
      await dropSeed(pool, SCHEMA);
      log(`dropped schema ${SCHEMA} (keep it for the next run with --keep-seed)`);
    }
    await pool.end();
  }
}

const stats = (chat, sql) => ({
  p50: percentile(chat, 0.5),
  p99: percentile(chat, 0.99),
  rawP50: percentile(sql, 0.5),
  rawP99: percentile(sql, 0.99),
});
const line = (r) =>
  `${r.word} ${r.label}, ${r.matches.toLocaleString('en')} matches: p50 ${r.p50.toFixed(2)} / p99 ${r.p99.toFixed(2)} ms through the server (store alone p50 ${r.rawP50.toFixed(2)} / p99 ${r.rawP99.toFixed(2)} ms)`;

/** The first page against every match read and sorted by SQL with no limit (once, not timed). */
async function checkFirstPage(pool, word, roomIds, page) {
  const { rows } = await pool.query(
    `SELECT id FROM chat_messages WHERE room_id = ANY($2::text[]) AND deleted_at IS NULL AND position($1 in text) > 0
     ORDER BY date_trunc('milliseconds', created_at) DESC, room_id COLLATE "C" DESC, seq DESC LIMIT $3`,
    [word, roomIds, page.results.length],
  );
  return page.results.length === 20 && rows.every((row, i) => row.id === page.results[i].message.id);
}

/**
 * 500 rooms of 2,000 messages for one user, the rooms' messages interleaved in time (message i of
 * the whole seed is i seconds after the first). One message in 200 is deleted (empty text, as the
 * store leaves a deleted one).
 */
async function seed(pool, { rooms, perRoom }) {
  await seeding(pool, async (client) => {
    await client.query('TRUNCATE chat_mentions, chat_members, chat_users, chat_reactions, chat_messages, chat_rooms CASCADE');
    await client.query(`INSERT INTO chat_users (id, name) VALUES ($1, 'Bench User')`, [USER]);
    const total = rooms * perRoom;
    await client.query(
      `INSERT INTO chat_rooms (id, title, created_at, last_seq, last_message_at)
       SELECT 'r' || lpad(r::text, 4, '0'), 'Room ' || r, now() - make_interval(secs => $3::int + 3600), $2::int,
              now() - make_interval(secs => $1::int - r)
       FROM generate_series(1, $1::int) AS r`,
      [rooms, perRoom, total],
    );
    await client.query(
      `INSERT INTO chat_members (room_id, user_id, added_at, read_seq)
       SELECT 'r' || lpad(r::text, 4, '0'), $2::text, now() - make_interval(secs => $3::int + 3600), 0 FROM generate_series(1, $1::int) AS r`,
      [rooms, USER, total],
    );
    const [common, middling, rare] = SEARCH_WORDS;
    await withoutIndexes(client, 'chat_messages', () =>
      client.query(
        `INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, text, attachments, created_at, deleted_at)
       SELECT gen_random_uuid()::text, 'r' || lpad(r::text, 4, '0'), s, 'seed-' || s, $4::text, 'Bench User',
              CASE WHEN i % 200 = 199 THEN '' ELSE concat_ws(' ', 'Message', i, ($5::text[])[1 + i % 40], ($5::text[])[1 + (i * 7) % 41],
                CASE WHEN i % $6::int = 0 THEN $7::text END, CASE WHEN i % $8::int = 7 THEN $9::text END,
                CASE WHEN i % $10::int = 4321 THEN $11::text END) END,
              '[]'::jsonb, now() - make_interval(secs => $3::int - i), CASE WHEN i % 200 = 199 THEN now() END
       FROM generate_series(1, $2::int) AS s, generate_series(1, $1::int) AS r, LATERAL (SELECT (s - 1) * $1::int + r AS i) AS g`,
        [rooms, perRoom, total, USER, FILLER, common.every, common.word, middling.every, middling.word, rare.every, rare.word],
      ),
    );
    await client.query('VACUUM (ANALYZE) chat_rooms, chat_members, chat_users, chat_messages');
    await markSeeded(client, { messages: total });
  });
}
