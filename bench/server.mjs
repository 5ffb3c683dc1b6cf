// One benchmark server process: `chat` (createChatServer, memory store, presence and typing on)
// or `raw` (plain Socket.IO doing the same fan-out with nothing else). Forked by run.mjs; answers
// { cmd: 'stats' | 'gc' | 'peak-start' | 'members' } over IPC. Run with --expose-gc.
// `server.mjs chat|raw flood`: the flood scenario's server. The chat server keeps its default
// limits (the flood is about them), and both servers start with the same large stored messages
// in room `flood`; the raw server then also stores messages and answers history, typing and leave.
import { createECDH, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Server } from 'socket.io';
import { createChatServer, liveReactions, webPush } from '@chat/server';
import { FLOOD_ROOM, floodSeed } from './flood-payloads.mjs';
import { benchSchema } from './bench-schema.mjs';
import { pgCpuMeter } from './pg-cpu.mjs';

const kind = process.argv[2];
const flood = process.argv[3] === 'flood';
// `server.mjs chat-cluster|raw-cluster <keyPrefix> [heartbeatMs staleAfterMs]`: one process of two
// on the Redis at REDIS_URL, through the Redis Streams adapter (the chat server's `redisCluster`,
// as shipped; raw Socket.IO with the same adapter and stream settings). Memory stores, as above.
// `chat-pg-cluster`: the same, with both processes on one PostgreSQL schema named after the prefix.
// `chat-shard-cluster|raw-shard-cluster <keyPrefix>`: the same on a Redis Cluster whose seed URLs are
// in CHAT_BENCH_REDIS_NODES (comma-separated; bench/redis-cluster.mjs starts it): the chat server's
// `redisCluster({ nodes })` as shipped (ioredis Cluster, the sharded adapter of
// `@socket.io/redis-adapter`), raw Socket.IO with that sharded adapter on an ioredis Cluster, with the
// same channel prefix and a sharded subscriber as `redisCluster` opens.
// `chat-push`: `chat` with push notifications on (`push: webPush(...)`) and a `notify` hook: every
// stored message asks who of its room is away, for both (nobody is, in the fan-out: what is
// measured is that question on the send path).
// `chat-live-reactions`: `chat` with `plugins: [liveReactions()]` as shipped (its default emoji and
// 5 reactions per user a second); the raw server broadcasts each `live-reaction:send` to the room.
const sharded = kind === 'chat-shard-cluster' || kind === 'raw-shard-cluster';
const clustered = kind === 'chat-cluster' || kind === 'raw-cluster' || kind === 'chat-pg-cluster' || sharded;
const shardNodes = sharded ? (process.env.CHAT_BENCH_REDIS_NODES ?? '').split(',').filter(Boolean) : [];
if (sharded && shardNodes.length === 0) throw new Error(`${kind} needs CHAT_BENCH_REDIS_NODES (seed URLs of a Redis Cluster).`);
const clusterPrefix = clustered ? process.argv[3] : undefined;
const [heartbeatMs, staleAfterMs] = clustered && process.argv[4] ? [Number(process.argv[4]), Number(process.argv[5])] : [5000, 15_000];
const http = createServer();
/** The chat server (chat kinds only): `members` reads its store. */
let chat;

