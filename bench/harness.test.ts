import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Proves the harness runs end to end on one tiny scenario. It asserts the shape of what it
// reports, never a speed: timings belong to `npm run bench`, not to the test suite.
describe('bench harness', () => {
  it('runs a tiny fan-out scenario against both servers in separate processes and writes its JSON', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'bench-')), 'run.json');
    const script = fileURLToPath(new URL('./run.mjs', import.meta.url));
    const run = spawnSync(process.execPath, [script, '--quick', '--only=fanout-100', `--out=${out}`], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('fanout-100');
    const report = JSON.parse(readFileSync(out, 'utf8'));
    const [result] = report.results;
    expect(result.name).toBe('fanout-100');
    expect(result.runs.chat).toHaveLength(1);
    expect(result.runs.raw).toHaveLength(1);
    expect(result.median.chat.deliveriesPerSec).toBeGreaterThan(0);
    expect(result.median.raw.deliveriesPerSec).toBeGreaterThan(0);
    expect(Number.isFinite(result.ratio)).toBe(true);
  });

  it('runs the read-receipts scenario in a small room: every client ends with the server read marks', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'bench-')), 'run.json');
    const script = fileURLToPath(new URL('./run.mjs', import.meta.url));
    const run = spawnSync(process.execPath, [script, '--quick', '--only=read-receipts-50', `--out=${out}`], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const [result] = JSON.parse(readFileSync(out, 'utf8')).results;
    expect(result.name).toBe('read-receipts-50');
    expect(result.receipts).toBe(true);
    expect(result.views.wrong).toEqual([]);
    expect(result.views.othersRight).toBe(50 * 49);
    expect(result.right).toBe(true);
    // Coalesced: fewer receipts than one per reader per message to every member.
    expect(result.atRate.readEvents).toBeGreaterThan(0);
    expect(result.atRate.readEvents).toBeLessThan(result.atRate.naive);
  });
});
