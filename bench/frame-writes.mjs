// What writing each recipient's WebSocket frame as one buffer saves in a broadcast, against
// socket.io-adapter's two (header and data): `node bench/frame-writes.mjs [members=1000] [rounds=400]`.
// One raw Socket.IO server and `members` light clients in one room, in this process; each round
// broadcasts one chat-sized message twice, once each way, in alternating order, and times the
// synchronous broadcast loop (where every recipient's write happens). Interleaved, so the
// machine's drift falls on both alike. Not part of `npm run bench`.
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { LightClient } from './light-client.mjs';

const [membersArg = '1000', roundsArg = '400'] = process.argv.slice(2);
const members = Number(membersArg);
const rounds = Number(roundsArg);

const http = createServer();
const io = new Server(http);
io.on('connection', (socket) => {
  socket.on('room:join', (payload, ack) => {
    socket.join(payload.roomId);
    ack({ ok: true, data: { messages: [], members: [] } });
  });
});
await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${http.address().port}`;
for (let i = 0; i < members; i++) {
  const client = new LightClient(url, { name: `user-${i}` });
  await client.connect();
  await client.request('room:join', { roomId: 'room-0' });
}

const adapter = io.of('/').adapter;
const encode = adapter._encode;
let whole = false;
adapter._encode = function (packet, opts) {
  const encoded = encode.call(this, packet, opts);
  if (whole && Array.isArray(opts.wsPreEncodedFrame)) opts.wsPreEncodedFrame = [Buffer.concat(opts.wsPreEncodedFrame)];
  return encoded;
};
const times = { two: [], whole: [] };
const message = (i) => ({
  id: crypto.randomUUID(),
  roomId: 'room-0',
  seq: i,
  user: { id: crypto.randomUUID(), name: 'user-0' },
  createdAt: new Date().toISOString(),
  attachments: [],
  clientId: `c-${i}`,
  text: `t${performance.now()}`,
});
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
for (let i = 0; i < rounds; i++) {
  for (const way of i % 2 ? ['two', 'whole'] : ['whole', 'two']) {
    whole = way === 'whole';
    const start = process.hrtime.bigint();
    io.to('room-0').emit('message', message(i));
    times[way].push(Number(process.hrtime.bigint() - start) / 1e3);
    await settle();
  }
}
const p = (values, q) => {
  const kept = values.slice(Math.floor(values.length / 5)).sort((a, b) => a - b);
  return kept[Math.floor(kept.length * q)];
};
const line = (way) => `p10 ${p(times[way], 0.1).toFixed(0)} p50 ${p(times[way], 0.5).toFixed(0)} p90 ${p(times[way], 0.9).toFixed(0)} µs`;
console.log(
  `room of ${members}, broadcast loop: two buffers ${line('two')} | one buffer ${line('whole')} | p50 ratio ${(p(times.whole, 0.5) / p(times.two, 0.5)).toFixed(3)}`,
);
process.exit(0);
