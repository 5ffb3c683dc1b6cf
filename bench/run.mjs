// npm run bench [-- --quick] [--only=fanout-500,latency-100] [--repeats=3] [--mode=light|full] [--write-docs]
//   --only takes names or groups: `--only=fanout` is fanout-100, -500 and -1000; `read-receipts` both sizes.
//   The `cluster-shard-*` rows start a local Redis Cluster of their own (bench/redis-cluster.mjs), once for all of
//   them, and stop it at the end; without redis-server they are skipped.
//   [--profile=DIR]: the servers run with --cpu-prof and write their profiles to DIR/chat and DIR/raw.
//   Env for the chat-pg servers: CHAT_BENCH_SCHEMA=name (not the shared chat_bench_fanout), CHAT_BENCH_TRACE=file
//   (a line a second of what sends waited for: group commit's queue and statements, GC, wait events; bench/pg-trace.mjs).
//   CHAT_BENCH_FASTUPDATE=off (the search index without a pending list, as before migration 21: an A/B),
//   on (PostgreSQL's default 4 MB list, as before migration 20), or a number of kB from 64.
//   [--keep-seed]: the large seeded schemas (search-1m, large-10m) stay for the next run (else dropped at the end).
//   [--rate=N]: the stored latency rows (`latency-pg-2000`) at N messages a second instead, for an A/B at a
//   rate the machine keeps up with (the row's name and target stay; do not --write-docs such a run).
//   [--flood-kinds=history,typing]: only these kinds of flood in the `flood` scenario (see flood.mjs).
// Each scenario runs the chat server and a raw Socket.IO server doing the same fan-out,
// interleaved, in separate processes from the load generator, and reports medians and
// chat/raw ratios against the targets in DESIGN.md. Every process it starts, it stops.
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { historyScenario } from './history.mjs';
import { e2eeScenario } from './e2ee.mjs';
import { conversationsScenario } from './conversations.mjs';
import { searchScenario } from './search.mjs';
import { largeScenario } from './large.mjs';
import { FLOOD_KINDS, floodScenario, floodTable } from './flood.mjs';
import { bundleScenario } from './bundle.mjs';
import { clusterOnce } from './cluster.mjs';
import { redisClusterMissing, startRedisCluster } from './redis-cluster.mjs';
import { readReceiptsScenario, readReceiptsVerdict } from './read-receipts.mjs';
import { cpuMsOf } from './pg-cpu.mjs';
import { writeDocs } from './report.mjs';
import { QUICK, SCENARIOS } from './scenarios.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const args = Object.fromEntries(
  process.argv
    .slice(2)
    .map((a) => a.replace(/^--/u, '').split('='))
    .map(([k, v]) => [k, v ?? 'true']),
);
if (args.rate !== undefined && !(Number(args.rate) > 0)) throw new Error(`--rate is a number of messages a second, not "${args.rate}".`);
if (args.rate !== undefined && args['write-docs'] === 'true') throw new Error('--rate runs are A/Bs: they do not --write-docs.');
const quick = args.quick === 'true';
const repeats = Number(args.repeats ?? (quick ? 1 : 3));
const mode = args.mode ?? 'light';
const window = quick ? { warmupMs: 200, durationMs: 500 } : { warmupMs: 1000, durationMs: 3000 };

const only = args.only ? new Set(args.only.split(',')) : quick ? new Set(QUICK) : undefined;
// A name, or a group: the part of names before their last `-` (`fanout`, `memory`, `read-receipts`).
const chosen = SCENARIOS.filter((s) => !only || only.has(s.name) || only.has(s.name.replace(/-[^-]+$/u, '')));
// A scenario's own `quick` sizes, if it has them (`live-reactions-10000`), else the common ones.
const quickSize = ({ quick: small, ...options }) =>
  quick && small
    ? { ...options, ...small }
    : quick
      ? {
          ...options,
          members: Math.min(options.members, options.rooms ? 100 : 50),
          rooms: options.rooms ? 10 : undefined,
          warm: options.warm === undefined ? undefined : Math.min(options.warm, 50),
          points: options.points?.map((p) => Math.round(p / 100)),
        }
      : options;

