// The widget's browser bundles: chat-room.min.js (IIFE, for a script tag) and chat-room.esm.js
// (a self-contained module). Lit, socket.io-client and the SDK are inside both.
import { gzipSync } from 'node:zlib';
import commonjs from '@rollup/plugin-commonjs';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

const BUDGET_BYTES = 35 * 1024; // gzipped, see DESIGN.md
const outDir = 'packages/widget/dist';

/** Reports each bundle's gzipped size, and fails the build over the budget. */
function sizeReport() {
  return {
    name: 'size-report',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        const gz = gzipSync(file.code, { level: 9 }).length;
        const line = `${file.fileName}: ${(file.code.length / 1024).toFixed(1)} KB, ${(gz / 1024).toFixed(1)} KB gzipped (budget ${BUDGET_BYTES / 1024} KB)`;
        console.log(line);
        if (gz > BUDGET_BYTES) this.error(`${line}: over budget`);
      }
    },
  };
}

const plugins = () => [
  nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
  commonjs(),
  typescript({
    tsconfig: 'packages/widget/tsconfig.json',
    compilerOptions: { declaration: false, declarationMap: false, sourceMap: true, outDir, noEmit: false },
    include: ['packages/widget/src/**/*.ts'],
    exclude: ['packages/widget/src/**/*.test.ts'],
  }),
  terser({ format: { comments: false }, compress: { passes: 2 } }),
  sizeReport(),
];

export default [
  {
    input: 'packages/widget/src/embed.ts',
    output: { file: `${outDir}/chat-room.min.js`, format: 'iife', name: 'ChatWidget', sourcemap: true },
    plugins: plugins(),
  },
  {
    input: 'packages/widget/src/embed.ts',
    output: { file: `${outDir}/chat-room.esm.js`, format: 'es', sourcemap: true },
    plugins: plugins(),
  },
];
