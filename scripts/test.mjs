#!/usr/bin/env node
// The README's test command after the build: every suite, in two lanes that run at once.
//
// - browser: the files that drive a Chromium or child processes of their own, and two long node
//   files moved there to balance the lanes (vitest project
//   `browser`), one file at a time;
// - node: everything else (projects `shared` and `isolated`), one file at a time.
//
// On a two-core machine two browser files side by side starve each other (a Chromium, a server
// and a test process each): vitest's own order puts the biggest files first, so both workers ran
// browser suites together for the first half of the run and node suites for the second. Two lanes
// keep one browser file beside one node file for the whole run. Each lane's output is streamed
// with its name in front; the closing lines add both lanes up (summary-reporter.ts).
//
// Arguments after the script are passed to both lanes' vitest (e.g. `--bail=1`).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LANES = [
  { name: 'browser', projects: ['browser'] },
  { name: 'node', projects: ['shared', 'isolated'] },
];
const SLOWEST = 12;

const dir = mkdtempSync(join(tmpdir(), 'chat-test-'));
const extra = process.argv.slice(2);

function runLane(lane) {
  const summary = join(dir, `${lane.name}.json`);
  // One file at a time: vitest.config.ts reads CHAT_TEST_LANE (a --maxWorkers flag would not reach the projects).
  // A filter (`npm test -- some/file`) may leave a lane with no file: that lane passes.
  const args = ['vitest', 'run', ...lane.projects.flatMap((p) => ['--project', p]), '--passWithNoTests', ...extra];
  const child = spawn('npx', args, {
    env: { ...process.env, CHAT_TEST_SUMMARY: summary, CHAT_TEST_LANE: lane.name },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (stream, out) => {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) out.write(`[${lane.name}] ${line}\n`);
    });
    stream.on('end', () => rest && out.write(`[${lane.name}] ${rest}\n`));
  };
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      let result;
      try {
        result = JSON.parse(readFileSync(summary, 'utf8'));
      } catch {
        result = undefined; // the lane ended before its reporter wrote (a crash, a bad flag)
      }
      resolve({ lane, code: code ?? 1, signal, result });
    });
  });
}

const started = Date.now();
const ends = await Promise.all(LANES.map(runLane));
rmSync(dir, { recursive: true, force: true });

let passed = 0;
let failed = 0;
let skipped = 0;
const notes = [];
const failures = [];
const files = [];
for (const { lane, code, signal, result } of ends) {
  if (!result) {
    failed++;
    const line = `lane ${lane.name} ended (${signal ?? `exit ${code}`}) without its summary: counted as a failure`;
    console.log(`\n${line}`);
    failures.push(`  ${line} (see its output above)`);
    continue;
  }
  passed += result.passed;
  failed += result.failed;
  skipped += result.skipped;
  notes.push(...result.notes);
  failures.push(...result.failures.map((line) => line.replace(/^ {2}/, `  [${lane.name}] `)));
  files.push(...result.files);
  console.log(`\nlane ${lane.name}: ${(result.ms / 1000).toFixed(0)} s, ${result.passed} passed, ${result.failed} failed`);
  if (code !== 0 && result.failed === 0) {
    failed++;
    const line = `lane ${lane.name} exited ${code} with no failed test: counted as a failure (see its output above)`;
    console.log(line);
    failures.push(`  ${line}`);
  }
}
if (notes.length > 0) console.log(`\n${notes.join('\n')}`);
const slowest = files
  .sort((a, b) => b.ms - a.ms)
  .slice(0, SLOWEST)
  .map(({ file, ms }) => `  ${(ms / 1000).toFixed(1).padStart(6)} s  ${file}`);
if (slowest.length > 0) console.log(`\nslowest files:\n${slowest.join('\n')}`);
// Last before the counts: CI keeps only the end of the output, and a lane's own report of a failure may be cut from it.
if (failures.length > 0) console.log(`\nfailures:\n${failures.join('\n')}`);
console.log(`\nboth lanes in ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
