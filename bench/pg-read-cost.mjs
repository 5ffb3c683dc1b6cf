// PostgreSQL's CPU per call of the send path's cached reads (a room by id, a room's standings),
// sent unnamed (parsed and planned at every call) and as named statements (once per connection).
// Read from /proc, so PostgreSQL must run on this machine. Uses the schema chat_bench_readcost.
//   node bench/pg-read-cost.mjs
import pg from 'pg';
import { readFileSync } from 'node:fs';
import os from 'node:os';
const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query('DROP SCHEMA IF EXISTS chat_bench_readcost CASCADE');
await admin.query('CREATE SCHEMA chat_bench_readcost');
const url = new URL(base);
url.searchParams.set('options', '-c search_path=chat_bench_readcost -c jit=off');
const c = new pg.Client({ connectionString: url.href });
await c.connect();
await c.query(
  `CREATE TABLE chat_rooms (id text PRIMARY KEY, title text, metadata jsonb, private_metadata jsonb, options jsonb NOT NULL DEFAULT '{}', created_by text, created_at timestamptz NOT NULL DEFAULT now(), ended_at timestamptz, last_seq bigint NOT NULL DEFAULT 0, last_message json)`,
);
await c.query(
  `CREATE TABLE chat_standings (room_id text NOT NULL, user_id text NOT NULL, role text, ban jsonb, mute jsonb, PRIMARY KEY (room_id, user_id))`,
);
await c.query(`INSERT INTO chat_rooms (id) SELECT 'r' || i FROM generate_series(1, 100) i`);
await c.query(
  `INSERT INTO chat_standings (room_id, user_id, role) SELECT 'r' || (i % 100), 'u' || i, 'member' FROM generate_series(1, 200) i`,
);
await c.query('ANALYZE');
const pid = (await c.query('SELECT pg_backend_pid() AS p')).rows[0].p;
const cpu = () => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const x = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(x[11]) + Number(x[12])) * 10;
};
const Q = {
  room: [
    'SELECT id, title, metadata, private_metadata, options, created_by, created_at, ended_at FROM chat_rooms WHERE id = $1',
    (i) => [`r${i % 100}`],
  ],
  standings: [
    'SELECT user_id, role, ban, mute FROM chat_standings WHERE room_id = $1 ORDER BY user_id COLLATE "C"',
    (i) => [`r${i % 100}`],
  ],
};
const N = 3000;
const out = {};
for (let round = 0; round < 5; round++)
  for (const [k, [text, vals]] of Object.entries(Q))
    for (const named of [false, true]) {
      const t = cpu();
      for (let i = 0; i < N; i++) await c.query(named ? { name: `rc_${k}`, text, values: vals(i) } : { text, values: vals(i) });
      (out[`${k} ${named ? 'named' : 'unnamed'}`] ??= []).push(((cpu() - t) * 1000) / N);
    }
console.log(new Date().toISOString(), 'load', os.loadavg()[0].toFixed(2));
for (const [k, v] of Object.entries(out))
  console.log(k, v.map((x) => x.toFixed(0)).join(' '), 'µs per call; median', [...v].sort((a, b) => a - b)[2].toFixed(0));
await c.end();
await admin.query('DROP SCHEMA chat_bench_readcost CASCADE');
await admin.end();
