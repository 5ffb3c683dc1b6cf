import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

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
    include: [
      'test/**/*.test.ts',
      'packages/*/src/**/*.test.{ts,tsx}',
      'packages/*/test/**/*.test.{ts,tsx}',
      'examples/*/test/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    // Two files at a time even on two cores (vitest's default there is one): the suites mostly wait
    // on sockets, PostgreSQL, Redis and Chromium, so the second file runs in the first one's waits.
    // Each file has its own ports, schema and Redis key prefix. CI: 19 min with one, about 13 with two.
    maxWorkers: 2,
    testTimeout: 20_000,
    // expect.poll's own default (1 s) is met by an idle laptop, not by a loaded 2-core runner.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 20_000,
    reporters: ['default', './test-support/summary-reporter.ts'],
  },
});