function waitFor(child, predicate) {
  return new Promise((resolve, reject) => {
    const onExit = (code) => reject(new Error(`process exited with ${code}`));
    const onMessage = (msg) => {
      if (msg?.event === 'error') return reject(new Error(msg.message));
      if (predicate(msg)) {
        child.off('message', onMessage);
        child.off('exit', onExit); // one listener per question would pile up on a long-lived process
        resolve(msg);
      }
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

// One question at a time per process, so that replies cannot be taken by the wrong asker.
const queues = new WeakMap();
function ask(child, cmd, extra = {}) {
  const previous = queues.get(child) ?? Promise.resolve();
  const reply = previous.then(() => {
    const answer = waitFor(child, () => true);
    child.send({ ...extra, cmd });
    return answer;
  });
  queues.set(
    child,
    reply.catch(() => undefined),
  );
  return reply;
}

const started = new Set();
function start(script, argv = [], execArgv = []) {
  const child = fork(here(script), argv, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
}
function stopAll() {
  for (const child of started) child.kill('SIGKILL');
}
process.on('exit', stopAll);
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143)); // so that the 'exit' handlers stop what was started

/** One run of one scenario against one server kind, in fresh processes. */
async function runOnce(scenario, kind) {
  const profile = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}/${kind}`] : [];
  const server = start('server.mjs', [kind === 'chat' && scenario.server ? scenario.server : kind], ['--expose-gc', ...profile]);
  try {
    const { port } = await waitFor(server, (m) => m?.port);
    const url = `http://127.0.0.1:${port}`;
    const load = start('load.mjs');
    await waitFor(load, (m) => m?.event === 'ready');
    let windowEnd = Promise.resolve({ cpuMs: Number.NaN });
    let procCpu;
    const points = [];
    load.on('message', async (m) => {
      if (m?.event === 'point') {
        // Settle (presence deltas, timers), collect twice, then read.
        await new Promise((r) => setTimeout(r, quick ? 300 : 1500));
        await ask(server, 'gc');
        const { rss, heapUsed } = await ask(server, 'stats');
        points.push({ members: m.members, rss, heapUsed });
        load.send({ cmd: 'continue' });
      }
      // Live reactions: the server's CPU from /proc at the load's window, not from an answer that a
      // server behind on its broadcasts gives only once it has caught up (raw Socket.IO falls behind).
      if (m?.event === 'window-start' && scenario.kind === 'liveReactions')
        procCpu = { server: cpuMsOf(server.pid), load: cpuMsOf(load.pid) };
      else if (m?.event === 'window-end' && scenario.kind === 'liveReactions') {
        const used = { cpuMs: cpuMsOf(server.pid) - procCpu.server, loadCpuMs: cpuMsOf(load.pid) - procCpu.load };
        windowEnd = Promise.resolve(used);
      } else if (m?.event === 'window-start')
        void ask(server, 'stats'); // resets the CPU counter
      else if (m?.event === 'window-end') windowEnd = ask(server, 'stats');
    });
    // Latency and CPU at a fixed load are noisier than throughput on 2 cores: measure longer.
    const timing = scenario.kind === 'latency' && !quick ? { ...window, durationMs: scenario.durationMs ?? 5000 } : window;
    const rate = args.rate !== undefined && scenario.options.messagesPerSec !== undefined ? { messagesPerSec: Number(args.rate) } : {};
    load.send({ cmd: 'run', scenario: scenario.kind, options: { url, mode, ...timing, ...quickSize(scenario.options), ...rate } });
    const { result } = await waitFor(load, (m) => m?.event === 'result');
    if (scenario.kind === 'memorySlope') {
      const rss = fitLine(points.map((p) => [p.members, p.rss]));
      const heap = fitLine(points.map((p) => [p.members, p.heapUsed]));
      Object.assign(result, { rssPerMember: rss.slope, rssR2: rss.r2, heapPerMember: heap.slope, heapR2: heap.r2, points });
    }
    if (scenario.kind === 'latency' || scenario.kind === 'fanout' || scenario.kind === 'liveReactions') {
      const stats = await windowEnd;
      result.serverCpuMs = stats.cpuMs;
      if (stats.pgCpuMs !== undefined) result.pgCpuMs = stats.pgCpuMs;
      if (stats.loadCpuMs !== undefined) result.loadCpuMs = stats.loadCpuMs;
    }
    load.send({ cmd: 'close' });
    await new Promise((r) => load.once('exit', r));
    if (profile.length) {
      server.send({ cmd: 'exit' });
      await new Promise((r) => server.once('exit', r));
    }
    return result;
  } finally {
    server.kill('SIGKILL');
  }
}

/** Least squares through [x, y] points: the slope and how well a line fits (r², 1 = exactly). */
function fitLine(xy) {
  const n = xy.length;
  const mx = xy.reduce((a, [x]) => a + x, 0) / n;
  const my = xy.reduce((a, [, y]) => a + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [x, y] of xy) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  const slope = sxy / sxx;
  return { slope, r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) };
}