/** CPU of this server's PostgreSQL backends (chat-pg kinds): `stats` answers it as `pgCpuMs`. */
let pgCpu;
const chatKinds = ['chat', 'chat-pg', 'chat-cluster', 'chat-pg-cluster', 'chat-shard-cluster', 'chat-push', 'chat-live-reactions'];
if (chatKinds.includes(kind)) {
  // chat-pg: durable history in PostgreSQL (a schema of its own, emptied at start; in a cluster, one
  // schema per run for both processes, dropped by cluster.mjs afterwards).
  let store;
  if (kind === 'chat-pg' || kind === 'chat-pg-cluster') {
    const { default: pg } = await import('pg');
    const { PostgresStore } = await import('@chat/server/postgres');
    const url = new URL(process.env.DATABASE_URL);
    const admin = new pg.Client({ connectionString: url.href });
    await admin.connect();
    // CHAT_BENCH_SCHEMA: a schema other than the shared default (runs beside another session's).
    const schema = clustered ? benchSchema(clusterPrefix) : (process.env.CHAT_BENCH_SCHEMA ?? 'chat_bench_fanout');
    if (clustered)
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).catch(() => undefined); // the other process may win
    else await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
    await admin.end();
    url.searchParams.set('options', `-c search_path=${schema}`);
    const applicationName = `chat-bench-${process.pid}`;
    pgCpu = pgCpuMeter(pg, process.env.DATABASE_URL, applicationName);
    url.searchParams.set('application_name', applicationName);
    // CHAT_BENCH_TRACE=<file>: what each send waited for, a line a second (bench/pg-trace.mjs).
    if (process.env.CHAT_BENCH_TRACE) {
      const { startPgTrace } = await import('./pg-trace.mjs');
      await startPgTrace({
        pg,
        PostgresStore,
        connectionString: process.env.DATABASE_URL,
        applicationName,
        file: process.env.CHAT_BENCH_TRACE,
      });
    }
    store = new PostgresStore({ connectionString: url.href, max: 20 });
  }
  let cluster;
  if (kind === 'chat-cluster' || kind === 'chat-pg-cluster') {
    const { redisCluster } = await import('@chat/server/redis');
    cluster = redisCluster({ url: process.env.REDIS_URL, keyPrefix: clusterPrefix, heartbeatMs, staleAfterMs });
  } else if (kind === 'chat-shard-cluster') {
    const { redisCluster } = await import('@chat/server/redis');
    cluster = redisCluster({ nodes: shardNodes.map((url) => ({ url })), keyPrefix: clusterPrefix, heartbeatMs, staleAfterMs });
  }
  let push;
  if (kind === 'chat-push') {
    // A VAPID key pair (P-256), made here: no push is sent in the fan-out, web-push is never loaded.
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const privateKey = ecdh.getPrivateKey();
    const keys = {
      publicKey: ecdh.getPublicKey().toString('base64url'),
      privateKey: Buffer.concat([Buffer.alloc(32 - privateKey.length), privateKey]).toString('base64url'),
    };
    push = { push: webPush({ ...keys, subject: 'mailto:bench@chat.example' }), notify: () => undefined };
  }
  chat = createChatServer(http, {
    ...(store && { store }),
    ...push,
    ...(cluster && { cluster }),
    ...(kind === 'chat-live-reactions' && { plugins: [liveReactions()] }),
    // Benchmarks measure the chat layer, not its abuse limits (except the flood, which is about them).
    // Senders keep 16 sends outstanding, as on raw Socket.IO: above 8 in flight (the default) a
    // chat sender was refused a quarter of its sends (RATE_LIMITED answers, work raw never does).
    ...(!flood && {
      limits: {
        messageBurst: 1e9,
        messagesPerSecond: 1e9,
        eventBurst: 1e9,
        eventsPerSecond: 1e9,
        maxRoomsPerSocket: 1000,
        maxRequestsInFlightPerUser: 1e9,
      },
    }),
  });
  if (flood) {
    const user = { id: 'seed', name: 'Seeder' };
    for (const m of floodSeed()) await chat.sendMessage(FLOOD_ROOM, { user, ...m });
  }
} else if (kind === 'raw' || kind === 'raw-cluster' || kind === 'raw-shard-cluster') {
  // The floor: what any Socket.IO app must do to fan a message out with an ack.
  const io = new Server(http, { maxHttpBufferSize: 64 * 1024 });
  if (kind === 'raw-cluster') {
    const { createClient } = await import('redis');
    const { createAdapter } = await import('@socket.io/redis-streams-adapter');
    const redis = createClient({ url: process.env.REDIS_URL });
    await redis.connect();
    // The stream and heartbeat settings `redisCluster` gives the same adapter.
    io.adapter(
      createAdapter(redis, { streamName: `${clusterPrefix}stream`, heartbeatInterval: heartbeatMs, heartbeatTimeout: staleAfterMs }),
    );
  } else if (kind === 'raw-shard-cluster') {
    const { Cluster } = await import('ioredis');
    const { createShardedAdapter } = await import('@socket.io/redis-adapter');
    const startup = shardNodes.map((url) => ({ host: new URL(url).hostname, port: Number(new URL(url).port || 6379) }));
    const pub = new Cluster(startup, { lazyConnect: true });
    await pub.connect();
    // A subscriber per shard, as `redisCluster` opens one (packages/server/src/cluster/redis-sharded.ts).
    const sub = pub.duplicate([], { shardedSubscribers: true, lazyConnect: true });
    await sub.connect();
    io.adapter(createShardedAdapter(pub, sub, { channelPrefix: `${clusterPrefix}socket.io` }));
  }
  const seqs = new Map();
  const reactions = new Map();
  let reactionRev = 0;
  const threads = new Map();
  // Flood mode only: messages kept per room, so that joins and history answer as the chat server's do.
  const stored = new Map();
  const store = (message) => {
    if (!stored.has(message.roomId)) stored.set(message.roomId, []);
    stored.get(message.roomId).push(message);
  };
  const build = (roomId, user, input) => {
    const seq = (seqs.get(roomId) ?? 0) + 1;
    seqs.set(roomId, seq);
    return { id: randomUUID(), roomId, seq, user, createdAt: new Date().toISOString(), attachments: [], ...input };
  };
  if (flood) {
    const user = { id: 'seed', name: 'Seeder' };
    for (const m of floodSeed()) store(build(FLOOD_ROOM, user, { clientId: randomUUID(), ...m }));
  }
  io.on('connection', (socket) => {
    const user = { id: randomUUID(), name: String(socket.handshake.auth?.name ?? 'anon') };
    socket.on('room:join', (payload, ack) => {
      socket.join(payload.roomId);
      const messages = flood ? (stored.get(payload.roomId) ?? []).slice(-50) : [];
      ack({ ok: true, data: { messages, members: [] } });
    });
    socket.on('message:send', (payload, ack) => {
      const message = build(payload.roomId, user, {
        clientId: payload.clientId,
        text: payload.text,
        attachments: flood ? (payload.attachments ?? []) : [],
      });
      if (flood) store(message);
      socket.to(payload.roomId).emit('message', message);
      ack({ ok: true, data: { message } });
      // A thread reply, done the naive way: the parent's new count goes out at once to the whole room.
      if (payload.threadOf) {
        const replies = (threads.get(payload.threadOf) ?? 0) + 1;
        threads.set(payload.threadOf, replies);
        const parent = { id: payload.threadOf, roomId: payload.roomId, rev: ++reactionRev, thread: { replyCount: replies } };
        io.to(payload.roomId).emit('message:updated', parent);
      }
    });
    // The reaction storm, done the naive way: every reaction goes out at once to the whole room.
    socket.on('reaction:add', (payload, ack) => {
      const key = `${payload.messageId}\u0000${payload.emoji}`;
      const users = reactions.get(key) ?? new Set();
      reactions.set(key, users);
      users.add(user.id);
      const rev = ++reactionRev;
      const message = { id: payload.messageId, roomId: payload.roomId, rev, reactions: { [payload.emoji]: { count: users.size } } };
      io.to(payload.roomId).emit('message:updated', message);
      ack({ ok: true, data: { message } });
    });
    // Live reactions, done the naive way: every reaction goes out at once to the whole room, one frame each.
    socket.on('live-reaction:send', (payload, ack) => {
      io.to(payload.roomId).emit('live-reaction', { roomId: payload.roomId, emoji: payload.emoji });
      ack({ ok: true, data: {} });
    });
    if (!flood) return;
    socket.on('room:leave', (payload, ack) => {
      socket.leave(payload.roomId);
      ack({ ok: true, data: {} });
    });
    socket.on('message:history', (payload, ack) => {
      const all = stored.get(payload.roomId) ?? [];
      const end = payload.before === undefined ? all.length : all.findIndex((m) => m.seq >= payload.before);
      const to = end < 0 ? all.length : end;
      const from = Math.max(0, to - (payload.limit ?? 50));
      ack({ ok: true, data: { messages: all.slice(from, to), hasMore: from > 0 } });
    });
    socket.on('typing', (payload, ack) => {
      socket.to(payload.roomId).emit('typing', { roomId: payload.roomId, user, typing: payload.typing });
      ack({ ok: true, data: {} });
    });
  });
} else {
  console.error(
    'usage: server.mjs chat|chat-pg|chat-push|chat-live-reactions|raw [flood] | chat-cluster|chat-pg-cluster|raw-cluster|chat-shard-cluster|raw-shard-cluster <keyPrefix> [heartbeatMs staleAfterMs]',
  );
  process.exit(2);
}

