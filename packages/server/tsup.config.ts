import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/postgres.ts', 'src/redis.ts'],
  // Optional peers: only users of the postgres / redis subpaths install them.
  external: ['pg', 'redis', '@socket.io/redis-streams-adapter'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
});
