// A trace of where a stored message's time goes in a chat-pg bench server, counted rather than
// timed end to end (on a machine shared with other work, latencies are the load's; what a send
// waited for and how often are not). Turned on with CHAT_BENCH_TRACE=<file> (bench/server.mjs):
// every second one line of JSON is appended to the file:
//
// - appends, and those whose room had a batch in flight when asked (they wait for it: per-room order);
// - group commit's batches: count, rows per batch, how many were in flight when each was sent,
//   queued ms (appendMessage asked -> its batch sent) and statement ms (sent -> answered);
// - every other statement the server sent (its first words: reads on the send path show here);
// - the garbage collector (count, ms, longest, by kind) and the event loop's delay;
// - the wait events of this server's active PostgreSQL backends, sampled every 2 ms: how often a
//   batch was on the CPU, waiting for the WAL flush (IO:WALSync, LWLock:WALWrite), a lock, ...;
//   and the checkpointer's (IO:DataFileSync: a checkpoint is syncing the data files, which the WAL
//   flushes of the same disk then queue behind; Timeout:CheckpointWriteDelay: writing, paced).
//
// It wraps pg's Client.query and PostgresStore.appendMessage from outside: nothing in the store
// knows of it. Not for production: it is a bench's microscope.
import { appendFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { PerformanceObserver, monitorEventLoopDelay, performance } from 'node:perf_hooks';

const GC_KINDS = { 1: 'scavenge', 2: 'minor-mark-compact', 4: 'mark-compact', 8: 'incremental', 16: 'weak-callbacks' };

function freshWindow() {
  return {
    appends: 0,
    behindBusyRoom: 0,
    batches: 0,
    batchRows: 0,
    inFlightAtSend: [0, 0, 0, 0, 0],
    queuedMs: [],
    statementMs: [],
    statements: {},
    gc: {},
    waits: {},
    waitSamples: 0,
  };
}

const percentile = (xs, p) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length ? Number(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(2)) : null;
};
const spread = (xs) => ({ p50: percentile(xs, 0.5), p99: percentile(xs, 0.99), max: percentile(xs, 1) });
const isBatch = (query) => typeof query?.name === 'string' && query.name.startsWith('chat_append_batch');
const firstWords = (query) => (typeof query === 'string' ? query : (query?.text ?? '')).replace(/\s+/gu, ' ').trim().slice(0, 48);

/**
 * Starts the trace: `pg` the module the store uses, `PostgresStore` its class, `applicationName`
 * the server's connections' name (their wait events are sampled on a connection of its own).
 */
export async function startPgTrace({ pg, PostgresStore, connectionString, applicationName, file }) {
  let w = freshWindow();
  const askedAt = new Map(); // room \0 clientId -> when appendMessage was called
  const roomsInFlight = new Map(); // room -> batches in flight holding it
  let inFlight = 0;

  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function traced(config, values, callback) {
    if (this.traceSampler) return query.call(this, config, values, callback);
    const sentAt = performance.now();
    const batch = isBatch(config);
    const rooms = batch ? config.values[0] : [];
    if (batch) {
      w.batches += 1;
      w.batchRows += rooms.length;
      w.inFlightAtSend[Math.min(4, inFlight)] += 1;
      inFlight += 1;
      rooms.forEach((room, i) => {
        const key = `${room}\0${config.values[1][i]}`;
        const asked = askedAt.get(key);
        if (asked !== undefined) w.queuedMs.push(sentAt - asked);
        askedAt.delete(key);
        roomsInFlight.set(room, (roomsInFlight.get(room) ?? 0) + 1);
      });
    } else {
      const words = firstWords(config);
      w.statements[words] = (w.statements[words] ?? 0) + 1;
    }
    const answered = () => {
      if (!batch) return;
      w.statementMs.push(performance.now() - sentAt);
      inFlight -= 1;
      for (const room of rooms) {
        const left = roomsInFlight.get(room) - 1;
        if (left === 0) roomsInFlight.delete(room);
        else roomsInFlight.set(room, left);
      }
    };
    // pg.Pool passes a callback; a client's own query returns a promise.
    if (typeof callback === 'function') return query.call(this, config, values, (...args) => (answered(), callback(...args)));
    if (typeof values === 'function') return query.call(this, config, (...args) => (answered(), values(...args)));
    const result = query.call(this, config, values);
    result?.then?.(answered, answered);
    return result;
  };

  const append = PostgresStore.prototype.appendMessage;
  PostgresStore.prototype.appendMessage = function traced(draft) {
    w.appends += 1;
    if (roomsInFlight.has(draft.roomId)) w.behindBusyRoom += 1;
    askedAt.set(`${draft.roomId}\0${draft.clientId}`, performance.now());
    return append.call(this, draft);
  };

  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = GC_KINDS[entry.detail?.kind] ?? String(entry.detail?.kind);
      const gc = (w.gc[kind] ??= { n: 0, ms: 0, maxMs: 0 });
      gc.n += 1;
      gc.ms = Number((gc.ms + entry.duration).toFixed(2));
      gc.maxMs = Number(Math.max(gc.maxMs, entry.duration).toFixed(2));
    }
  }).observe({ entryTypes: ['gc'] });
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();

  const sampler = new pg.Client({ connectionString });
  sampler.traceSampler = true;
  await sampler.connect();
  const sample = async () => {
    const { rows } = await sampler.query(
      `SELECT COALESCE(wait_event_type || ':' || wait_event, 'CPU') AS wait,
         CASE WHEN backend_type = 'checkpointer' THEN 'checkpointer' WHEN query LIKE '%WITH input AS%' THEN 'batch' ELSE 'other' END AS who
       FROM pg_stat_activity WHERE (application_name = $1 AND state = 'active') OR backend_type = 'checkpointer'`,
      [applicationName],
    );
    w.waitSamples += 1;
    for (const { wait, who } of rows) {
      const key = `${who} ${wait}`;
      w.waits[key] = (w.waits[key] ?? 0) + 1;
    }
    setTimeout(() => void sample().catch(() => undefined), 2).unref();
  };
  void sample().catch(() => undefined);

  setInterval(() => {
    const line = {
      at: new Date().toISOString(),
      load1: loadavg()[0],
      appends: w.appends,
      behindBusyRoom: w.behindBusyRoom,
      batches: w.batches,
      rowsPerBatch: w.batches ? Number((w.batchRows / w.batches).toFixed(1)) : 0,
      inFlightAtSend: w.inFlightAtSend,
      queuedMs: spread(w.queuedMs),
      statementMs: spread(w.statementMs),
      loopDelayMs: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
      gc: w.gc,
      waits: w.waits,
      waitSamples: w.waitSamples,
      statements: w.statements,
    };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
    loop.reset();
    w = freshWindow();
  }, 1000).unref();
}
