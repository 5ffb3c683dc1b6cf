import { defineConfig } from 'tsup';

// The library build for bundler apps (`import '@chat/widget'`): lit and the SDK stay external.
// The script-tag bundles are built by rollup.config.mjs at the repository root.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  clean: false,
  sourcemap: true,
  target: 'es2021',
});
