// Where PostgreSQL's CPU per stored message goes in group commit's batch statement (issue 29).
//
// Store only, no sockets: 100 rooms of 10 members, batches of 10 appends in 10 rooms (as
// `latency-pg-2000` makes them: 8 to 14 words each), one batch after another on one connection.
// The CPU is the backend's own (utime + stime from /proc, so PostgreSQL must run on this
// machine): robust to other load, unlike latency. Each variant takes one part away (an index,
// a part of the statement, the foreign key, the commit's flush) and is run interleaved with the
// others, several rounds; a part's cost is the baseline's CPU minus the variant's.
//
//   node bench/pg-append-cost.mjs [rounds=4] [batches per round=400] [only=variant,variant]
//
// The `store` variant is the real path (PostgresStore.appendMessage, its group commit on the
// same single connection); the others run the statement the store sent, as it is or changed.
// WAL bytes per message: the WAL insert position before and after a round (the whole server's
// WAL: run it when nothing else writes).
// Uses the schema chat_bench_pgcost, dropped at the end.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { PostgresStore } from '@chat/server/postgres';
import { benchPool, dropSeed } from './seeded-schema.mjs';
import { cpuMsOf } from './pg-cpu.mjs';
import { SENTENCES } from './sentences.mjs';

const SCHEMA = 'chat_bench_pgcost';
const ROOMS = 100;
const MEMBERS = 10;
const ROWS = 10;
const rounds = Number(process.argv[2] ?? 4);
const batches = Number(process.argv[3] ?? 400);
const only = process.argv[4]?.split(',');
const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

// The pool: one connection, with what the store's own append pool sets (generic plans, no JIT).
const url = new URL(base);
url.searchParams.set('options', `-c search_path=${SCHEMA} -c plan_cache_mode=force_generic_plan -c jit=off`);
await dropSeed(await benchPool(base, SCHEMA, 1), SCHEMA);
const pool = await benchPool(url.href, SCHEMA, 1);
const store = new PostgresStore({ pool });
await store.init();
// The rows before migration 21, as the table in docs/performance.md measured them: the search index
// without a pending list, except in the variants that turn one on (`pending-list-cleaned-every-40`
// is what migration 21 and the store's merges do). The store's own merges (every 250 ms, on this
// one connection, so counted) then find nothing to do.
await pool.query('ALTER INDEX chat_messages_search SET (fastupdate = off)');

const room = (r) => `pgcost-room-${r}`;
const user = (r, m) => ({ id: `pgcost-user-${r}-${m}`, name: `User ${r}-${m}` });
for (let r = 0; r < ROOMS; r++) {
  await store.createRoom({ id: room(r) });
  await store.addMembers(
    room(r),
    Array.from({ length: MEMBERS }, (_, m) => user(r, m)),
  );
}

let n = 0;
/** The next batch's drafts: ROWS rooms in turn, a random member each, 8 to 14 words. */
function nextDrafts(rows = ROWS) {
  return Array.from({ length: rows }, () => {
    const r = n % ROOMS;
    const i = n++;
    return {
      roomId: room(r),
      clientId: `c-${i}`,
      user: user(r, i % MEMBERS),
      text: `t${i} ${SENTENCES[i % SENTENCES.length]} #${i}`,
      attachments: [],
    };
  });
}

// The statements the store sends, caught on their way: a batch with a mention goes as the full
// statement; one without, as the statement without the thread and mention parts (since issue 29's
// cut; before it, both are the full one).
const seen = [];
const query = pool.query.bind(pool);
pool.query = (config, ...rest) => {
  if (typeof config === 'object' && config.name?.startsWith('chat_append_batch_')) seen.push(config.text);
  return query(config, ...rest);
};
await Promise.all(nextDrafts().map((d, i) => store.appendMessage(i === 0 ? { ...d, mentions: [user(0, 1).id] } : d)));
const batchSql = seen.at(-1);
await Promise.all(nextDrafts().map((d) => store.appendMessage(d)));
const plainSql = seen.at(-1) === batchSql ? undefined : seen.at(-1);
if (!batchSql) throw new Error('No batch statement was seen.');

/** The statement's parameters for drafts, as append-batch-sql.ts's appendBatchParams makes them. */
function params(drafts) {
  const rows = drafts.map((d) => [
    d.roomId,
    d.clientId,
    randomUUID(),
    d.user.id,
    d.user.name,
    null,
    d.text,
    '[]',
    null,
    null,
    false,
    null,
    null,
    false,
    null,
  ]);
  return Array.from({ length: 15 }, (_, c) => rows.map((row) => row[c]));
}

