// The load generator process: connects clients to a benchmark server and runs one scenario,
// reporting through IPC. Forked by run.mjs with { url, scenario, options }.
import { performance } from 'node:perf_hooks';
import { FullClient } from './full-client.mjs';
import { LightClient } from './light-client.mjs';
import { SENTENCES } from './sentences.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let clients = [];

// `url` may be a list (the processes of a cluster): client j connects to url[j % n] (or to
// url[place(j) % n]).
async function connectAll(url, count, mode, join, offset = 0, place = (j) => j) {
  const Client = mode === 'full' ? FullClient : LightClient;
  const urls = Array.isArray(url) ? url : [url];
  clients = [];
  const batch = 50;
  for (let i = 0; i < count; i += batch) {
    const group = [];
    for (let j = i; j < Math.min(count, i + batch); j++) {
      const at = urls[place(j + offset) % urls.length];
      const client = new Client(at, { name: `user-${j + offset}`, guestKey: `bench-guest-key-${String(j + offset).padStart(6, '0')}` });
      clients.push(client);
      group.push(client.connect().then(() => (join ? client.request('room:join', { roomId: join(j) }) : undefined)));
    }
    await Promise.all(group);
  }
}

function total(field, of = clients) {
  return of.reduce((sum, c) => sum + c[field], 0);
}

// Keeps `window` sends outstanding per sender for as long as `running()` holds; resolves with
// how many sends were refused (a limit in the way would measure the limit, not the fan-out) and
// how many were stored (`acked`: what receivers are owed).
function sendLoop(sender, roomId, window, running, stamp = () => 'x') {
  let n = 0;
  let refused = 0;
  let acked = 0;
  const one = async () => {
    while (running()) {
      const ack = await sender.request('message:send', { roomId, clientId: `c-${roomId}-${n++}-${Math.random()}`, text: stamp() });
      if (!ack?.ok) refused++;
      else acked++;
    }
  };
  return Promise.all(Array.from({ length: window }, one)).then(() => ({ refused, acked }));
}

