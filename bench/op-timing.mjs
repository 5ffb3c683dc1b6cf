// Where the time of one in-process operation goes, for benches whose tail the machine's load can
// hide: its wall time, the main thread's CPU time and its wait for a core (Linux's schedstat of the
// thread: load from other processes shows as run-queue wait, not as CPU), the event loop's idle
// time (waiting for the thread pool: WebCrypto's jobs run there) and the GC pauses inside it.
// Linux updates a thread's schedstat CPU time when the thread is switched out (and on a timer
// tick), not when it is read: an operation's `cpu` misses what ran since the thread last slept,
// more so for an operation that never waits. `threadCpu` (the thread's CPU from the first
// operation to the summary, read after the thread slept, divided by the operations) has no such
// gap, but counts what ran between operations too.
import { readFileSync } from 'node:fs';
import { performance, PerformanceObserver } from 'node:perf_hooks';

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const round = (n) => Math.round(n * 1000) / 1000;

/** p50, p99 and max of a list of numbers. */
export function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted[sorted.length - 1] };
}

// The calling thread's own: a worker's timer reads its worker's thread.
const schedstat = '/proc/thread-self/schedstat';
/** The calling thread's [cpu, run-queue wait] in ms, or undefined off Linux. */
function threadTimes() {
  try {
    const [cpu, wait] = readFileSync(schedstat, 'utf8').split(' ').map(Number);
    return [cpu / 1e6, wait / 1e6];
  } catch {
    return undefined;
  }
}

/** Times operations by kind; `summary()` answers each kind's wall time and what its slowest 1% spent it on. */
export function opTimer() {
  const pauses = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push({ start: e.startTime, end: e.startTime + e.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  const ops = new Map();
  let firstThreadTimes;
  const gcWithin = (a, b) => pauses.reduce((sum, p) => sum + Math.max(0, Math.min(b, p.end) - Math.max(a, p.start)), 0);

  return {
    /** Runs `work` as one operation of `kind`; answers its result. */
    async time(kind, work) {
      const threadBefore = threadTimes();
      firstThreadTimes ??= threadBefore;
      const loopBefore = performance.eventLoopUtilization();
      const start = performance.now();
      const result = await work();
      const end = performance.now();
      const loop = performance.eventLoopUtilization(loopBefore);
      const threadAfter = threadTimes();
      const list = ops.get(kind) ?? [];
      ops.set(kind, list);
      list.push({
        index: list.length,
        start,
        end,
        wall: end - start,
        idle: loop.idle,
        ...(threadBefore && threadAfter && { cpu: threadAfter[0] - threadBefore[0], wait: threadAfter[1] - threadBefore[1] }),
      });
      return result;
    },
    /** Per kind: wall p50/p99/max, and the mean of each part over the middle band (p40-p60) and the slowest 1%. */
    async summary() {
      const threadNow = threadTimes();
      // GC entries arrive after the pause: let the observer catch up before reading them.
      await new Promise((resolve) => setTimeout(resolve, 20));
      observer.disconnect();
      const out = {};
      for (const [kind, list] of ops) {
        for (const op of list) op.gc = gcWithin(op.start, op.end);
        const sorted = [...list].sort((a, b) => a.wall - b.wall);
        const mean = (band, key) =>
          band.length === 0 || band[0][key] === undefined ? undefined : round(band.reduce((s, o) => s + o[key], 0) / band.length);
        const part = (band) => ({
          wallMs: mean(band, 'wall'),
          mainThreadCpuMs: mean(band, 'cpu'),
          runQueueWaitMs: mean(band, 'wait'),
          loopIdleMs: mean(band, 'idle'),
          gcMs: mean(band, 'gc'),
        });
        out[kind] = {
          ...stats(list.map((o) => o.wall)),
          ...(list[0].cpu !== undefined && { mainThreadCpu: stats(list.map((o) => o.cpu)) }),
          median: part(sorted.slice(Math.floor(sorted.length * 0.4), Math.ceil(sorted.length * 0.6))),
          slowest1pct: part(sorted.slice(Math.floor(sorted.length * 0.99))),
          withGc: list.filter((o) => o.gc > 0).length,
          // The slowest 1% one by one: which (index: the nth of its kind, 0 the first) and on what.
          slowestOps: sorted.slice(Math.floor(sorted.length * 0.99)).map((o) => ({
            index: o.index,
            ...Object.fromEntries(['wall', 'cpu', 'wait', 'idle', 'gc'].filter((k) => o[k] !== undefined).map((k) => [k, round(o[k])])),
          })),
        };
      }
      const first = Math.min(...[...ops.values()].flat().map((o) => o.start));
      const inRun = pauses.filter((p) => p.start >= first);
      const count = [...ops.values()].reduce((n, list) => n + list.length, 0);
      if (firstThreadTimes && threadNow) {
        out.threadCpu = {
          totalMs: round(threadNow[0] - firstThreadTimes[0]),
          perOpMs: round((threadNow[0] - firstThreadTimes[0]) / count),
        };
      }
      out.gc = {
        pauses: inRun.length,
        totalMs: round(inRun.reduce((s, p) => s + p.end - p.start, 0)),
        maxMs: round(Math.max(0, ...inRun.map((p) => p.end - p.start))),
      };
      return out;
    },
  };
}
