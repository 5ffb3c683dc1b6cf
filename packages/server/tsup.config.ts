import { defineConfig } from 'tsup';

export default defineConfig({
  // One entry per subpath of package.json's exports; /testing is the ChatStore conformance suite.
  entry: ['src/index.ts', 'src/postgres.ts', 'src/redis.ts', 'src/testing.ts'],
  // Optional peers: only users of the postgres / redis subpaths install them; vitest only users of /testing.
  external: ['pg', 'redis', 'ioredis', '@socket.io/redis-streams-adapter', '@socket.io/redis-adapter', 'vitest'],
  format: ['esm', 'cjs'],
  // import.meta.url in the CommonJS build too (chat.widgetHandler() finds @chat/widget from it).
  shims: true,
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
});
