import { defineConfig } from 'tsup';

// React, @lit/react and the chat packages stay external: the app brings one copy of each
// (two copies of React break hooks; two of @chat/protocol break `instanceof ChatError`).
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  external: ['react', 'react-dom', '@lit/react', /^@chat\//u],
});
