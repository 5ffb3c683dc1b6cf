// The read-receipts scenario: what read marks cost in a busy room. N members in one room (light
// clients in a load process of their own); every member is a reader that marks read as messages
// arrive, as the SDK and the widget do at the bottom of the list (one `read:mark` on the way at a
// time, later asks merged). In one fresh chat server process:
//   1. a fixed rate of sends (`rate` a second from `senders` members), reads on, then off: server
//      CPU, bytes to and from each member per second, `read` events delivered (per member per
//      message, and in total against the naive n x n per message: a receipt per reader per
//      message sent to every member);
//   2. sends as fast as acks allow (16 outstanding, as `fanout-*`), reads off and on, twice each,
//      alternating: message fan-out throughput with read traffic on / off;
//   3. senders stop, readers catch up; then every client's view of the read marks is compared
//      with the server's stored marks: its own mark always, and in rooms small enough for read
//      receipts (ID_LIMITS.readsInJoin) every other member's (the view the SDK's `readBy` uses).
// Chat server only: raw Socket.IO has no read marks to compare with; the naive count stands in.
import { performance } from 'node:perf_hooks';

const ROOM = 'reads';
/** Rooms of at most this many stored members get `read` events (ID_LIMITS.readsInJoin). */
const RECEIPTS_MAX_MEMBERS = 50;