const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : Number.NaN;
};
const fmt = (x, digits = 0) =>
  Number.isFinite(x) ? x.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a';

function judge(scenario, chat, raw, runs) {
  switch (scenario.metric) {
    case 'deliveriesPerSec': {
      const ratio = chat.deliveriesPerSec / raw.deliveriesPerSec;
      const info = scenario.info === true;
      // Every receiver got every stored message once, in every run (counts are exact or it fails).
      const wrong = [...runs.chat, ...runs.raw].filter((r) => r.exact === 0).length;
      // Said on the side that got them wrong (raw Socket.IO on the Redis adapter drops deliveries under load).
      const wrongIn = (kind) => runs[kind].filter((r) => r.exact === 0).length;
      const counts = (kind) => (wrongIn(kind) > 0 ? `, counts WRONG in ${wrongIn(kind)} run(s)` : '');
      const batched = chat.messagesPerFrame > 1.05 ? ` (${fmt(chat.messagesPerFrame, 1)} per frame)` : '';
      return {
        chat: `${fmt(chat.deliveriesPerSec)}/s${batched}${pgCpu(chat)}${counts('chat')}`,
        raw: `${fmt(raw.deliveriesPerSec)}/s${counts('raw')}`,
        ratio,
        targetValue: scenario.target?.min,
        pass: info ? undefined : ratio >= scenario.target.min && wrong === 0,
        target: info ? 'information' : `>= ${scenario.target.min}`,
      };
    }
    case 'latency': {
      if (scenario.p99UnderMs !== undefined) {
        const stored = chat.messagesPerSec === undefined ? '' : `, ${fmt(chat.messagesPerSec)} msg/s`;
        return {
          chat: `p50 ${fmt(chat.p50, 2)} / p99 ${fmt(chat.p99, 2)} ms${stored}${pgCpu(chat)}`,
          raw: `p50 ${fmt(raw.p50, 2)} / p99 ${fmt(raw.p99, 2)} ms, cpu ${fmt(raw.serverCpuMs)} ms`,
          ratio: chat.p99 / raw.p99,
          targetValue: scenario.p99UnderMs,
          pass: chat.p99 < scenario.p99UnderMs,
          target: `p99 < ${scenario.p99UnderMs} ms`,
        };
      }
      const strict = scenario.noWorseThanRaw === true;
      const p50ok = strict ? chat.p50 <= raw.p50 : chat.p50 <= raw.p50 + 1;
      const p99ratio = chat.p99 / raw.p99;
      const cpuRatio = chat.serverCpuMs / raw.serverCpuMs;
      return {
        chat: `p50 ${fmt(chat.p50, 2)} / p99 ${fmt(chat.p99, 2)} ms, cpu ${fmt(chat.serverCpuMs)} ms`,
        raw: `p50 ${fmt(raw.p50, 2)} / p99 ${fmt(raw.p99, 2)} ms, cpu ${fmt(raw.serverCpuMs)} ms`,
        ratio: p99ratio,
        cpuRatio,
        targetValue: strict ? 1 : 1.5,
        pass: p50ok && p99ratio <= (strict ? 1 : 1.5) && cpuRatio <= 1.3,
        target: strict ? 'p50 and p99 <= raw, cpu <= 1.3x' : 'p50 <= raw+1ms, p99 <= 1.5x, cpu <= 1.3x',
      };
    }
    case 'memorySlope': {
      const ratio = chat.rssPerMember / raw.rssPerMember;
      const kb = (x) => `${fmt(x / 1024, 1)} KB`;
      const line = (r) => `RSS ${kb(r.rssPerMember)} (r² ${fmt(r.rssR2, 2)}), heap ${kb(r.heapPerMember)} (r² ${fmt(r.heapR2, 2)})`;
      return {
        chat: line(chat),
        raw: line(raw),
        ratio,
        heapRatio: chat.heapPerMember / raw.heapPerMember,
        pass: ratio <= scenario.target.max,
        target: `RSS <= ${scenario.target.max}x (heap: ${fmt(chat.heapPerMember / raw.heapPerMember, 2)}x)`,
      };
    }
    case 'storm': {
      const ratio = chat.presenceEvents / chat.naiveEvents;
      const members = scenarioSize(scenario);
      return {
        chat: `${fmt(chat.presenceEvents)} presence events, ${fmt(chat.bytesPerMember / 1024, 1)} KB in per member, every count right in ${fmt(chat.allCorrectMs)} ms (${fmt(chat.rightAtEnd)} right at the end)`,
        raw: `(naive: ${fmt(chat.naiveEvents)} events)`,
        ratio,
        pass: chat.complete === members && chat.rightAtEnd === members && ratio < 0.05,
        target: 'far below n x n, every count right',
      };
    }
    case 'reactions': {
      const members = scenarioSize(scenario);
      const ratio = chat.updates / chat.naive;
      return {
        chat: `${fmt(chat.updates)} updates, all ${fmt(chat.exact)} exact in ${fmt(chat.allExactMs)} ms`,
        raw: `${fmt(raw.updates)} updates, ${fmt(raw.exact)} exact in ${fmt(raw.allExactMs)} ms`,
        ratio,
        pass: chat.exact === members && chat.refused === 0 && ratio < 0.05,
        target: 'far below n x n, every count exact',
      };
    }
    case 'liveReactions': {
      const viewers = scenarioSize(scenario);
      const settled = (r) => r.exact === viewers && Number.isFinite(r.settledMs);
      const line = (r, kind) => {
        const counts = settled(r)
          ? `every viewer's sums exact (${fmt(r.acked)} reactions) ${fmt(r.settledMs)} ms after the last send`
          : `${fmt(r.exact)} of ${fmt(viewers)} viewers exact: ${fmt(r.receivedPerViewer)} of ${fmt(r.acked)} acknowledged (${fmt(r.answered)} of ${fmt(r.sent)} answered) received per viewer in ${fmt(r.windowMs / 1000, 1)} s`;
        const wrong = runs[kind].filter((x) => !settled(x)).length;
        const note = wrong > 0 && runs[kind].length > 1 ? ` (not exact in ${wrong} of ${runs[kind].length} runs)` : '';
        return `${counts}${note}; ${fmt(r.framesPerSecMedian, 1)} / ${fmt(r.framesPerSecMax, 1)} reaction frames/s per viewer (median / max); server cpu ${fmt(r.serverCpuMs)} ms; ${fmt(r.bytesPerViewer / 1024, 1)} KB in per viewer (${fmt(r.bytesPerReaction, 1)} B per reaction)`;
      };
      // Per reaction that reached the room: raw may not have delivered all of them within the window.
      const cpuPerReaction = (r) => r.serverCpuMs / r.receivedPerViewer;
      const ok = runs.chat.every((r) => settled(r) && r.refused === 0 && r.framesPerSecMax <= 4);
      return {
        chat: line(chat, 'chat'),
        raw: line(raw, 'raw'),
        ratio: cpuPerReaction(chat) / cpuPerReaction(raw),
        bytesRatio: chat.bytesPerReaction / raw.bytesPerReaction,
        cpuTotalRatio: chat.serverCpuMs / raw.serverCpuMs,
        bytesTotalRatio: chat.bytesPerViewer / raw.bytesPerViewer,
        pass: ok,
        target: 'every viewer exact, <= 4 frames/s; cpu and bytes per reaction: information (target < raw)',
      };
    }
    case 'reap': {
      const members = scenarioSize(scenario);
      // Redis is held by one step at a time (the longest shown), not by the whole reap.
      const script = `${fmt(chat.reapSteps)} reap steps in Redis, longest ${chat.reapStepMaxMs.toFixed(1)} ms, ${fmt(chat.reapStepsTotalMs)} ms in all`;
      return {
        chat: `all ${fmt(members)} cleared ${fmt(chat.clearedMs)} ms after the kill (first at ${fmt(chat.detectedMs)} ms; stale after ${fmt(chat.staleAfterMs / 1000)} s; ${script})`,
        raw: '(raw Socket.IO keeps no presence)',
        ratio: Number.NaN,
        pass: runs.chat.every((r) => r.observersRight === r.rooms),
        target: 'every list right (time: information)',
      };
    }
    default:
      return undefined;
  }
}
const scenarioSize = (s) => quickSize(s.options).members;
// Each primary's part of a window on the local Redis Cluster (cluster.mjs's `shards`).
const shardLine = (shards = []) =>
  shards
    .map(
      (p) =>
        `:${p.port} ${fmt(p.commands)} commands (${fmt(p.commandShare * 100)} %), ${fmt(p.spublish)} SPUBLISH (${fmt(p.spublishShare * 100)} %), ${fmt(p.scripts)} scripts, cpu ${fmt(p.cpuMs)} ms, ${fmt(p.shardChannels)} channels (${p.top || 'idle'})`,
    )
    .join('; ');
