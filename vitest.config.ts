import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

/** The packages' own tests (node): these share each worker's modules. */
const SHARED = [
  'packages/protocol/src/**/*.test.ts',
  'packages/server/src/**/*.test.ts',
  'packages/client/src/**/*.test.ts',
  'bench/**/*.test.ts',
];
/**
 * Among those, the ones that run isolated (in the `isolated` project): those that load a module
 * afresh (`vi.doMock`, `vi.resetModules`) and files that failed once in a shared worker. (The
 * end-to-end ones, and the two long node files of `LANE_BALANCE`, are `BROWSER`.)
 */
const ISOLATED_HERE = [
  // Mocks web-push as missing (vi.mock).
  'packages/server/src/plugins/push/push-ready.integration.test.ts',
  // Failed once in a shared worker (its counts off right after the first list), passed isolated: kept isolated until understood.
  'packages/client/src/conversations.integration.test.ts',
  'packages/client/src/calls/call-router.test.ts',
  'packages/server/src/store/postgres/group-commit-bounds.integration.test.ts',
];

/**
 * Two long node files run in the browser project's lane (scripts/test.mjs), isolated there: the
 * node lane took 882 s and the browser lane 748 s in CI; these move about 60 s across. The soak
 * test counts the live objects of the whole process, which a file of its own keeps exact.
 */
const LANE_BALANCE = ['packages/server/src/soak.integration.test.ts', 'packages/server/src/model/server-model.integration.test.ts'];

/** The files that drive a Chromium or child processes of their own (the `browser` project), and `LANE_BALANCE`. */
const BROWSER = [
  ...LANE_BALANCE,
  'packages/*/src/**/*.e2e.test.ts',
  'packages/widget/test/**/*.e2e.test.ts',
  'packages/react/test/**/*.e2e.test.ts',
  'test/**/*.test.ts',
  'examples/*/test/**/*.test.ts',
];

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against source; only the build tests import dist/.
    alias: {
      '@chat/server/redis': fileURLToPath(new URL('./packages/server/src/redis.ts', import.meta.url)),
      '@chat/server/postgres': fileURLToPath(new URL('./packages/server/src/postgres.ts', import.meta.url)),
      '@chat/server/testing': fileURLToPath(new URL('./packages/server/src/testing.ts', import.meta.url)),
      '@chat/client/indexeddb': fileURLToPath(new URL('./packages/client/src/indexeddb.ts', import.meta.url)),
      '@chat/protocol': src('protocol'),
      '@chat/server': src('server'),
      '@chat/client': src('client'),
      '@chat/widget': src('widget'),
      '@chat/react': src('react'),
    },
  },
  test: {
    // Every test file: the afterEach that closes what a test opened (servers, clients, pools).
    setupFiles: ['./test-support/setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          // The packages' own tests share each worker's modules (not isolated per file): importing
          // the server's and client's source once per worker, not once per file, saves about 2 s a
          // file. They hold no module state a later file could see: what a test opens it closes
          // (setup.ts), fake timers are restored, spies are on their own objects.
          name: 'shared',
          // About 160 s less of the test phase. (With two browser files beside a shared worker, as
          // before the lanes of scripts/test.mjs, the browser suites failed on timing.)
          isolate: false,
          include: SHARED,
          exclude: [...configDefaults.exclude, ...ISOLATED_HERE, ...BROWSER],
        },
      },
      {
        extends: true,
        test: {
          // Each file in a fresh module graph: the widget's and React's jsdom tests (custom elements
          // defined once per window) and the node files that change process-wide state.
          name: 'isolated',
          include: ['packages/widget/**/*.test.{ts,tsx}', 'packages/react/**/*.test.{ts,tsx}', ...ISOLATED_HERE],
          exclude: [...configDefaults.exclude, ...BROWSER],
        },
      },
      {
        extends: true,
        test: {
          // What drives a Chromium (one per file, closed by browser.ts's afterAll) or child processes
          // of its own: the packed packages, the docs' snippets and the examples. `npm test` runs this
          // project in a lane of its own beside the others (scripts/test.mjs).
          name: 'browser',
          include: BROWSER,
          // A hang guard, not a measure: these are long flows (two pages, several axe-core runs,
          // screenshots) that took 13 s on a quiet runner and passed 20 s on a loaded one (CI: the
          // keyboard edit-and-delete flow, 20.8 s). A test that asks more keeps its own.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
    // Two files at a time even on two cores (vitest's default there is one): the suites mostly wait
    // on sockets, PostgreSQL, Redis and Chromium, so the second file runs in the first one's waits.
    // Under `npm test` (scripts/test.mjs, which sets CHAT_TEST_LANE) each of its two lanes runs one
    // file at a time: the CLI's --maxWorkers does not reach the projects, which take this value.
    maxWorkers: process.env['CHAT_TEST_LANE'] ? 1 : 2,
    testTimeout: 20_000,
    // expect.poll's own default (1 s) is met by an idle laptop, not by a loaded 2-core runner.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 20_000,
    reporters: ['default', './test-support/summary-reporter.ts'],
  },
});