// --- The statement's parts, taken away one at a time ---------------------------------------

/** Removes the CTE `name` (it must be referenced nowhere else). */
function dropCte(sql, name) {
  const start = sql.indexOf(`), ${name} AS (`);
  if (start < 0) throw new Error(`No CTE ${name}.`);
  const rest = sql.slice(start + 2);
  const next = rest.search(/\n {2}\), \w+ AS |\n {2}\)\n {2}SELECT/);
  return sql.slice(0, start) + rest.slice(next + 3);
}
function replaceOnce(sql, from, to) {
  if (!sql.includes(from)) throw new Error(`Not in the statement: ${from.slice(0, 60)}`);
  return sql.replace(from, to);
}
const NARROW = 'id, room_id, seq, client_id, user_id, created_at, mentions';
/** The answer as ids and seqs only (the store would need the rest: a measure, not a change). */
function narrow(sql) {
  const at = sql.indexOf('\n  )\n  SELECT') + 4;
  const s = sql.slice(0, at).replace(/RETURNING id, room_id, seq, client_id, user_id, user_name[^\n]*/, `RETURNING ${NARROW}`);
  return `${s}\n  SELECT id, room_id, seq, client_id, created_at FROM existing UNION ALL SELECT id, room_id, seq, client_id, created_at FROM born`;
}

async function indexDef(name) {
  const { rows } = await pool.query('SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = $2', [SCHEMA, name]);
  if (!rows[0]) throw new Error(`No index ${name}.`);
  return rows[0].indexdef;
}
const withoutIndex = async (name) => {
  const def = await indexDef(name);
  return { setup: [`DROP INDEX ${name}`], teardown: [def] };
};

const CLEAN = `SELECT gin_clean_pending_list('chat_messages_search'::regclass)`;
const VARIANTS = [
  { name: 'store', store: true },
  { name: 'statement' },
  ...(plainSql ? [{ name: 'plain-statement', sql: () => plainSql }] : []),
  { name: 'sync-commit-off', setup: ['SET synchronous_commit = off'], teardown: ['RESET synchronous_commit'] },
  { name: 'no-search-index', ...(await withoutIndex('chat_messages_search')) },
  { name: 'no-newest-index', ...(await withoutIndex('chat_messages_newest')) },
  { name: 'no-user-index', ...(await withoutIndex('chat_messages_user')) },
  { name: 'no-rev-index', ...(await withoutIndex('chat_messages_room_rev')) },
  {
    name: 'no-room-fkey',
    setup: ['ALTER TABLE chat_messages DROP CONSTRAINT chat_messages_room_id_fkey'],
    teardown: [
      'ALTER TABLE chat_messages ADD CONSTRAINT chat_messages_room_id_fkey FOREIGN KEY (room_id) REFERENCES chat_rooms (id) ON DELETE CASCADE NOT VALID',
    ],
  },
  { name: 'no-read-mark', sql: (s) => dropCte(s, 'marked') },
  { name: 'no-mentions', sql: (s) => dropCte(s, 'mentioned') },
  { name: 'no-thread-writes', sql: (s) => dropCte(dropCte(dropCte(s, 'replied'), 'joined'), 'thread_marked') },
  {
    name: 'no-last-message',
    sql: (s) =>
      s.replace(/, last_message_at = now\(\),\s*last_message = json_build_object\([\s\S]*?'thread', NULL\)/, ', last_message_at = now()'),
  },
  { name: 'narrow-answer', sql: narrow },
  { name: 'batches-of-5', rows: 5 },
  { name: 'batches-of-20', rows: 20 },
  ...[64, 256].map((kB) => ({
    name: `pending-list-${kB}kB`,
    ...pendingList(kB),
  })),
  ...(plainSql ? [{ name: 'plain-and-pending-list-64kB', sql: () => plainSql, ...pendingList(64) }] : []),
  // A pending list merged by someone else than the appends: a clean every 40 batches (400 messages,
  // 0.2 s at 2,000 a second), on this connection so that its CPU counts, outside the batches' times;
  // the list's limit (1 MB) is never reached between two cleans, so no append merges.
  ...[40].map((every) => ({ name: `pending-list-cleaned-every-${every}`, ...pendingList(1024), cleanEvery: every })),
  // The real path as migration 21 leaves it: the store's appends, with its own merges every 250 ms
  // (on this pool's one connection, so counted) into a 512 kB list.
  { name: 'store-as-migration-21', store: true, ...pendingList(512) },
].filter((v) => !only || only.includes(v.name) || v.name === 'statement');