const scenarios = {
  /**
   * As fast as acks allow: deliveries per second, counted at the members that do not send (a
   * sender's own message in a chat batch is no delivery). `senders` per room: clients r + k x rooms,
   * spread over the processes when `url` is a list. Afterwards every receiver must have got every
   * stored message of its room exactly once (`exact`; `missing` < 0: duplicates). `spread`: on a
   * cluster, each room's members alternate between the processes, and so do the rooms' senders
   * (client j on process j + floor(j / rooms)); otherwise client j is on process j.
   */
  async fanout({ url, mode, members, rooms = 1, senders = 1, window = 16, spread = false, warmupMs, durationMs }) {
    const place = spread ? (j) => j + Math.floor(j / rooms) : undefined;
    await connectAll(url, members, mode, (j) => `room-${j % rooms}`, 0, place);
    let running = true;
    const sending = rooms * senders;
    const loops = Array.from({ length: sending }, (_, i) => sendLoop(clients[i], `room-${i % rooms}`, window, () => running));
    const receivers = clients.slice(sending);
    await sleep(warmupMs);
    const before = total('deliveries', receivers);
    const framesBefore = total('messageFrames', receivers);
    process.send({ event: 'window-start' });
    const t0 = performance.now();
    await sleep(durationMs);
    const delivered = total('deliveries', receivers) - before;
    const frames = total('messageFrames', receivers) - framesBefore;
    const seconds = (performance.now() - t0) / 1000;
    process.send({ event: 'window-end' });
    running = false;
    const outcomes = await Promise.all(loops);
    const refused = outcomes.reduce((sum, o) => sum + o.refused, 0);
    // Receiver k (client sending + k) is in room (sending + k) % rooms and is owed all its room's messages.
    const storedIn = new Array(rooms).fill(0);
    outcomes.forEach((o, i) => (storedIn[i % rooms] += o.acked));
    const expected = receivers.reduce((sum, _, k) => sum + storedIn[(sending + k) % rooms], 0);
    const settling = performance.now();
    while (total('deliveries', receivers) < expected && performance.now() - settling < 10_000) await sleep(50);
    await sleep(100); // duplicates, if any, land too
    const missing = expected - total('deliveries', receivers);
    return {
      deliveriesPerSec: delivered / seconds,
      refusedSends: refused,
      messagesPerFrame: delivered / Math.max(1, frames),
      exact: missing === 0 ? 1 : 0,
      missing,
    };
  },

  /**
   * A fixed rate of deliveries: latency percentiles at sampled receivers. With `rooms` and
   * `messagesPerSec`: that many messages a second over the rooms in turn, client j in room j % rooms
   * (clients 0 .. rooms - 1 send, one per room).
   */
  async latency({ url, mode, members, deliveriesPerSec, messagesPerSec, rooms = 1, senders = rooms, warmupMs, durationMs }) {
    await connectAll(url, members, mode, (j) => `room-${j % rooms}`);
    const processes = Array.isArray(url) ? url.length : 1;
    const samples = [];
    let measuring = false;
    clients.forEach((client, i) => {
      // Every tenth receiver parses the timestamps (on every process of a cluster).
      if (i < senders || Math.floor(i / processes) % 10 !== 1) return;
      client.onMessageFrame = (frame) => {
        if (!measuring) return;
        const at = frame.indexOf('"text":"t');
        if (at >= 0) samples.push(performance.now() - Number.parseFloat(frame.slice(at + 9)));
      };
    });
    // The messages a second it takes, sent by `senders` clients in turn (client i is on process i % n).
    const perSecond = messagesPerSec ?? deliveriesPerSec / (members - 1);
    // Many rooms: a tick of 5 ms (setInterval keeps a 1 ms tick badly on a busy machine).
    const tickMs = Math.max(rooms > 1 ? 5 : 1, 1000 / perSecond);
    const perTick = Math.max(1, Math.round((perSecond * tickMs) / 1000));
    let n = 0;
    const timer = setInterval(() => {
      for (let k = 0; k < perTick; k++) {
        const sender = clients[n % senders];
        const roomId = `room-${(n % senders) % rooms}`;
        // Stored rooms (`messagesPerSec`): words as people write them after the timestamp, so that
        // the store indexes what a real chat's messages carry (the search index grows per word).
        const words = messagesPerSec === undefined ? '' : ` ${SENTENCES[n % SENTENCES.length]} #${n}`;
        void sender.request('message:send', { roomId, clientId: `l-${n++}`, text: `t${performance.now()}${words}` });
      }
    }, tickMs);
    await sleep(warmupMs);
    const before = total('deliveries');
    measuring = true;
    process.send({ event: 'window-start' });
    const t0 = performance.now();
    await sleep(durationMs);
    process.send({ event: 'window-end' });
    measuring = false;
    const delivered = total('deliveries') - before;
    clearInterval(timer);
    samples.sort((a, b) => a - b);
    const pct = (p) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] ?? Number.NaN;
    const seconds = (performance.now() - t0) / 1000;
    const result = { p50: pct(0.5), p99: pct(0.99), samples: samples.length, deliveriesPerSec: delivered / seconds };
    // Messages a second that reached their rooms (each is delivered to the room's members but its sender).
    if (messagesPerSec !== undefined) result.messagesPerSec = delivered / (members / rooms - 1) / seconds;
    return result;
  },

  /**
   * Everyone joins one room at once: presence traffic, bytes each member receives, and the time
   * until every client knows how many are here. Below the server's large-room threshold a client
   * knows it by its member list (the join's list and the deltas); in a large room by the count
   * (the join's `memberCount`, then the deltas' `count`, the newest by `countAt`). At the end,
   * after the trailing deltas, every client's count is checked again (`rightAtEnd`).
   */
  async joinStorm({ url, mode, members, timeoutMs = 30_000 }) {
    await connectAll(url, members, mode, null);
    for (const c of clients) {
      c.bytesIn = 0;
      c.bytesOut = 0;
      c.presenceEvents = 0;
    }
    const views = clients.map(() => ({ seen: new Set(), large: false, count: 0, at: Number.NEGATIVE_INFINITY }));
    const right = (v) => (v.large ? v.count : v.seen.size) === members;
    const counted = new Set();
    let resolveDone;
    const done = new Promise((r) => (resolveDone = r));
    const t0 = performance.now();
    clients.forEach((client, i) => {
      const view = views[i];
      const check = () => {
        if (counted.has(i) || !right(view)) return;
        counted.add(i);
        if (counted.size === members) resolveDone(performance.now() - t0);
      };
      const count = (n, at) => {
        if (at < view.at) return;
        view.count = n;
        view.at = at;
      };
      client.onPresence = (delta) => {
        view.large = delta.count !== undefined;
        if (view.large) count(delta.count, delta.countAt ?? Number.POSITIVE_INFINITY);
        for (const m of delta.joined) view.seen.add(m.id);
        for (const id of delta.left) view.seen.delete(id);
        check();
      };
      client.request('room:join', { roomId: 'storm' }).then((ack) => {
        const data = ack?.data;
        for (const m of data?.members ?? []) view.seen.add(m.id);
        if (data?.large) {
          view.large = true;
          count(data.memberCount, data.memberCountAt ?? Number.NEGATIVE_INFINITY);
        }
        check();
      });
    });
    const allCorrectMs = await Promise.race([done, sleep(timeoutMs).then(() => Number.NaN)]);
    // Trailing deltas (a large room's come once a second): let them land, to count them.
    await sleep(members > 1000 ? 2500 : 1200);
    const bytesIn = total('bytesIn');
    return {
      allCorrectMs,
      presenceEvents: total('presenceEvents'),
      naiveEvents: members * members,
      complete: counted.size,
      rightAtEnd: views.filter(right).length,
      bytesPerMember: bytesIn / members,
      bytesOutPerMember: total('bytesOut') / members,
    };
  },

  /**
   * Idle members in one room, joined in steps (`points`, e.g. 2,000 ... 10,000): after each step
   * the runner takes the server's memory after GC, then says `continue`. The runner fits a line
   * through the points: its slope is what one more member costs, whatever a warm or cold process
   * pays once.
   */
  async memorySlope({ url, mode, points }) {
    let all = [];
    let have = 0;
    for (const target of points) {
      await connectAll(url, target - have, mode, () => 'room-0', have);
      all = [...all, ...clients];
      clients = all;
      have = target;
      process.send({ event: 'point', members: have });
      await new Promise((resolve) => process.once('message', (m) => m?.cmd === 'continue' && resolve()));
    }
    return { connected: have };
  },
};

