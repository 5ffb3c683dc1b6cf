// The widget's script-tag bundle, gzipped, next to Lit + socket.io-client alone (the floor).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import commonjs from '@rollup/plugin-commonjs';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const BUDGET = 55.5 * 1024; // see rollup.config.mjs
const gz = (code) => gzipSync(code, { level: 9 }).length;

export async function bundleScenario() {
  const widget = readFileSync(fileURLToPath(new URL('../packages/widget/dist/chat-room.min.js', import.meta.url)));
  const dir = mkdtempSync(join(tmpdir(), 'bench-bundle-'));
  const entry = join(dir, 'entry.mjs');
  writeFileSync(
    entry,
    "import { LitElement, html } from 'lit';\nimport { io } from 'socket.io-client';\nwindow.x = [LitElement, html, io];\n",
  );
  const build = await rollup({
    input: entry,
    plugins: [
      nodeResolve({
        browser: true,
        exportConditions: ['browser', 'production'],
        rootDir: process.cwd(),
        modulePaths: [join(process.cwd(), 'node_modules')],
      }),
      commonjs(),
      terser(),
    ],
    onwarn: () => undefined,
  });
  const { output } = await build.generate({ format: 'iife' });
  await build.close();
  const widgetGzip = gz(widget);
  return { widgetGzip, baselineGzip: gz(output[0].code), budget: BUDGET, pass: widgetGzip <= BUDGET };
}