/** The search index with a pending list of `kB`, for one round. */
function pendingList(kB) {
  return {
    setup: [`ALTER INDEX chat_messages_search SET (fastupdate = on, gin_pending_list_limit = ${kB})`],
    // What is left in the list at the end is merged inside the measured time: it is this variant's work.
    measuredEnd: [CLEAN],
    teardown: [
      'ALTER INDEX chat_messages_search SET (fastupdate = off)',
      'ALTER INDEX chat_messages_search RESET (gin_pending_list_limit)',
    ],
  };
}

const client = await pool.connect();
const { rows: pidRows } = await client.query('SELECT pg_backend_pid() AS pid');
const pid = pidRows[0].pid;
client.release();
if (cpuMsOf(pid) === undefined) throw new Error('PostgreSQL is not on this machine: its backend cannot be read from /proc.');
console.log(`# the backend: pid ${pid}`);

for (const v of VARIANTS) {
  const text = v.sql ? v.sql(batchSql) : batchSql;
  if (v.sql && text === batchSql) throw new Error(`${v.name}: the statement did not change.`);
  v.text = text;
  v.statement = `pgcost_${v.name.replace(/-/g, '_')}`;
  v.cpu = [];
  v.wal = [];
  v.ms = [];
}

async function runBatch(v) {
  const rows = v.rows ?? ROWS;
  const drafts = nextDrafts(rows);
  if (v.store) {
    await Promise.all(drafts.map((d) => store.appendMessage(d)));
    return;
  }
  const { rows: answer } = await pool.query({ name: v.statement, text: v.text, values: params(drafts) }).catch((error) => {
    throw new Error(`${v.name}: ${error.message}`);
  });
  if (answer.length !== rows) throw new Error(`${v.name}: ${answer.length} rows answered, not ${rows}.`);
}

const walLsn = async () => (await pool.query('SELECT pg_current_wal_insert_lsn() AS lsn')).rows[0].lsn;
const walSince = async (lsn) => Number((await pool.query('SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1) AS d', [lsn])).rows[0].d);

console.log(
  `# ${new Date().toISOString()} load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; ${rounds} rounds of ${batches} batches of ${ROWS}`,
);
for (let round = 0; round < rounds; round++) {
  for (const v of VARIANTS) {
    for (const sql of v.setup ?? []) await pool.query(sql);
    try {
      for (let i = 0; i < 20; i++) await runBatch(v); // warm: the plan, the caches
      // The same number of messages in every variant.
      const count = Math.round((batches * ROWS) / (v.rows ?? ROWS));
      const lsn = await walLsn();
      const before = cpuMsOf(pid);
      for (let i = 0; i < count; i++) {
        const t = performance.now();
        await runBatch(v);
        v.ms.push(performance.now() - t);
        if (v.cleanEvery && (i + 1) % v.cleanEvery === 0) await pool.query(CLEAN);
      }
      for (const sql of v.measuredEnd ?? []) await pool.query(sql);
      v.cpu.push(((cpuMsOf(pid) - before) * 1000) / (batches * ROWS));
      v.wal.push((await walSince(lsn)) / (batches * ROWS));
    } finally {
      for (const sql of v.teardown ?? []) await pool.query(sql);
    }
  }
  console.log(`# round ${round + 1} done, load ${os.loadavg()[0].toFixed(2)}`);
}

const times = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return [0.5, 0.99, 1].map((p) => s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(2)).join(' / ');
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const baseline = VARIANTS.find((v) => v.name === 'statement').cpu;
console.log(
  "\n| variant | PostgreSQL CPU per message, µs (each round) | median | vs. statement (median of the rounds' differences) | WAL bytes per message (median) | batch ms p50 / p99 / max |",
);
console.log('| --- | --- | --- | --- | --- | --- |');
for (const v of VARIANTS) {
  const m = median(v.cpu);
  // Paired by round: the table grows from round to round, and the machine's load moves.
  const d = median(v.cpu.map((c, i) => c - baseline[i]));
  console.log(
    `| ${v.name} | ${v.cpu.map((c) => c.toFixed(0)).join(', ')} | ${m.toFixed(0)} | ${(d >= 0 ? '+' : '') + d.toFixed(0)} | ${median(v.wal).toFixed(0)} | ${times(v.ms)} |`,
  );
}
const { rows: size } = await pool.query('SELECT count(*) AS n FROM chat_messages');
console.log(`\n${size[0].n} messages at the end. Host: ${os.cpus().length} cores; ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
await store.close?.();
await dropSeed(pool, SCHEMA);
await pool.end();
