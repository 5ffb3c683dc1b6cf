// The flood scenario: does one user flooding the server hurt everyone else?
// For each kind of flood, a fresh server (chat with its default limits, or raw Socket.IO doing
// the same work with no limits) starts with 300 large messages stored in room `flood`. K quiet
// users in that room each send a small message on a fixed interval; their send->ack and
// send->delivery p50/p99 are measured first with nobody flooding, then while one attacker user
// (one guestKey, 4 sockets, in a process of its own) floods. Reported: both windows, the ratio
// flooded/quiet of p99, and the server's RSS/heap peaks and event-loop delay during the flood.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** The kinds of flood, in the order they run. */
export const FLOOD_KINDS = ['history', 'history-ignore', 'history-noread', 'typing', 'join-leave', 'send'];

/** What "a few times" means in the hardening issue: quiet users' p99 under a flood, over their quiet p99. */
const FLOOD_TARGET = 3;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function next(child, event) {
  return new Promise((resolve, reject) => {
    const onMessage = (msg) => {
      if (msg?.event === 'error') return done(reject, new Error(msg.message));
      if (msg?.event === event) done(resolve, msg);
    };
    const onExit = (code) => done(reject, new Error(`process exited with ${code} while waiting for ${event}`));
    const done = (fn, value) => {
      child.off('message', onMessage);
      child.off('exit', onExit);
      fn(value);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

// Peak resident memory of a process over its life, from the kernel (catches peaks between samples).
function highWaterMark(pid) {
  try {
    const kb = /VmHWM:\s+(\d+) kB/u.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

function portOf(child) {
  return new Promise((resolve, reject) => {
    const onMessage = (m) => {
      if (m?.port) {
        child.off('message', onMessage);
        resolve(m.port);
      }
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

/** One flood kind against one server kind, in fresh processes. */
async function floodOnce({ start, ask, serverKind, kind, timing, users, intervalMs, sockets }) {
  const server = start('server.mjs', [serverKind, 'flood'], ['--expose-gc']);
  const children = [server];
  try {
    const url = `http://127.0.0.1:${await portOf(server)}`;
    const quiet = start('flood-load.mjs', ['quiet']);
    children.push(quiet);
    await next(quiet, 'ready-process');
    quiet.send({ cmd: 'setup', options: { url, users, intervalMs } });
    await next(quiet, 'ready');
    await sleep(timing.warmupMs);
    await ask(server, 'gc');
    await ask(server, 'peak-start');
    const window = async () => {
      quiet.send({ cmd: 'window-start' });
      await next(quiet, 'window-started');
      await sleep(timing.windowMs);
      const { result } = await (async () => {
        const answer = next(quiet, 'window');
        quiet.send({ cmd: 'window-end' });
        return answer;
      })();
      // IPC is JSON: a percentile that includes lost requests (Infinity) arrives as null.
      for (const k of ['ackP50', 'ackP99', 'deliveryP50', 'deliveryP99']) result[k] ??= Number.POSITIVE_INFINITY;
      return { result };
    };
    const quietWindow = (await window()).result;
    const quietStats = await ask(server, 'stats');

    const attacker = start('flood-load.mjs', ['attacker']);
    children.push(attacker);
    await next(attacker, 'ready-process');
    await ask(server, 'peak-start');
    attacker.send({ cmd: 'start', options: { url, kind, sockets } });
    await next(attacker, 'started');
    const t0 = performance.now();
    await sleep(timing.rampMs);
    const flooded = window();
    // The attacker stops when the window closes; sends still outstanding are waited for.
    await sleep(timing.windowMs + 50);
    const stopped = next(attacker, 'stopped');
    attacker.send({ cmd: 'stop' });
    const { counts } = await stopped;
    const floodSeconds = (performance.now() - t0) / 1000;
    const floodedWindow = (await flooded).result;
    const floodStats = await ask(server, 'stats');
    return {
      quiet: quietWindow,
      flooded: floodedWindow,
      ackRatio: floodedWindow.ackP99 / quietWindow.ackP99,
      deliveryRatio: floodedWindow.deliveryP99 / quietWindow.deliveryP99,
      quietRssMb: quietStats.peakRss / 2 ** 20,
      quietHeapMb: quietStats.peakHeapUsed / 2 ** 20,
      floodRssMb: floodStats.peakRss / 2 ** 20,
      floodHeapMb: floodStats.peakHeapUsed / 2 ** 20,
      rssHighWaterMb: highWaterMark(server.pid) / 2 ** 20,
      loopDelayP99Ms: floodStats.loopDelayP99Ms,
      loopDelayMaxMs: floodStats.loopDelayMaxMs,
      attacker: { ...counts, okPerSec: counts.ok / floodSeconds, okMbPerSec: counts.okBytes / 2 ** 20 / floodSeconds },
    };
  } finally {
    for (const c of children) c.kill('SIGKILL');
  }
}

const f = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : x === Number.POSITIVE_INFINITY ? 'inf' : 'n/a');

/**
 * Runs every flood kind against both servers (raw first, then chat, alternating by kind) and
 * returns one row per kind with both results side by side.
 */
export async function floodScenario({ quick, log, start, ask, kinds = FLOOD_KINDS }) {
  const timing = quick ? { warmupMs: 500, windowMs: 1500, rampMs: 300 } : { warmupMs: 1000, windowMs: 4000, rampMs: 500 };
  const users = quick ? 10 : 20;
  // Under the default per-user message limit (5/s): quiet users must never be limited themselves.
  const intervalMs = 250;
  const rows = [];
  for (const [i, kind] of kinds.entries()) {
    const row = { kind };
    for (const serverKind of i % 2 === 0 ? ['raw', 'chat'] : ['chat', 'raw']) {
      try {
        row[serverKind] = await floodOnce({ start, ask, serverKind, kind, timing, users, intervalMs, sockets: 4 });
        const r = row[serverKind];
        log(
          `${kind} ${serverKind}: ack p99 ${f(r.quiet.ackP99)} -> ${f(r.flooded.ackP99)} ms (x${f(r.ackRatio)}), ` +
            `delivery p99 ${f(r.quiet.deliveryP99)} -> ${f(r.flooded.deliveryP99)} ms (x${f(r.deliveryRatio)}), ` +
            `peak RSS ${f(r.floodRssMb, 0)} MB (high-water ${f(r.rssHighWaterMb, 0)}), heap ${f(r.floodHeapMb, 0)} MB, ` +
            `loop delay p99 ${f(r.loopDelayP99Ms)} ms; attacker ${f(r.attacker.okPerSec, 0)} ok/s ` +
            `(${f(r.attacker.okMbPerSec)} MB/s), ${r.attacker.rateLimited} rate-limited, ${r.attacker.requests} requests` +
            (r.flooded.lostAcks || r.flooded.lostDeliveries
              ? `, lost ${r.flooded.lostAcks} acks / ${r.flooded.lostDeliveries} deliveries`
              : ''),
        );
      } catch (error) {
        row[serverKind] = { error: String(error?.message ?? error) };
        log(`${kind} ${serverKind}: failed: ${row[serverKind].error}`);
      }
    }
    rows.push(row);
  }
  const worst = (side) =>
    rows.reduce(
      (w, row) => {
        const r = row[side];
        const ratio = r?.error ? Number.POSITIVE_INFINITY : Math.max(r?.ackRatio ?? Number.NaN, r?.deliveryRatio ?? Number.NaN);
        return ratio > w.ratio || Number.isNaN(w.ratio) ? { ratio, kind: row.kind } : w;
      },
      { ratio: Number.NaN, kind: '' },
    );
  const chat = worst('chat');
  const raw = worst('raw');
  return {
    metric: 'flood',
    timing,
    users,
    intervalMs,
    rows,
    worstChat: chat,
    worstRaw: raw,
    chat: `worst p99 flooded/quiet x${f(chat.ratio)} (${chat.kind})`,
    raw: `worst x${f(raw.ratio)} (${raw.kind})`,
    ratio: chat.ratio / raw.ratio,
    pass: chat.ratio <= FLOOD_TARGET,
    target: `chat p99 <= ${FLOOD_TARGET}x quiet`,
  };
}

/** Markdown rows of a flood result, for docs/performance.md ("Floods"). */
export function floodTable(result) {
  const p = (w) => `${f(w.ackP99)} / ${f(w.deliveryP99)}`;
  const cell = (r) =>
    r?.error
      ? `failed: ${r.error}`
      : `${p(r.quiet)} → ${p(r.flooded)} ms (×${f(Math.max(r.ackRatio, r.deliveryRatio))}); RSS ${f(r.rssHighWaterMb, 0)} MB, heap ${f(r.floodHeapMb, 0)} MB`;
  const lines = [
    '| flood | chat: quiet → flooded p99 ack / delivery | raw Socket.IO, same flood |',
    '| --- | --- | --- |',
    ...result.rows.map((row) => `| ${row.kind} | ${cell(row.chat)} | ${cell(row.raw)} |`),
  ];
  return lines.join('\n');
}
