import { writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

/** Files named in the closing lines, slowest first: where a run's minutes go. */
const SLOWEST = 12;

/**
 * Prints the closing line CI reads, `N passed, N failed, N skipped`, after the slowest files (each
 * file's own time; two run at once, see vitest.config.ts).
 */
export default class SummaryReporter implements Reporter {
  readonly #started = Date.now();

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    const notes: string[] = [];
    for (const mod of testModules) {
      if (mod.state() === 'failed' && [...mod.children.allTests()].length === 0) failed++;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else {
          skipped++;
          const result = test.result();
          // A test that skipped itself for a reason (`ctx.skip(note)`) says so here, not silently.
          if (result.state === 'skipped' && result.note) notes.push(`  skipped: ${test.fullName}: ${result.note}`);
        }
      }
    }
    if (notes.length > 0) process.stdout.write(`\n${notes.join('\n')}\n`);
    const files = testModules.map((mod) => ({ file: mod.relativeModuleId, ms: mod.diagnostic().duration }));
    // Under scripts/test.mjs each lane hands its counts to the script, which adds the lanes up.
    const lane = process.env['CHAT_TEST_SUMMARY'];
    if (lane) writeFileSync(lane, JSON.stringify({ passed, failed, skipped, notes, files, ms: Date.now() - this.#started }));
    const slowest = [...files]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, SLOWEST)
      .map(({ file, ms }) => `  ${(ms / 1000).toFixed(1).padStart(6)} s  ${file}`);
    if (slowest.length > 0) process.stdout.write(`\nslowest files:\n${slowest.join('\n')}\n`);
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
