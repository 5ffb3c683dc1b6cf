import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // One entry per subpath of package.json's exports (`./browser` is the script below).
    entry: ['src/index.ts', 'src/indexeddb.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'es2022',
  },
  {
    // One file with socket.io-client and eventemitter3 inside, for pages without a bundler.
    entry: { 'chat-client.global': 'src/browser.ts' },
    format: ['iife'],
    globalName: 'ChatSDK',
    platform: 'browser',
    noExternal: [/.*/u],
    minify: true,
    sourcemap: true,
    target: 'es2020',
    outExtension: () => ({ js: '.js' }),
  },
]);