// The CPU of the chat server's PostgreSQL backends over the window, when it has some (chat-pg).
const pgCpu = (r) => (Number.isFinite(r.pgCpuMs) ? `, server cpu ${fmt(r.serverCpuMs)} ms, PostgreSQL cpu ${fmt(r.pgCpuMs)} ms` : '');

const results = [];
/** The local Redis Cluster of the `cluster-shard-*` rows, once one of them has started it. */
let localCluster;
const t0 = Date.now();
console.log(`bench: ${chosen.length} scenarios, ${repeats} repeat(s), ${mode} clients${quick ? ', quick' : ''}`);
for (const scenario of chosen) {
  process.stdout.write(`\n${scenario.name}: ${scenario.label}\n`);
  if (scenario.metric === 'history') {
    const r = await historyScenario({ quick, thread: scenario.thread === true, log: (l) => process.stdout.write(`  ${l}\n`) });
    results.push({ name: scenario.name, label: scenario.label, metric: scenario.metric, ...r });
    continue;
  }
  if (scenario.metric === 'e2ee') {
    const r = await e2eeScenario({ quick, log: (l) => process.stdout.write(`  ${l}\n`) });
    results.push({ name: scenario.name, label: scenario.label, metric: scenario.metric, ...r });
    continue;
  }
  if (scenario.metric === 'conversations') {
    const r = await conversationsScenario({ quick, ...scenario.options, log: (l) => process.stdout.write(`  ${l}\n`) });
    results.push({ name: scenario.name, label: scenario.label, ...r });
    continue;
  }
  if (scenario.metric === 'search') {
    const r = await searchScenario({ quick, keepSeed: args['keep-seed'] === 'true', log: (l) => process.stdout.write(`  ${l}\n`) });
    results.push({ name: scenario.name, label: scenario.label, ...r });
    continue;
  }
  if (scenario.metric === 'large') {
    const r = await largeScenario({ quick, keepSeed: args['keep-seed'] === 'true', log: (l) => process.stdout.write(`  ${l}\n`) });
    results.push({ name: scenario.name, label: scenario.label, ...r });
    continue;
  }
  if (scenario.metric === 'flood') {
    const kinds = args['flood-kinds'] ? args['flood-kinds'].split(',') : FLOOD_KINDS;
    const r = await floodScenario({ quick, kinds, start, ask, log: (l) => process.stdout.write(`  ${l}\n`) });
    results.push({ name: scenario.name, label: scenario.label, ...r });
    process.stdout.write(`\n${floodTable(r)}\n`);
    continue;
  }
  if (scenario.metric === 'reads') {
    const size = quick ? { ...scenario.options, members: Math.min(scenario.options.members, 100) } : scenario.options;
    const r = await readReceiptsScenario({ quick, start, ask, ...size, log: (l) => process.stdout.write(`  ${l}\n`) });
    results.push({ name: scenario.name, label: scenario.label, metric: 'reads', ...r, ...readReceiptsVerdict(r) });
    continue;
  }
  if (scenario.metric === 'bundle') {
    const r = await bundleScenario();
    results.push({ name: scenario.name, label: scenario.label, ...r });
    process.stdout.write(
      `  widget ${fmt(r.widgetGzip / 1024, 1)} KB gzipped; lit + socket.io-client alone ${fmt(r.baselineGzip / 1024, 1)} KB; budget ${fmt(r.budget / 1024, 1)} KB (DESIGN: ${r.designBudget / 1024}): ${r.pass ? 'ok' : 'OVER'}; on first use: ${r.chunks.map((c) => `${c.name} ${fmt(c.gzip / 1024, 1)}`).join(', ')} KB\n`,
    );
    continue;
  }
  const unset = [].concat(scenario.needs ?? []).filter((name) => !process.env[name]);
  if (unset.length > 0) {
    process.stdout.write(`  skipped: set ${unset.join(' and ')} to run it\n`);
    continue;
  }
  // The `cluster-shard-*` rows: a local Redis Cluster, started once for all of them (stopped at the end).
  if (scenario.shard) {
    const missing = redisClusterMissing();
    if (missing) {
      process.stdout.write(`  skipped: ${missing}\n`);
      continue;
    }
    if (!localCluster) {
      try {
        localCluster = await startRedisCluster();
      } catch (error) {
        process.stdout.write(`  skipped: the local Redis Cluster did not start (${String(error?.message ?? error).split('\n')[0]})\n`);
        continue;
      }
      // The servers' seed list (server.mjs *-shard-cluster), inherited by every process forked from now on.
      process.env.CHAT_BENCH_REDIS_NODES = localCluster.nodes.map((n) => n.url).join(',');
      process.stdout.write(`  local Redis Cluster: primaries on ${localCluster.primaries.join(', ')}, replicas beside them\n`);
    }
  }
  const runs = { chat: [], raw: [] };
  for (let r = 0; r < repeats; r++) {
    const order = scenario.chatOnly ? ['chat'] : r % 2 === 0 ? ['raw', 'chat'] : ['chat', 'raw'];
    for (const kind of order) {
      process.stdout.write(`  run ${r + 1}/${repeats} ${kind}... `);
      const result = scenario.cluster
        ? await clusterOnce(scenario, kind, {
            start,
            ask,
            waitFor,
            mode,
            quick,
            options: quickSize(scenario.options),
            timing: scenario.kind === 'latency' && !quick ? { ...window, durationMs: scenario.durationMs ?? 5000 } : window,
            redisCluster: localCluster,
          })
        : await runOnce(scenario, kind);
      runs[kind].push(result);
      process.stdout.write(`${JSON.stringify(result, (k, v) => (typeof v === 'number' ? Math.round(v * 100) / 100 : v))}\n`);
    }
  }
  const med = (kind) =>
    runs[kind].length ? Object.fromEntries(Object.keys(runs[kind][0]).map((k) => [k, median(runs[kind].map((x) => x[k]))])) : undefined;
  const chat = med('chat');
  const raw = med('raw');
  const verdict = judge(scenario, chat, raw, runs);
  results.push({ name: scenario.name, label: scenario.label, runs, median: { chat, raw }, ...verdict });
  if (scenario.shard)
    for (const kind of ['chat', 'raw']) for (const r of runs[kind]) process.stdout.write(`  ${kind}: ${shardLine(r.shards)}\n`);
  if (scenario.metric === 'liveReactions') {
    process.stdout.write(
      `  chat: ${verdict.chat}\n  raw: ${verdict.raw}\n  chat / raw: cpu ${fmt(verdict.cpuTotalRatio, 3)} (per reaction delivered ${fmt(verdict.ratio, 3)}), bytes in per viewer ${fmt(verdict.bytesTotalRatio, 3)} (per reaction ${fmt(verdict.bytesRatio, 3)})\n`,
    );
  }
}

