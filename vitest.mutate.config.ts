import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// The tests StrykerJS runs against each mutant (`npm run mutate`, see docs/testing.md): the ones
// that hold the message path, not the browser, cluster or demo suites (too slow per mutant).
// Spread, not mergeConfig: mergeConfig would add this include list to the base one.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'packages/server/src/rooms.integration.test.ts',
      'packages/server/src/errors.integration.test.ts',
      'packages/server/src/rooms/lifecycle.integration.test.ts',
      'packages/server/src/http/rest-handler.integration.test.ts',
      'packages/server/src/store/memory-store.test.ts',
      'packages/server/src/store/postgres/postgres-store.integration.test.ts',
      'packages/client/src/reconnect.integration.test.ts',
    ],
    reporters: ['default'],
  },
});
