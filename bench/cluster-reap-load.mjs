// The load generator of `cluster-reap-*`: `members` light clients on process A, in `rooms` rooms,
// and one observer per room on process B. Once every observer sees every member, the runner
// kills A (SIGKILL: no goodbye, only the heartbeat stops) and this process measures how long
// until process B has cleared every member of A from every observer's list.
import { performance } from 'node:perf_hooks';
import { LightClient } from './light-client.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const clients = [];

async function connect(url, count, offset, roomOf) {
  const batch = 50;
  const joined = [];
  for (let i = 0; i < count; i += batch) {
    const group = [];
    for (let j = i; j < Math.min(count, i + batch); j++) {
      const n = j + offset;
      const client = new LightClient(url, { name: `user-${n}`, guestKey: `bench-reap-key-${String(n).padStart(6, '0')}` });
      clients.push(client);
      group.push(client.connect().then(() => client.request('room:join', { roomId: roomOf(j) })));
    }
    joined.push(...(await Promise.all(group)));
  }
  return joined;
}

async function run({ urls: [urlA, urlB], members, rooms }) {
  const roomOf = (j) => `reap-${j % rooms}`;
  const t0 = performance.now();
  await connect(urlA, members, 0, roomOf);
  // One observer per room on B: the member list it keeps from its join and the presence deltas.
  const observers = Array.from({ length: rooms }, () => ({ self: undefined, ids: new Set(), lefts: 0 }));
  const observerClients = [];
  for (let r = 0; r < rooms; r++) {
    const client = new LightClient(urlB, { name: `observer-${r}`, guestKey: `bench-reap-observer-${String(r).padStart(6, '0')}` });
    observerClients.push(client);
    clients.push(client);
  }
  observerClients.forEach((client, r) => {
    client.onPresence = (delta) => {
      const seen = observers[r];
      for (const m of delta.joined) seen.ids.add(m.id);
      for (const m of delta.updated) seen.ids.add(m.id);
      for (const id of delta.left) if (seen.ids.delete(id)) seen.lefts++;
    };
  });
  await Promise.all(
    observerClients.map(async (client, r) => {
      await client.connect();
      const ack = await client.request('room:join', { roomId: `reap-${r}` });
      if (!ack?.ok) throw new Error(`observer could not join: ${JSON.stringify(ack)}`);
      observers[r].self = ack.data.self.id;
      observers[r].ids.add(ack.data.self.id);
      for (const m of ack.data.members) observers[r].ids.add(m.id);
    }),
  );
  const perRoom = (r) => Math.floor(members / rooms) + (r < members % rooms ? 1 : 0);
  const complete = () => observers.every((o, r) => o.ids.size === perRoom(r) + 1);
  const since = performance.now();
  while (!complete() && performance.now() - since < 60_000) await sleep(50);
  if (!complete()) throw new Error('the observers never saw every member before the kill');
  const joinedMs = performance.now() - t0;
  process.send({ event: 'kill-now' });
  await new Promise((resolve) => process.once('message', (m) => m?.cmd === 'killed' && resolve()));
  const killedAt = performance.now();
  let detectedMs = Number.NaN;
  const cleared = () => observers.every((o) => o.ids.size === 1 && o.ids.has(o.self));
  while (!cleared() && performance.now() - killedAt < 120_000) {
    if (Number.isNaN(detectedMs) && observers.some((o) => o.lefts > 0)) detectedMs = performance.now() - killedAt;
    await sleep(10);
  }
  const clearedMs = cleared() ? performance.now() - killedAt : Number.NaN;
  if (Number.isNaN(detectedMs) && cleared()) detectedMs = clearedMs;
  return {
    members,
    rooms,
    joinedMs,
    detectedMs,
    clearedMs,
    observersRight: observers.filter((o) => o.ids.size === 1 && o.ids.has(o.self)).length,
    leftEvents: observers.reduce((sum, o) => sum + o.lefts, 0),
  };
}

process.on('message', async (msg) => {
  if (msg.cmd === 'run') {
    try {
      process.send({ event: 'result', result: await run(msg.options) });
    } catch (error) {
      process.send({ event: 'error', message: String(error?.stack ?? error) });
    }
  } else if (msg.cmd === 'close') {
    for (const c of clients) c.close();
    process.exit(0);
  }
});
process.send({ event: 'ready' });
