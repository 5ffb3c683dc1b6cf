import { writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

/** Files named in the closing lines, slowest first: where a run's minutes go. */
const SLOWEST = 12;
/** Characters of an error's first line kept in the closing list of failures. */
const ERROR_CHARS = 300;

/** An error's first line, short: what the closing list says of a failure. */
function firstLine(error: unknown): string {
  const message = error instanceof Object && 'message' in error ? String(error.message) : String(error);
  const line = message.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > ERROR_CHARS ? `${line.slice(0, ERROR_CHARS)}...` : line;
}

/** Where an unhandled error came from, as vitest marks it (the test file, and the test when it knows). */
function origin(error: unknown): string {
  if (!(error instanceof Object)) return 'unknown file';
  const where = error as { VITEST_TEST_PATH?: unknown; VITEST_TEST_NAME?: unknown };
  const file = typeof where.VITEST_TEST_PATH === 'string' ? where.VITEST_TEST_PATH.replace(`${process.cwd()}/`, '') : 'unknown file';
  return typeof where.VITEST_TEST_NAME === 'string' ? `${file} > ${where.VITEST_TEST_NAME}` : file;
}

/**
 * Prints the closing line CI reads, `N passed, N failed, N skipped`, after the slowest files (each
 * file's own time; two run at once, see vitest.config.ts) and a line for each failure (CI keeps only
 * the end of a run's output: a failure printed only in its file's part may be cut from it).
 */
export default class SummaryReporter implements Reporter {
  readonly #started = Date.now();

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    const notes: string[] = [];
    const failures = unhandledErrors.map((error) => `  unhandled error in ${origin(error)}: ${firstLine(error)}`);
    for (const mod of testModules) {
      // A file that failed with no failed test: it did not load, or a hook failed (its tests count as skipped).
      if (mod.state() === 'failed' && ![...mod.children.allTests()].some((test) => test.result().state === 'failed')) {
        failed++;
        const error = [...mod.errors(), ...[...mod.children.allSuites()].flatMap((suite) => suite.errors())][0];
        failures.push(`  failed: ${mod.relativeModuleId}: ${firstLine(error ?? 'failed without an error')}`);
      }
      for (const test of mod.children.allTests()) {
        const result = test.result();
        const state = result.state;
        if (state === 'passed') passed++;
        else if (result.state === 'failed') {
          failed++;
          failures.push(`  failed: ${mod.relativeModuleId} > ${test.fullName}: ${firstLine(result.errors[0] ?? 'no error given')}`);
        } else {
          skipped++;
          // A test that skipped itself for a reason (`ctx.skip(note)`) says so here, not silently.
          if (result.state === 'skipped' && result.note) notes.push(`  skipped: ${test.fullName}: ${result.note}`);
        }
      }
    }
    if (notes.length > 0) process.stdout.write(`\n${notes.join('\n')}\n`);
    const files = testModules.map((mod) => ({ file: mod.relativeModuleId, ms: mod.diagnostic().duration }));
    // Under scripts/test.mjs each lane hands its counts to the script, which adds the lanes up.
    const lane = process.env['CHAT_TEST_SUMMARY'];
    if (lane) writeFileSync(lane, JSON.stringify({ passed, failed, skipped, notes, failures, files, ms: Date.now() - this.#started }));
    const slowest = [...files]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, SLOWEST)
      .map(({ file, ms }) => `  ${(ms / 1000).toFixed(1).padStart(6)} s  ${file}`);
    if (slowest.length > 0) process.stdout.write(`\nslowest files:\n${slowest.join('\n')}\n`);
    if (failures.length > 0) process.stdout.write(`\nfailures:\n${failures.join('\n')}\n`);
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