let lastCpu = process.cpuUsage();
// Peaks since `peak-start`, sampled every 20 ms (only once asked: other scenarios pay nothing).
let peak;
let loopDelay;
const samplePeak = () => {
  const mem = process.memoryUsage();
  peak.rss = Math.max(peak.rss, mem.rss);
  peak.heapUsed = Math.max(peak.heapUsed, mem.heapUsed);
  peak.external = Math.max(peak.external, mem.external);
};
process.on('message', (msg) => {
  if (msg.cmd === 'peak-start') {
    if (!peak) setInterval(samplePeak, 20).unref();
    peak = { rss: 0, heapUsed: 0, external: 0 };
    loopDelay?.disable();
    loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    samplePeak();
    process.send({ ok: true });
  } else if (msg.cmd === 'exit') {
    process.exit(0); // a clean exit, so that --cpu-prof writes its profile
  } else if (msg.cmd === 'gc') {
    globalThis.gc?.();
    globalThis.gc?.();
    process.send({ ok: true });
  } else if (msg.cmd === 'members') {
    // The stored members of a room and their read marks, as the server holds them (read receipts).
    void chat?.store.listMembers(msg.roomId).then(
      (members) => process.send({ members: members.map((m) => ({ id: m.user.id, name: m.user.name, readSeq: m.readSeq })) }),
      (error) => process.send({ event: 'error', message: String(error) }),
    );
    if (!chat) process.send({ members: [] });
  } else if (msg.cmd === 'stats') {
    const cpu = process.cpuUsage(lastCpu);
    lastCpu = process.cpuUsage();
    const mem = process.memoryUsage();
    const reply = (extra) =>
      process.send({
        ...extra,
        rss: mem.rss,
        heapUsed: mem.heapUsed,
        heapTotal: mem.heapTotal,
        external: mem.external,
        cpuMs: (cpu.user + cpu.system) / 1000,
        ...(peak && {
          peakRss: peak.rss,
          peakHeapUsed: peak.heapUsed,
          peakExternal: peak.external,
          loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
          loopDelayMaxMs: loopDelay.max / 1e6,
        }),
      });
    if (!pgCpu) reply({});
    else
      void pgCpu.sample().then(
        (pgCpuMs) => reply({ pgCpuMs }),
        () => reply({ pgCpuMs: Number.NaN }),
      );
  }
});