function next(child, predicate, what) {
  return new Promise((resolve, reject) => {
    const onMessage = (msg) => {
      if (msg?.event === 'error') return done(reject, new Error(msg.message));
      if (predicate(msg)) done(resolve, msg);
    };
    const onExit = (code) => done(reject, new Error(`process exited with ${code} while waiting for ${what}`));
    const done = (fn, value) => {
      child.off('message', onMessage);
      child.off('exit', onExit);
      fn(value);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** One command to the load process; server CPU is read over its window (window-start/-end). */
async function command(load, server, ask, cmd, options) {
  let cpu = Promise.resolve({ cpuMs: Number.NaN });
  const onWindow = (m) => {
    if (m?.event === 'window-start') void ask(server, 'stats'); // resets the CPU counter
    if (m?.event === 'window-end') cpu = ask(server, 'stats');
  };
  load.on('message', onWindow);
  try {
    const answer = next(load, (m) => m?.event === 'done' && m.cmd === cmd, cmd);
    load.send({ cmd, options });
    const { result } = await answer;
    return { ...result, serverCpuMs: (await cpu).cpuMs };
  } finally {
    load.off('message', onWindow);
  }
}

/** Compares every client's view with the server's stored marks. */
function checkViews(views, stored, receipts) {
  const server = new Map(stored.map((m) => [m.id, m.readSeq]));
  let ownRight = 0;
  let othersRight = 0;
  let othersChecked = 0;
  // Rooms without receipts: marks a client was given while the room was small (its join answer),
  // never brought up to date since.
  let staleKnown = 0;
  let staleViews = 0;
  const wrong = [];
  for (const view of views) {
    if (server.get(view.selfId) === view.readSeq) ownRight++;
    else wrong.push(`${view.selfId} own: client ${view.readSeq}, server ${server.get(view.selfId)}`);
    if (!receipts) {
      const stale = Object.entries(view.others).filter(([id, seq]) => server.get(id) !== seq).length;
      staleKnown += stale;
      if (stale > 0) staleViews++;
      continue;
    }
    let right = true;
    for (const [id, seq] of server) {
      if (id === view.selfId) continue;
      othersChecked++;
      const seen = view.others[id] ?? 0;
      if (seen === seq) othersRight++;
      else if (right) {
        right = false;
        wrong.push(`${view.selfId} sees ${id} at ${seen}, server ${seq}`);
      }
    }
  }
  return { ownRight, othersRight, othersChecked, staleKnown, staleViews, wrong };
}

/**
 * Runs the scenario once in fresh processes. `members` in the room, `rate` sends a second in
 * step 1 from `senders` members.
 */
export async function readReceiptsScenario({ quick, start, ask, log, members, rate, senders = 4 }) {
  const timing = quick ? { warmupMs: 300, durationMs: 1000 } : { warmupMs: 1000, durationMs: 3000 };
  // Receipts go out at most once a second per reader: a window under a second could miss them all.
  const floodTiming = quick ? { warmupMs: 300, durationMs: 1000 } : { warmupMs: 500, durationMs: 2000 };
  const receipts = members <= RECEIPTS_MAX_MEMBERS;
  const t0 = performance.now();
  const server = start('server.mjs', ['chat'], ['--expose-gc']);
  const load = start('read-receipts-load.mjs');
  try {
    const { port } = await next(server, (m) => m?.port, 'the server port');
    await next(load, (m) => m?.event === 'ready', 'the load process');
    const run = (cmd, options) => command(load, server, ask, cmd, options);
    await run('setup', { url: `http://127.0.0.1:${port}`, members });
    log(`${members} members joined in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // 1. A fixed rate, reads on, then off (same sends, same members).
    const on = await run('rate', { rate, senders, reading: true, ...timing });
    const off = await run('rate', { rate, senders, reading: false, ...timing });
    const perMember = (w) => ({
      cpuMsPerSec: w.serverCpuMs / w.seconds,
      cpuUsPerMemberPerSec: (w.serverCpuMs * 1000) / members / w.seconds,
      bytesInPerMemberPerSec: w.bytesIn / members / w.seconds,
      bytesOutPerMemberPerSec: w.bytesOut / members / w.seconds,
    });
    const messages = on.deliveries / (members - 1);
    const naive = members * members * messages;
    const atRate = {
      rate,
      messages,
      readEvents: on.readEvents,
      readEventsPerMemberPerMessage: on.readEvents / members / messages,
      naive,
      naivePerMemberPerMessage: members,
      marks: on.marks,
      marksPerSec: on.marks / on.seconds,
      // 1: every reader marked every message; less: marks merged while one was on the way.
      marksPerMemberPerMessage: on.marks / members / messages,
      readBytesPerMemberPerSec: on.readBytes / members / on.seconds,
      on: { ...perMember(on), loadCpuShare: on.loadCpuShare },
      off: { ...perMember(off), loadCpuShare: off.loadCpuShare },
    };
    log(
      `at ${rate} messages/s: ${atRate.readEvents.toLocaleString('en')} read events for ${messages.toFixed(0)} messages ` +
        `(${atRate.readEventsPerMemberPerMessage.toFixed(3)} per member per message; naive ${members}), ` +
        `${atRate.marksPerSec.toFixed(0)} read:mark/s (${atRate.marksPerMemberPerMessage.toFixed(2)} per member per message); ` +
        `server cpu ${atRate.on.cpuMsPerSec.toFixed(0)} vs ${atRate.off.cpuMsPerSec.toFixed(0)} ms/s, ` +
        `${atRate.on.cpuUsPerMemberPerSec.toFixed(0)} vs ${atRate.off.cpuUsPerMemberPerSec.toFixed(0)} µs per member per second (reads on/off); per member ${atRate.on.bytesInPerMemberPerSec.toFixed(0)} B/s in, ${atRate.on.bytesOutPerMemberPerSec.toFixed(0)} B/s out ` +
        `(off: ${atRate.off.bytesInPerMemberPerSec.toFixed(0)} / ${atRate.off.bytesOutPerMemberPerSec.toFixed(0)})`,
    );

    // 2. As fast as acks allow: off, on, off, on (medians of two each).
    const flood = { off: [], on: [] };
    for (const reading of [false, true, false, true]) {
      const w = await run('flood', { window: 16, reading, ...floodTiming });
      flood[reading ? 'on' : 'off'].push(w);
      log(
        `as fast as acks allow, reads ${reading ? 'on ' : 'off'}: ${w.deliveriesPerSec.toFixed(0)} deliveries/s, ` +
          `${w.marksPerSec.toFixed(0)} read:mark/s, ${(w.readEvents / w.seconds).toFixed(0)} read events/s, ` +
          `server cpu ${(w.serverCpuMs / w.seconds).toFixed(0)} ms/s, load process cpu ${(w.loadCpuShare * 100).toFixed(0)}%`,
      );
    }
    const best = (ws) => Math.max(...ws.map((w) => w.deliveriesPerSec));
    const throughput = { on: best(flood.on), off: best(flood.off), runs: flood };

    // 3. Readers catch up; then every view against the server's marks (after the last coalesced
    // receipts: they go out at most a second after a mark).
    const settled = await run('settle', { timeoutMs: 8000 });
    let check;
    let stored = [];
    const checkStart = performance.now();
    for (;;) {
      const { views, errorCount, errors } = await run('views');
      stored = (await ask(server, 'members', { roomId: ROOM })).members;
      check = { ...checkViews(views, stored, receipts), errorCount, errors };
      if (check.wrong.length === 0 || performance.now() - checkStart > 5000) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const allAtLast = stored.filter((m) => m.readSeq === settled.lastSeq).length;
    const viewsRightMs = performance.now() - checkStart;
    log(
      `settled: ${settled.caughtUp}/${members} readers at seq ${settled.lastSeq} in ${settled.settleMs.toFixed(0)} ms` +
        (settled.caughtUp < members
          ? ` (behind: lowest seq delivered ${settled.behindNewest}, ${settled.behindPumping} with a mark unanswered)`
          : '') +
        '; ' +
        `server marks at the last seq: ${allAtLast}/${stored.length}; own marks right ${check.ownRight}/${members}` +
        (receipts
          ? `; others' marks right ${check.othersRight}/${check.othersChecked} (after ${viewsRightMs.toFixed(0)} ms)`
          : `; no receipts in rooms above ${RECEIPTS_MAX_MEMBERS} members` +
            (check.staleViews
              ? ` (${check.staleViews} clients that joined while the room was small still hold ${check.staleKnown} old marks of others)`
              : '')) +
        (check.wrong.length ? `; WRONG: ${check.wrong.slice(0, 3).join('; ')}` : '') +
        (check.errorCount ? `; ${check.errorCount} errors: ${check.errors.join('; ')}` : ''),
    );
    const right =
      check.wrong.length === 0 &&
      check.errorCount === 0 &&
      check.ownRight === members &&
      stored.length === members &&
      allAtLast === members;
    return {
      members,
      receipts,
      atRate,
      throughput,
      settled,
      views: {
        ownRight: check.ownRight,
        othersRight: check.othersRight,
        othersChecked: check.othersChecked,
        staleViews: check.staleViews,
        staleKnown: check.staleKnown,
        wrong: check.wrong.slice(0, 10),
      },
      right,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    load.kill('SIGKILL');
    server.kill('SIGKILL');
  }
}

const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d }) : 'n/a');

/** The table cells of a result (run.mjs and report.mjs). */
export function readReceiptsVerdict(r) {
  const ratio = r.atRate.readEvents / r.atRate.naive;
  const flow = r.throughput.on / r.throughput.off;
  const cpu = `server cpu ${fmt(r.atRate.on.cpuUsPerMemberPerSec)} / ${fmt(r.atRate.off.cpuUsPerMemberPerSec)} µs per member per s`;
  const bytes = `${fmt(r.atRate.on.bytesInPerMemberPerSec)} / ${fmt(r.atRate.off.bytesInPerMemberPerSec)} B/s in per member`;
  const views = r.receipts
    ? `every view right (${fmt(r.views.othersRight)} of ${fmt(r.views.othersChecked)} others' marks)`
    : `own marks right (${fmt(r.views.ownRight)}); no receipts above 50`;
  return {
    chat:
      `${fmt(r.atRate.readEventsPerMemberPerMessage, 2)} read events per member per message (${fmt(r.atRate.readEvents)} in all); ` +
      `reads on / off: ${cpu}, ${bytes}, throughput x${fmt(flow, 2)}; ${r.right ? views : 'views WRONG'}`,
    raw: `(naive: ${fmt(r.atRate.naivePerMemberPerMessage)} per member per message, ${fmt(r.members * r.members)} per message)`,
    ratio,
    throughputRatio: flow,
    pass: r.right && ratio < 0.1,
    target: 'far below n x n, every view right',
  };
}
