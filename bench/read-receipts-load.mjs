// The read-receipts scenario's load process: N light clients in one room, every one a reader
// that marks read as messages arrive, the way the SDK does (`room.markRead()` at the bottom of
// the list): one `read:mark` on the way at a time and at most one a second, marks asked
// meanwhile sent once, with the highest seq. Each client keeps its view of the room's read marks as the SDK does (the join
// answer's `reads`, then `read` events, and a message moving its sender's mark, for the members it
// knows: from the join answer or from presence; see RoomReads in @chat/client). Driven over IPC
// by read-receipts.mjs: setup, rate (fixed sends per second), flood (as fast as acks allow),
// settle (senders stop, readers catch up), views; reads can be switched on and off.
import { performance } from 'node:perf_hooks';
import { LightClient } from './light-client.mjs';

const ROOM = 'reads';
const SEQ = /"seq":(\d+)/u;
const SENDER = /"user":\{"id":"([^"]+)"/u;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** The SDK's least time between two marks of one room (MARK_INTERVAL_MS in @chat/client's read-state.ts). */
const MARK_INTERVAL_MS = 1000;

/** One member: a light client plus its reader state. */
class Reader {
  /** This member's user id (from the join answer). */
  selfId = '';
  /** The highest seq this client has seen (delivered, or sent by itself). */
  newest = 0;
  /** Its own mark as the server last answered it, or as its own send moved it. */
  readSeq = 0;
  /** Other members' marks as this client knows them (the SDK's `reads`). */
  others = new Map();
  /** Members this client knows (the join answer's marks and members present, presence deltas). */
  members = new Set();
  /**
   * The newest seq sent by senders not (yet) known as members: a member who joined after this
   * client's join answer was read is in neither its marks nor its members, and the server sends
   * no `read` for a mark moved by a send (the message is the receipt). Applied once presence
   * shows them, as the SDK does.
   */
  sentByOthers = new Map();
  readEvents = 0;
  readBytes = 0;
  marks = 0;
  #target = 0;
  #pumping = false;
  #sentAt = Number.NEGATIVE_INFINITY;
  /** Presence deltas that came before the join answer. */
  #early = [];

  /** A mark is on the way. */
  get pumping() {
    return this.#pumping;
  }

