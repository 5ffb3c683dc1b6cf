// The floor under latency-pg-2000: how long one fdatasync takes on a disk (PostgreSQL's WAL flush
// method here), as a distribution, since a stored message waits for one (or two, behind another
// batch's): `node bench/fsync.mjs [dir] [count]`, with dir on the disk of PostgreSQL's pg_wal
// (default: the OS temp dir, which on the bench machine is that disk). An 8 KB page is written
// into a preallocated file and synced, `count` times (default 1,000); prints p50, p90, p99, p99.9,
// max and how many took over 10 ms. Run it beside the bench row, on the same machine state.
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const dir = mkdtempSync(join(process.argv[2] ?? tmpdir(), 'chat-fsync-'));
const count = Number(process.argv[3] ?? 1000);
const PAGES = 256;
const page = Buffer.alloc(8192, 1);
const fd = openSync(join(dir, 'probe'), 'w');
try {
  for (let i = 0; i < PAGES; i++) writeSync(fd, page, 0, page.length, i * page.length);
  fdatasyncSync(fd);
  const times = [];
  for (let i = 0; i < count; i++) {
    writeSync(fd, page, 0, page.length, (i % PAGES) * page.length);
    const t = performance.now();
    fdatasyncSync(fd);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const at = (q) => Number(times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(2));
  const over10 = times.filter((ms) => ms > 10).length;
  console.log(JSON.stringify({ count, p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: at(1), over10ms: over10 }));
} finally {
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
}
