// Bundles src/main.tsx (React, @chat/react, the widget, the SDK) into dist/app.js with esbuild.
// NODE_ENV=development keeps React's development build (StrictMode checks, readable errors).
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const mode = process.env.NODE_ENV === 'development' ? 'development' : 'production';

await build({
  absWorkingDir: fileURLToPath(new URL('.', import.meta.url)),
  entryPoints: ['src/main.tsx'],
  outfile: 'dist/app.js',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  jsx: 'automatic',
  minify: mode === 'production',
  sourcemap: true,
  define: { 'process.env.NODE_ENV': JSON.stringify(mode) },
  logLevel: 'info',
});