/** The live-reactions plugin's default emoji (`DEFAULT_LIVE_REACTIONS`), sent in turn. */
const LIVE_EMOJIS = ['👍', '❤️', '😂', '😮', '👏', '🎉'];

/**
 * Live reactions (issue 46): `members` viewers in one room, the first `senders` of them sending
 * `perSecond` reactions a second in all (each about once a second, under the plugin's 5 a user)
 * for `sendMs`, without waiting for acks. Every viewer sums the counts of the reaction frames it
 * receives (chat: `live-reaction:burst`, raw: one `live-reaction` frame per reaction); then, for at
 * most `settleMs`, the bench waits until every send is answered and every viewer's sums, emoji by
 * emoji, equal the reactions acknowledged (`exact`). The window (server CPU, bytes in) runs from the
 * first send to that moment, or to the end of `settleMs` if it never comes.
 */
scenarios.liveReactions = async ({ url, mode, members, senders = 1000, perSecond = 1000, sendMs = 10_000, settleMs = 15_000 }) => {
  const roomId = 'live';
  const joinStarted = performance.now();
  await connectAll(url, members, mode, () => roomId);
  const joinMs = performance.now() - joinStarted;
  await sleep(2000); // the join's trailing presence (a large room's count, once a second)
  const sending = Math.min(senders, members);
  const reactions = Math.round((perSecond * sendMs) / 1000);
  const seconds = Math.ceil((sendMs + settleMs) / 1000) + 1;
  // Each viewer's reaction frames per whole second of the window, counted as they arrive.
  const perSecondFrames = clients.map(() => new Uint16Array(seconds));
  let t0 = 0;
  clients.forEach((client, i) => {
    client.bytesIn = 0;
    client.liveReactionFrames = 0;
    client.liveReactionBytes = 0;
    client.liveReactions = {};
    const buckets = perSecondFrames[i];
    client.onLiveReaction = () => {
      const s = Math.floor((performance.now() - t0) / 1000);
      if (s < buckets.length) buckets[s]++;
    };
  });
  const acked = {};
  let answered = 0;
  let refused = 0;
  let firstRefusal;
  let sent = 0;
  process.send({ event: 'window-start' });
  t0 = performance.now();
  // Time-based: as many as are due by now, every 10 ms (a late timer catches up, the rate holds).
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(reactions, Math.floor(((performance.now() - t0) * perSecond) / 1000));
      for (; sent < due; sent++) {
        const emoji = LIVE_EMOJIS[sent % LIVE_EMOJIS.length];
        void clients[sent % sending].request('live-reaction:send', { roomId, emoji }).then((ack) => {
          answered++;
          if (ack?.ok) acked[emoji] = (acked[emoji] ?? 0) + 1;
          else {
            refused++;
            firstRefusal ??= ack?.error?.code;
          }
        });
      }
      if (sent === reactions) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  const sendEnd = performance.now();
  const ackedTotal = () => Object.values(acked).reduce((a, b) => a + b, 0);
  const exactViewers = () =>
    clients.filter(
      (c) =>
        LIVE_EMOJIS.every((e) => (c.liveReactions[e] ?? 0) === (acked[e] ?? 0)) &&
        Object.keys(c.liveReactions).length <= LIVE_EMOJIS.length,
    ).length;
  let exact = 0;
  while (performance.now() - sendEnd < settleMs) {
    if (answered === reactions && (exact = exactViewers()) === members) break;
    await sleep(50);
  }
  const end = performance.now();
  process.send({ event: 'window-end' });
  if (exact !== members) exact = exactViewers();
  const settledMs = exact === members && answered === reactions ? end - sendEnd : Number.NaN;
  const windowSeconds = (end - t0) / 1000;
  // Frames a second per viewer while reactions were sent (the whole seconds of `sendMs`).
  const sendSeconds = Math.floor(sendMs / 1000);
  const rates = perSecondFrames.map((b) => b.slice(0, sendSeconds).reduce((a, x) => a + x, 0) / sendSeconds).sort((a, b) => a - b);
  const maxInASecond = perSecondFrames.reduce((m, b) => Math.max(m, ...b.slice(0, Math.floor(windowSeconds))), 0);
  const received = clients.map((c) => Object.values(c.liveReactions).reduce((a, b) => a + b, 0));
  const receivedPerViewer = received.reduce((a, b) => a + b, 0) / members;
  const bytesPerViewer = total('bytesIn') / members;
  return {
    viewers: members,
    joinMs,
    sent: reactions,
    acked: ackedTotal(),
    answered,
    refused,
    firstRefusal,
    exact,
    settledMs,
    windowMs: end - t0,
    framesPerSecMedian: rates[Math.floor((rates.length - 1) / 2)],
    framesPerSecMax: rates[rates.length - 1],
    maxFramesInASecond: maxInASecond,
    receivedPerViewer,
    receivedMin: Math.min(...received),
    bytesPerViewer,
    reactionBytesPerViewer: total('liveReactionBytes') / members,
    bytesPerReaction: bytesPerViewer / Math.max(1, receivedPerViewer),
  };
};