  constructor(client, shared) {
    this.client = client;
    this.shared = shared;
    client.onMessageFrame = (frame) => {
      const seq = Number(SEQ.exec(frame)?.[1] ?? 0);
      if (seq > this.newest) this.newest = seq;
      // The SDK's rule: a message moves its sender's mark, for members it knows (a mark, or seen
      // as a member); another sender's seq is kept until presence shows them as a member.
      const sender = SENDER.exec(frame)?.[1];
      if (sender !== undefined && sender !== this.selfId) this.sent(sender, seq);
      if (this.shared.reading) this.mark(this.newest);
    };
    // Members who joined after this client: the join answers of a room's first members, read
    // while the others were still joining, know nothing of them. A delta that comes before the
    // answer is applied after it, as the SDK does (the answer may have been read before it).
    client.onPresence = (delta) => {
      if (this.#early) this.#early.push(delta);
      else for (const m of delta.joined) this.member(m.id);
    };
    client.onEventFrame = (frame) => {
      if (!frame.startsWith('42["read"')) return;
      this.readEvents++;
      this.readBytes += frame.length;
      const { userId, seq } = JSON.parse(frame.slice(2))[1];
      if (userId === this.selfId) return;
      this.moved(userId, seq);
    };
  }

  /**
   * The room's join answer: own mark and, in rooms small enough for receipts, the others'; who
   * is present. It replaces what was known, as the SDK's does.
   */
  joined(data) {
    this.selfId = data.self.id;
    this.readSeq = data.readSeq;
    this.others.clear();
    this.members.clear();
    this.sentByOthers.clear();
    for (const r of data.reads) {
      this.others.set(r.userId, r.seq);
      this.members.add(r.userId);
    }
    for (const m of data.members) this.member(m.id);
    for (const m of data.messages) if (m.seq > this.newest) this.newest = m.seq;
    const early = this.#early;
    this.#early = undefined;
    for (const delta of early) for (const m of delta.joined) this.member(m.id);
  }

  /** A member the room shows: a seq they sent before it knew them moves their mark now. */
  member(userId) {
    if (userId === this.selfId || this.members.has(userId)) return;
    this.members.add(userId);
    const sent = this.sentByOthers.get(userId);
    if (sent === undefined) return;
    this.sentByOthers.delete(userId);
    this.moved(userId, sent);
  }

  /** Another member's mark moved to `seq` (a `read` event, or a message of theirs). */
  moved(userId, seq) {
    if (seq > (this.others.get(userId) ?? 0)) this.others.set(userId, seq);
    this.members.add(userId);
  }

  /** Another user's message: it moves their mark if they are a known member, else it is kept for when they are. */
  sent(userId, seq) {
    if (this.others.has(userId) || this.members.has(userId)) this.moved(userId, seq);
    else if (seq > (this.sentByOthers.get(userId) ?? 0)) this.sentByOthers.set(userId, seq);
  }

  /** A message this client sent was stored: the server moved its own mark with it. */
  sentOwn(seq) {
    if (seq > this.newest) this.newest = seq;
    if (seq > this.readSeq) this.readSeq = seq;
  }

  /**
   * `room.markRead(seq)`: at most one mark on the way and one per MARK_INTERVAL_MS (a quiet
   * room's at once); later asks go out once, with the highest.
   */
  mark(seq) {
    if (seq <= this.readSeq || seq <= this.#target) return;
    this.#target = seq;
    if (!this.#pumping) void this.#pump();
  }

  async #pump() {
    this.#pumping = true;
    try {
      while (this.#target > this.readSeq) {
        const wait = this.#sentAt + MARK_INTERVAL_MS - performance.now();
        if (wait > 0) await sleep(wait);
        const target = this.#target;
        this.#sentAt = performance.now();
        this.marks++;
        const ack = await this.client.request('read:mark', { roomId: ROOM, seq: target });
        if (!ack?.ok) throw new Error(`read:mark refused: ${JSON.stringify(ack)}`);
        if (ack.data.seq > this.readSeq) this.readSeq = ack.data.seq;
        // The server clamps to the last message: asking the same target again changes nothing.
        if (this.#target === target && this.readSeq < target) this.#target = this.readSeq;
      }
    } catch (error) {
      this.shared.errors.push(String(error));
    } finally {
      this.#pumping = false;
    }
  }
}

let readers = [];
const shared = { reading: false, errors: [] };
let lastSeq = 0;

function totals() {
  let deliveries = 0;
  let bytesIn = 0;
  let bytesOut = 0;
  let readEvents = 0;
  let readBytes = 0;
  let marks = 0;
  for (const r of readers) {
    deliveries += r.client.deliveries;
    bytesIn += r.client.bytesIn;
    bytesOut += r.client.bytesOut;
    readEvents += r.readEvents;
    readBytes += r.readBytes;
    marks += r.marks;
  }
  return { deliveries, bytesIn, bytesOut, readEvents, readBytes, marks, cpu: process.cpuUsage(), at: performance.now() };
}

/** What happened between two `totals()`: counts, per second, and this process's CPU. */
function between(a, b) {
  const seconds = (b.at - a.at) / 1000;
  const cpuMs = (b.cpu.user - a.cpu.user + b.cpu.system - a.cpu.system) / 1000;
  const out = { seconds, loadCpuShare: cpuMs / (seconds * 1000) };
  for (const k of ['deliveries', 'bytesIn', 'bytesOut', 'readEvents', 'readBytes', 'marks']) out[k] = b[k] - a[k];
  return out;
}

async function send(reader, n) {
  const ack = await reader.client.request('message:send', { roomId: ROOM, clientId: `r-${reader.selfId}-${n}`, text: 'x' });
  if (!ack?.ok) throw new Error(`message:send refused: ${JSON.stringify(ack)}`);
  const seq = ack.data.message.seq;
  reader.sentOwn(seq);
  if (seq > lastSeq) lastSeq = seq;
}

let sendCount = 0;

/** Sends `rate` messages a second, round robin over the first `senders` members, for `ms`. */
async function atRate({ rate, senders, ms }) {
  const pending = new Set();
  const t0 = performance.now();
  let sent = 0;
  while (performance.now() - t0 < ms) {
    // On schedule from the start, not from the last tick: a late timer sends what is due.
    const due = Math.floor(((performance.now() - t0) / 1000) * rate) + 1;
    for (; sent < due; sent++) {
      const p = send(readers[sent % senders], sendCount++).catch((e) => shared.errors.push(String(e)));
      pending.add(p);
      void p.finally(() => pending.delete(p));
    }
    await sleep(Math.max(1, 1000 / rate / 2));
  }
  return { sent, pending };
}

/** Keeps `window` sends outstanding from the first member for `ms`. */
async function asFastAsAcks({ window, ms }) {
  let running = true;
  const loops = Array.from({ length: window }, async () => {
    while (running) await send(readers[0], sendCount++);
  });
  await sleep(ms);
  running = false;
  await Promise.all(loops);
}

const commands = {
  async setup({ url, members }) {
    readers = [];
    const batch = 50;
    for (let i = 0; i < members; i += batch) {
      const group = [];
      for (let j = i; j < Math.min(members, i + batch); j++) {
        const client = new LightClient(url, { name: `reader-${j}`, guestKey: `bench-reader-key-${String(j).padStart(6, '0')}` });
        const reader = new Reader(client, shared);
        readers.push(reader);
        group.push(
          client.connect().then(async () => {
            const ack = await client.request('room:join', { roomId: ROOM });
            if (!ack?.ok) throw new Error(`room:join refused: ${JSON.stringify(ack)}`);
            reader.joined(ack.data);
          }),
        );
      }
      await Promise.all(group);
    }
    return { members: readers.length };
  },

  /** A window at a fixed rate of sends; `reading` switches marking on or off first. */
  async rate({ rate, senders, warmupMs, durationMs, reading }) {
    shared.reading = reading;
    const run = atRate({ rate, senders, ms: warmupMs + durationMs });
    await sleep(warmupMs);
    process.send({ event: 'window-start' });
    const a = totals();
    await sleep(durationMs);
    const b = totals();
    process.send({ event: 'window-end' });
    const { sent, pending } = await run;
    await Promise.all(pending);
    const window = between(a, b);
    return { ...window, messages: rate * window.seconds, sent };
  },

  /** A window as fast as acks allow (deliveries per second); `reading` as above. */
  async flood({ window: outstanding, warmupMs, durationMs, reading }) {
    shared.reading = reading;
    const run = asFastAsAcks({ window: outstanding, ms: warmupMs + durationMs + 50 });
    await sleep(warmupMs);
    process.send({ event: 'window-start' });
    const a = totals();
    await sleep(durationMs);
    const b = totals();
    process.send({ event: 'window-end' });
    await run;
    const w = between(a, b);
    return { ...w, deliveriesPerSec: w.deliveries / w.seconds, marksPerSec: w.marks / w.seconds };
  },

  /**
   * Sends stop; readers mark up to the last message. Resolves once every member's own mark is
   * the room's last seq (or after `timeoutMs`), with how long that took.
   */
  async settle({ timeoutMs }) {
    shared.reading = true;
    const t0 = performance.now();
    for (const r of readers) r.mark(r.newest);
    while (readers.some((r) => r.readSeq < lastSeq) && performance.now() - t0 < timeoutMs) await sleep(20);
    const behind = readers.filter((r) => r.readSeq < lastSeq);
    return {
      lastSeq,
      caughtUp: readers.length - behind.length,
      settleMs: performance.now() - t0,
      // Why some are behind, if any: messages not delivered yet, or a mark never answered.
      behindNewest: behind.length ? Math.min(...behind.map((r) => r.newest)) : lastSeq,
      behindPumping: behind.filter((r) => r.pumping).length,
    };
  },

  /** Every client's view: its own mark and the others' it knows, by user id. */
  async views() {
    return {
      views: readers.map((r) => ({ selfId: r.selfId, readSeq: r.readSeq, others: Object.fromEntries(r.others) })),
      errors: shared.errors.slice(0, 5),
      errorCount: shared.errors.length,
    };
  },
};

process.on('message', async (msg) => {
  if (msg.cmd === 'close') {
    for (const r of readers) r.client.close();
    process.exit(0);
  }
  try {
    const result = await commands[msg.cmd](msg.options ?? {});
    process.send({ event: 'done', cmd: msg.cmd, result });
  } catch (error) {
    process.send({ event: 'error', message: String(error?.stack ?? error) });
  }
});
process.send({ event: 'ready' });