// A cluster process is on Redis before it says it is up.
if (clustered) await chat?.ready();
// CHAT_BENCH_FASTUPDATE=off: the search index without a pending list, as migrations 20 to 21 left
// it (every append puts its words in the index itself), for an A/B of migration 21 in the same
// session (docs/storage.md); `on`: PostgreSQL's default pending list (4 MB), as before migration 20;
// a number (64 or more): a pending list of that many kB. The store merges the list every 250 ms in
// each case (search-merge.ts; with the list off, a merge finds nothing to do).
const fastupdate = process.env.CHAT_BENCH_FASTUPDATE;
if (chat?.store.pool && fastupdate !== undefined && fastupdate !== '') {
  await chat.ready();
  const kB = Number(fastupdate);
  const limit = Number.isInteger(kB) && kB >= 64 ? `, gin_pending_list_limit = ${kB}` : '';
  if (fastupdate !== 'on' && fastupdate !== 'off' && !limit) {
    throw new Error(`CHAT_BENCH_FASTUPDATE is 'off', 'on' or a number of kB from 64, not "${fastupdate}".`);
  }
  const setting = fastupdate === 'off' ? 'fastupdate = off' : `fastupdate = on${limit}`;
  await chat.store.pool.query(`ALTER INDEX chat_messages_search SET (${setting})`);
  // `on` is PostgreSQL's default size (4 MB), not migration 21's 512 kB.
  if (fastupdate === 'on') await chat.store.pool.query('ALTER INDEX chat_messages_search RESET (gin_pending_list_limit)');
}
http.listen(0, '127.0.0.1', () => process.send({ port: http.address().port }));
