// Mutation testing of the message path: `npm run mutate` (not in CI: it runs the integration
// suites once per mutant). See docs/testing.md for how to read and use the report.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutate.config.ts' },
  mutate: [
    'packages/server/src/capabilities/messages/post-message.ts',
    'packages/server/src/store/memory-store.ts',
    // A room's log and its upkeep (revs, the change index, trimming), split out of memory-store.ts.
    'packages/server/src/store/memory-room-log.ts',
    'packages/server/src/store/postgres/postgres-store.ts',
    // The message SQL postgres-store.ts ran inline until the refactor of issue 25.
    'packages/server/src/store/postgres/message-sql.ts',
    // Appends since group commit (issue 29): batched by group-commit.ts, one statement in append-batch-sql.ts.
    'packages/server/src/store/postgres/group-commit.ts',
    'packages/server/src/store/postgres/append-batch-sql.ts',
    'packages/server/src/kernel/rooms/open-room.ts',
    // The SDK's catch-up: join/re-join, paging forward, dedupe; and the gap filler.
    'packages/client/src/room/room-sync.ts',
    'packages/client/src/room/gap-filler.ts',
  ],
  // Two cores: one sandbox each. A mutant that hangs (an endless catch-up loop) is cut off.
  concurrency: 2,
  coverageAnalysis: 'perTest',
  timeoutMS: 15_000,
  timeoutFactor: 2,
  // Later runs re-test only the mutants whose code or covering tests changed.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  ignorePatterns: ['artifacts', 'bench', 'docs', 'reports', 'coverage', '**/dist', 'packages/widget', 'examples'],
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  thresholds: { high: 80, low: 60, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
