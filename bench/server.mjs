// One benchmark server process: `chat` (createChatServer, memory store, presence and typing on)
// or `raw` (plain Socket.IO doing the same fan-out with nothing else). Forked by run.mjs; answers
// { cmd: 'stats' | 'gc' } over IPC. Run with --expose-gc.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { createChatServer } from '@chat/server';

const kind = process.argv[2];
const http = createServer();

if (kind === 'chat' || kind === 'chat-pg') {
  // chat-pg: durable history in PostgreSQL (a schema of its own, emptied at start).
  let store;
  if (kind === 'chat-pg') {
    const { default: pg } = await import('pg');
    const { PostgresStore } = await import('@chat/server/postgres');
    const url = new URL(process.env.DATABASE_URL);
    const admin = new pg.Client({ connectionString: url.href });
    await admin.connect();
    await admin.query('DROP SCHEMA IF EXISTS chat_bench_fanout CASCADE; CREATE SCHEMA chat_bench_fanout');
    await admin.end();
    url.searchParams.set('options', '-c search_path=chat_bench_fanout');
    store = new PostgresStore({ connectionString: url.href, max: 20 });
  }
  createChatServer(http, {
    ...(store && { store }),
    // Benchmarks measure the chat layer, not its abuse limits.
    limits: { messageBurst: 1e9, messagesPerSecond: 1e9, eventBurst: 1e9, eventsPerSecond: 1e9, maxRoomsPerSocket: 1000 },
  });
} else if (kind === 'raw') {
  // The floor: what any Socket.IO app must do to fan a message out with an ack.
  const io = new Server(http, { maxHttpBufferSize: 64 * 1024 });
  const seqs = new Map();
  io.on('connection', (socket) => {
    const user = { id: randomUUID(), name: String(socket.handshake.auth?.name ?? 'anon') };
    socket.on('room:join', (payload, ack) => {
      socket.join(payload.roomId);
      ack({ ok: true, data: { messages: [], members: [] } });
    });
    socket.on('message:send', (payload, ack) => {
      const seq = (seqs.get(payload.roomId) ?? 0) + 1;
      seqs.set(payload.roomId, seq);
      const message = {
        id: randomUUID(),
        roomId: payload.roomId,
        seq,
        clientId: payload.clientId,
        user,
        text: payload.text,
        attachments: [],
        createdAt: new Date().toISOString(),
      };
      socket.to(payload.roomId).emit('message', message);
      ack({ ok: true, data: { message } });
    });
  });
} else {
  console.error('usage: server.mjs chat|raw');
  process.exit(2);
}

let lastCpu = process.cpuUsage();
process.on('message', (msg) => {
  if (msg.cmd === 'exit') {
    process.exit(0); // a clean exit, so that --cpu-prof writes its profile
  } else if (msg.cmd === 'gc') {
    globalThis.gc?.();
    globalThis.gc?.();
    process.send({ ok: true });
  } else if (msg.cmd === 'stats') {
    const cpu = process.cpuUsage(lastCpu);
    lastCpu = process.cpuUsage();
    const mem = process.memoryUsage();
    process.send({
      rss: mem.rss,
      heapUsed: mem.heapUsed,
      heapTotal: mem.heapTotal,
      external: mem.external,
      cpuMs: (cpu.user + cpu.system) / 1000,
    });
  }
});

http.listen(0, '127.0.0.1', () => process.send({ port: http.address().port }));
