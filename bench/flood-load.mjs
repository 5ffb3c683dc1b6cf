// The flood scenario's client processes, forked by flood.mjs, one per role, so that the
// attacker's traffic does not slow the measuring process:
//   `flood-load.mjs quiet`: K quiet users in room `flood`, each sending a small message on a
//     fixed interval; measures send->ack and send->delivery latency in windows.
//   `flood-load.mjs attacker`: one user (one guestKey) on several sockets flooding the server.
// Commands over IPC: quiet { setup, window-start, window-end, close }, attacker { start, stop }.
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { FLOOD_ROOM, FLOOD_SEED, bigMessage } from './flood-payloads.mjs';
import { LightClient } from './light-client.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const role = process.argv[2];
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : Number.NaN;
};

// ---------------------------------------------------------------- quiet users
const quiet = {
  clients: [],
  timers: [],
  windowStart: Number.POSITIVE_INFINITY,
  windowEnd: Number.POSITIVE_INFINITY,
  acks: [],
  deliveries: [],
  pending: new Set(),
  sentInWindow: 0,
  sentBy0InWindow: 0,
  failed: 0,

  async setup({ url, users, intervalMs }) {
    for (let i = 0; i < users; i++) {
      const client = new LightClient(url, { name: `quiet-${i}`, guestKey: `flood-quiet-key-${String(i).padStart(6, '0')}` });
      await client.connect();
      await client.request('room:join', { roomId: FLOOD_ROOM });
      this.clients.push(client);
    }
    // Client 0 is also the receiver: it times the delivery of everyone else's messages.
    this.clients[0].onMessageFrame = (frame) => {
      const at = frame.indexOf('"text":"q');
      if (at < 0) return;
      const sentAt = Number.parseFloat(frame.slice(at + 9));
      if (sentAt >= this.windowStart && sentAt < this.windowEnd) this.deliveries.push(performance.now() - sentAt);
    };
    let n = 0;
    this.clients.forEach((client, i) => {
      const send = () => {
        const sentAt = performance.now();
        const sampled = sentAt >= this.windowStart && sentAt < this.windowEnd;
        if (sampled) {
          this.sentInWindow++;
          if (i === 0) this.sentBy0InWindow++;
        }
        const ack = client.request('message:send', { roomId: FLOOD_ROOM, clientId: `q-${i}-${n++}`, text: `q${sentAt}` }).then((a) => {
          if (!a?.ok) this.failed++;
          if (sampled) this.acks.push(performance.now() - sentAt);
        });
        if (sampled) {
          this.pending.add(ack);
          void ack.then(() => this.pending.delete(ack));
        }
      };
      // Staggered, so that the sends of K users spread over the interval.
      this.timers.push(setTimeout(() => this.timers.push(setInterval(send, intervalMs)), (intervalMs * i) / users));
    });
  },

  windowBegin() {
    this.acks = [];
    this.deliveries = [];
    this.sentInWindow = 0;
    this.sentBy0InWindow = 0;
    this.failed = 0;
    this.windowEnd = Number.POSITIVE_INFINITY;
    this.windowStart = performance.now();
  },

  // Stops sampling, then waits (bounded) for the sampled sends still outstanding.
  async windowFinish(maxWaitMs) {
    this.windowEnd = performance.now();
    const expectedDeliveries = this.sentInWindow - this.sentBy0InWindow;
    const deadline = performance.now() + maxWaitMs;
    while ((this.pending.size > 0 || this.deliveries.length < expectedDeliveries) && performance.now() < deadline) await sleep(20);
    // Never answered, or never delivered, in time: counted as infinitely late.
    const lostAcks = this.sentInWindow - this.acks.length;
    const lostDeliveries = Math.max(0, expectedDeliveries - this.deliveries.length);
    const acks = [...this.acks, ...Array(lostAcks).fill(Number.POSITIVE_INFINITY)];
    const deliveries = [...this.deliveries, ...Array(lostDeliveries).fill(Number.POSITIVE_INFINITY)];
    this.windowStart = Number.POSITIVE_INFINITY;
    return {
      sends: this.sentInWindow,
      ackP50: pct(acks, 0.5),
      ackP99: pct(acks, 0.99),
      deliveryP50: pct(deliveries, 0.5),
      deliveryP99: pct(deliveries, 0.99),
      lostAcks,
      lostDeliveries,
      failedSends: this.failed,
    };
  },
};

// ---------------------------------------------------------------- the attacker
// A minimal Socket.IO client that looks only at the first bytes of each frame: a page of 100
// large messages is about 1.6 MB, and parsing it here would slow this process, not the server.
class FloodSocket {
  #ws;
  #ackId = 0;
  #acks = new Map();
  constructor(url, auth) {
    this.url = url.replace(/^http/u, 'ws') + '/socket.io/?EIO=4&transport=websocket';
    this.auth = auth;
  }
  connect() {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url, { perMessageDeflate: false, maxPayload: 1024 * 1024 * 1024 });
      this.#ws = ws;
      ws.on('error', reject);
      ws.on('message', (data) => {
        const c0 = data[0];
        if (c0 === 0x34 && data[1] === 0x33) {
          let i = 2;
          while (data[i] !== 0x5b /* [ */) i++;
          const id = Number(data.subarray(2, i).toString());
          const ack = this.#acks.get(id);
          this.#acks.delete(id);
          // '[{"ok":false,...}]' is small: parse it; a success is only counted.
          const ok = data.subarray(i, i + 12).toString() !== '[{"ok":false';
          ack?.(ok ? { ok: true, bytes: data.length } : JSON.parse(data.subarray(i).toString())[0]);
        } else if (c0 === 0x34 && data[1] === 0x30) resolve(this);
        else if (c0 === 0x34 && data[1] === 0x34) reject(new Error(`refused: ${data}`));
        else if (c0 === 0x30) ws.send('40' + JSON.stringify(this.auth));
        else if (c0 === 0x32) ws.send('3');
      });
    });
  }
  request(event, payload) {
    const id = ++this.#ackId;
    return new Promise((resolve) => {
      this.#acks.set(id, resolve);
      this.#ws.send('42' + id + JSON.stringify([event, payload]));
    });
  }
  /** Sends without waiting for (or reading) the answer. */
  fire(event, payload) {
    this.#ws.send('42' + ++this.#ackId + JSON.stringify([event, payload]));
  }
  /** Stops reading from the TCP socket: the server's answers pile up on its side. */
  stopReading() {
    this.#ws._socket.pause();
  }
  close() {
    this.#ws?.terminate();
  }
}