/**
 * Everyone in one room acts on the same message within `spreadMs` (`act` sends the request).
 * Counts the `message:updated` frames all members receive (naive fan-out: members x members) and
 * checks that every member ends with the exact count (`countOf` reads it from a frame): each keeps
 * the copy with the highest `rev` it was sent.
 */
async function storm({ url, mode, members, spreadMs, roomId, waitMs, countOf, act }) {
  await connectAll(url, members, mode, () => roomId);
  const sent = await clients[0].request('message:send', { roomId, clientId: `${roomId}-target`, text: 'the storm is about me' });
  const messageId = sent?.data?.message?.id;
  if (!messageId) throw new Error(`could not post the target message: ${JSON.stringify(sent)}`);
  await sleep(200);
  const latest = clients.map(() => ({ rev: -1, count: 0 }));
  clients.forEach((client, i) => {
    client.updates = 0;
    client.onUpdatedFrame = (frame) => {
      const rev = Number(/"rev":(\d+)/u.exec(frame)?.[1] ?? 0);
      if (rev <= latest[i].rev) return;
      latest[i] = { rev, count: countOf(frame) };
    };
  });
  const exact = () => latest.filter((l) => l.count === members).length;
  let refused = 0;
  let firstRefusal;
  const t0 = performance.now();
  const acks = clients.map(
    (client, i) =>
      new Promise((resolve) =>
        setTimeout(
          () => {
            act(client, i, messageId).then((ack) => {
              if (!ack?.ok) {
                refused++;
                firstRefusal ??= ack?.error?.code;
              }
              resolve();
            });
          },
          (i * spreadMs) / members,
        ),
      ),
  );
  await Promise.all(acks);
  const acksMs = performance.now() - t0;
  while (exact() < members && performance.now() - t0 < spreadMs + waitMs) await sleep(20);
  const allExactMs = exact() === members ? performance.now() - t0 : Number.NaN;
  await sleep(300); // trailing updates, to count them
  return { updates: total('updates'), naive: members * members, exact: exact(), refused, firstRefusal, acksMs, allExactMs };
}