console.log('\n' + '-'.repeat(110));
console.log(`${'scenario'.padEnd(22)}${'chat'.padEnd(44)}${'raw Socket.IO'.padEnd(36)}${'ratio'.padEnd(8)}ok`);
for (const r of results) {
  if (
    r.metric === 'history' ||
    r.name === 'history-1m' ||
    r.name.startsWith('conversations-') ||
    r.name === 'search-1m' ||
    r.name === 'large-10m'
  ) {
    console.log(
      `${r.name.padEnd(22)}${`p50 ${fmt(r.p50, 2)} / p99 ${fmt(r.p99, 2)} ms`.padEnd(44)}${`SQL alone p99 ${fmt(r.rawP99, 2)} ms`.padEnd(36)}${''.padEnd(8)}${r.pass === undefined ? 'skipped' : r.pass ? 'yes' : 'NO'}`,
    );
    continue;
  }
  if (r.metric === 'e2ee') {
    console.log(
      `${r.name.padEnd(22)}${`enc p99 ${fmt(r.encrypt.p99, 2)} / dec p99 ${fmt(r.decrypt.p99, 2)} ms`.padEnd(44)}${`add ${fmt(r.add.wallMs, 0)} / remove ${fmt(r.remove.wallMs, 0)} ms`.padEnd(36)}${''.padEnd(8)}${r.pass ? 'yes' : 'NO'}`,
    );
    continue;
  }
  if (r.name === 'bundle') {
    console.log(
      `${r.name.padEnd(22)}${`${fmt(r.widgetGzip / 1024, 1)} KB gz`.padEnd(44)}${`lit+socket.io-client ${fmt(r.baselineGzip / 1024, 1)} KB`.padEnd(36)}${''.padEnd(8)}${r.pass ? 'yes' : 'NO'}`,
    );
    continue;
  }
  console.log(
    `${r.name.padEnd(22)}${String(r.chat).padEnd(44)}${String(r.raw).padEnd(36)}${fmt(r.ratio, 2).padEnd(8)}${r.pass === undefined ? 'info' : r.pass ? 'yes' : 'NO'}`,
  );
}
console.log(`-`.repeat(110) + `\n${((Date.now() - t0) / 1000).toFixed(0)} s`);

const run = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: (await import('node:os')).cpus().length,
  mode,
  quick,
  repeats,
  results,
};
const outDir = here('results/');
mkdirSync(outDir, { recursive: true });
const file = args.out ?? `${outDir}run-${run.date.replace(/[:.]/gu, '-')}.json`;
writeFileSync(file, JSON.stringify(run, null, 2));
console.log(`results: ${file}`);
if (args['write-docs'] === 'true') writeDocs(run);
stopAll();
await localCluster?.stop();