const attack = {
  running: false,
  sockets: [],
  loops: [],
  counts: { requests: 0, ok: 0, okBytes: 0, rateLimited: 0, otherErrors: 0, codes: {} },

  async once(socket, event, payload, respectRetryAfter) {
    this.counts.requests++;
    const answer = await socket.request(event, payload);
    if (answer?.ok) {
      this.counts.ok++;
      this.counts.okBytes += answer.bytes ?? 0;
      return answer;
    }
    const code = answer?.error?.code ?? 'none';
    this.counts.codes[code] = (this.counts.codes[code] ?? 0) + 1;
    if (code === 'RATE_LIMITED') {
      this.counts.rateLimited++;
      if (respectRetryAfter) await sleep(answer.error.retryAfter ?? 100);
    } else {
      this.counts.otherErrors++;
      if (respectRetryAfter) await sleep(50);
    }
    return answer;
  },

  // `window` loops per socket, each one request at a time, for as long as the flood runs.
  loop(window, body) {
    for (const socket of this.sockets) {
      for (let w = 0; w < window; w++) {
        this.loops.push(
          (async () => {
            let n = 0;
            while (this.running) await body(socket, n++, w);
          })(),
        );
      }
    }
  },

  async start({ url, kind, sockets }) {
    // One user: the same guestKey on every socket.
    const auth = { name: 'attacker', guestKey: 'flood-attacker-key-000001' };
    for (let i = 0; i < sockets; i++) {
      const socket = new FloodSocket(url, auth);
      await socket.connect();
      await socket.request('room:join', { roomId: FLOOD_ROOM });
      this.sockets.push(socket);
    }
    this.running = true;
    const page = () => ({ roomId: FLOOD_ROOM, limit: 100, before: 101 + Math.floor(Math.random() * (FLOOD_SEED - 100)) });
    switch (kind) {
      case 'history': // as fast as the server lets it, waiting out RATE_LIMITED
        this.loop(4, (s) => this.once(s, 'message:history', page(), true));
        break;
      case 'history-ignore': // the same, ignoring retryAfter: refused requests are retried at once
        this.loop(16, (s) => this.once(s, 'message:history', page(), false));
        break;
      case 'history-noread': // asks for pages and never reads the answers
        for (const socket of this.sockets) socket.stopReading();
        this.loops.push(
          (async () => {
            while (this.running) {
              for (const socket of this.sockets) {
                socket.fire('message:history', page());
                this.counts.requests++;
              }
              await sleep(20);
            }
          })(),
        );
        break;
      case 'typing':
        this.loop(2, (s, n) => this.once(s, 'typing', { roomId: FLOOD_ROOM, typing: n % 2 === 0 }, true));
        break;
      case 'join-leave': // every join answers with a page of 50 large messages
        this.loop(1, async (s) => {
          await this.once(s, 'room:leave', { roomId: FLOOD_ROOM }, true);
          await this.once(s, 'room:join', { roomId: FLOOD_ROOM }, true);
        });
        break;
      case 'send': // large messages at the per-user message limit
        this.loop(2, (s, n, w) =>
          this.once(s, 'message:send', { roomId: FLOOD_ROOM, clientId: `a-${w}-${n}-${Math.random()}`, ...bigMessage(n) }, true),
        );
        break;
      default:
        throw new Error(`unknown flood kind ${kind}`);
    }
  },

  async stop() {
    this.running = false;
    for (const socket of this.sockets) socket.close();
    return this.counts;
  },
};

process.on('message', async (msg) => {
  try {
    if (role === 'quiet') {
      if (msg.cmd === 'setup') {
        await quiet.setup(msg.options);
        process.send({ event: 'ready' });
      } else if (msg.cmd === 'window-start') {
        quiet.windowBegin();
        process.send({ event: 'window-started' });
      } else if (msg.cmd === 'window-end') {
        process.send({ event: 'window', result: await quiet.windowFinish(msg.maxWaitMs ?? 12_000) });
      } else if (msg.cmd === 'close') {
        for (const t of quiet.timers) clearInterval(t);
        for (const c of quiet.clients) c.close();
        process.exit(0);
      }
    } else if (role === 'attacker') {
      if (msg.cmd === 'start') {
        await attack.start(msg.options);
        process.send({ event: 'started' });
      } else if (msg.cmd === 'stop') {
        process.send({ event: 'stopped', counts: await attack.stop() });
        process.exit(0);
      }
    }
  } catch (error) {
    process.send({ event: 'error', message: String(error?.stack ?? error) });
  }
});
process.send({ event: 'ready-process' });