/** Everyone in one room reacts to the same message within `spreadMs`; each ends with the exact count. */
scenarios.reactionStorm = ({ url, mode, members, spreadMs = 1000 }) =>
  storm({
    url,
    mode,
    members,
    spreadMs,
    roomId: 'reactions',
    waitMs: 15_000,
    countOf: (frame) => Number(/"count":(\d+)/u.exec(frame)?.[1] ?? 0),
    act: (client, _i, messageId) => client.request('reaction:add', { roomId: 'reactions', messageId, emoji: '👍' }),
  });

/**
 * Everyone in one room answers the same message in its thread within `spreadMs` (issue 27); each
 * ends with the parent's exact `replyCount` (naive: the parent's new count to everyone per reply).
 */
scenarios.threadStorm = ({ url, mode, members, spreadMs = 1000 }) =>
  storm({
    url,
    mode,
    members,
    spreadMs,
    roomId: 'thread-storm',
    waitMs: 30_000,
    countOf: (frame) => Number(/"replyCount":(\d+)/u.exec(frame)?.[1] ?? 0),
    act: (client, i, threadOf) =>
      client.request('message:send', { roomId: 'thread-storm', clientId: `storm-reply-${i}`, text: `reply ${i}`, threadOf }),
  });

process.on('message', async (msg) => {
  if (msg.cmd === 'run') {
    try {
      const result = await scenarios[msg.scenario](msg.options);
      process.send({ event: 'result', result });
    } catch (error) {
      process.send({ event: 'error', message: String(error?.stack ?? error) });
    }
  } else if (msg.cmd === 'close') {
    for (const c of clients) c.close();
    process.exit(0);
  }
});
process.send({ event: 'ready' });
