// What one message costs the server before and after its broadcast, measured inside the server:
// `node bench/send-path.mjs chat|raw [sends=300] [members=500]` (build first). One process holds
// the server (the chat server as bench/server.mjs makes it, or the raw one) and `members` light
// clients in one room; client 0 sends one message at a time, waiting for each ack. Socket.IO's
// client and adapter are wrapped (here only) to time, per send: from its frame reaching the
// server to the start of its broadcast ("before"), the broadcast, and from its end to the ack
// ("after"). The receivers' work in the same process leaves caches about as cold as the latency
// scenarios do. Medians and spread of the sends after the first fifth; not part of `npm run bench`.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { Server } from 'socket.io';
import { createChatServer } from '@chat/server';
import { LightClient } from './light-client.mjs';

const [kind = 'chat', sendsArg = '300', membersArg = '500'] = process.argv.slice(2);
const sends = Number(sendsArg);
const members = Number(membersArg);
// socket.io's own copies of its client and adapter (their files are not in its exports).
const require = createRequire(createRequire(import.meta.url).resolve('socket.io'));
const { Client } = require('./client.js');
const { Adapter } = require(createRequire(require.resolve('socket.io-adapter')).resolve('./in-memory-adapter.js'));

const http = createServer();
if (kind === 'chat') {
  const unlimited = { messageBurst: 1e9, messagesPerSecond: 1e9, eventBurst: 1e9, eventsPerSecond: 1e9, maxRoomsPerSocket: 1000 };
  createChatServer(http, { limits: { ...unlimited, maxRequestsInFlightPerUser: 1e9 } });
} else {
  // bench/server.mjs's raw server, without the flood and reaction parts.
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
        user,
        createdAt: new Date().toISOString(),
        attachments: [],
        clientId: payload.clientId,
        text: payload.text,
      };
      socket.to(payload.roomId).emit('message', message);
      ack({ ok: true, data: { message } });
    });
  });
}

const before = [];
const broadcast = [];
const after = [];
let arrived;
let started;
let ended;
const ondata = Client.prototype.ondata;
Client.prototype.ondata = function (data) {
  if (typeof data === 'string' && data.includes('"message:send"')) arrived = process.hrtime.bigint();
  return ondata.call(this, data);
};
const adapterBroadcast = Adapter.prototype.broadcast;
Adapter.prototype.broadcast = function (packet, opts) {
  if (packet?.data?.[0] !== 'message' || arrived === undefined) return adapterBroadcast.call(this, packet, opts);
  started = process.hrtime.bigint();
  const result = adapterBroadcast.call(this, packet, opts);
  ended = process.hrtime.bigint();
  return result;
};
const writePacket = Client.prototype._packet;
Client.prototype._packet = function (packet, opts) {
  // Socket.IO's ACK packet type: the sender's answer.
  if (packet.type === 3 && started !== undefined) {
    const acked = process.hrtime.bigint();
    before.push(Number(started - arrived) / 1e3);
    broadcast.push(Number(ended - started) / 1e3);
    after.push(Number(acked - ended) / 1e3);
    arrived = started = ended = undefined;
  }
  return writePacket.call(this, packet, opts);
};

await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${http.address().port}`;
const clients = [];
for (let i = 0; i < members; i++) {
  const client = new LightClient(url, { name: `user-${i}`, guestKey: `bench-guest-key-${String(i).padStart(6, '0')}` });
  await client.connect();
  await client.request('room:join', { roomId: 'room-0' });
  clients.push(client);
}
for (let i = 0; i < sends; i++) {
  await clients[0].request('message:send', { roomId: 'room-0', clientId: `p-${i}`, text: `t${performance.now()}` });
}
const at = (values, p) => {
  const kept = values.slice(Math.floor(values.length / 5)).sort((a, b) => a - b);
  return kept[Math.floor(kept.length * p)].toFixed(1);
};
const line = (values) => `p10 ${at(values, 0.1)} p50 ${at(values, 0.5)} p90 ${at(values, 0.9)}`;
console.log(
  `${kind}, room of ${members}: before the broadcast ${line(before)} µs | broadcast p50 ${at(broadcast, 0.5)} µs | broadcast to ack ${line(after)} µs`,
);
process.exit(0);
