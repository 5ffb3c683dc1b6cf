import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// Proves the harness runs end to end on two tiny scenarios, in one run of it (one start of its
// processes, as `npm run bench` does for all of them). It asserts the shape of what it reports,
// never a speed: timings belong to `npm run bench`, not to the test suite.
describe('bench harness', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'bench-')), 'run.json');
  let run = { status: null, stdout: '', stderr: '' };
  /** The result of one scenario in the run's JSON. */
  const result = (name) => {
    expect(run.status, run.stderr).toBe(0);
    const found = JSON.parse(readFileSync(out, 'utf8')).results.find((r) => r.name === name);
    expect(found, `${name} in the report`).toBeDefined();
    return found;
  };

  beforeAll(() => {
    const script = fileURLToPath(new URL('./run.mjs', import.meta.url));
    run = spawnSync(process.execPath, [script, '--quick', '--only=fanout-100,read-receipts-50', `--out=${out}`], {
      encoding: 'utf8',
      timeout: 120_000,
    });
  }, 130_000);

  it('runs a tiny fan-out scenario against both servers in separate processes and writes its JSON', () => {
    const fanout = result('fanout-100');
    expect(run.stdout).toContain('fanout-100');
    expect(fanout.runs.chat).toHaveLength(1);
    expect(fanout.runs.raw).toHaveLength(1);
    expect(fanout.median.chat.deliveriesPerSec).toBeGreaterThan(0);
    expect(fanout.median.raw.deliveriesPerSec).toBeGreaterThan(0);
    expect(Number.isFinite(fanout.ratio)).toBe(true);
  });

  it('runs the read-receipts scenario in a small room: every client ends with the server read marks', () => {
    const reads = result('read-receipts-50');
    expect(reads.receipts).toBe(true);
    expect(reads.views.wrong).toEqual([]);
    expect(reads.views.othersRight).toBe(50 * 49);
    expect(reads.right).toBe(true);
    // Coalesced: fewer receipts than one per reader per message to every member.
    expect(reads.atRate.readEvents).toBeGreaterThan(0);
    expect(reads.atRate.readEvents).toBeLessThan(reads.atRate.naive);
  });
});
