// The widget's script-tag bundle, gzipped, next to Lit + socket.io-client alone (the floor), and the
// files it loads from next to it when a feature is first used.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import commonjs from '@rollup/plugin-commonjs';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { BUNDLE_BUDGET_BYTES, DESIGN_BUDGET_BYTES } from '../scripts/widget-budget.mjs';

const gz = (code) => gzipSync(code, { level: 9 }).length;

export async function bundleScenario() {
  const dist = fileURLToPath(new URL('../packages/widget/dist/', import.meta.url));
  const widget = readFileSync(join(dist, 'chat-room.min.js'));
  // The script tag's chunks (not the module build's .esm.js ones), largest first.
  const chunks = readdirSync(dist)
    .filter((f) => /^chat-room\.[\w-]+\.js$/u.test(f) && f !== 'chat-room.min.js' && !f.endsWith('.esm.js'))
    .map((file) => ({ name: file.replace(/^chat-room\.|\.js$/gu, ''), gzip: gz(readFileSync(join(dist, file))) }))
    .sort((a, b) => b.gzip - a.gzip);
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
  return {
    widgetGzip,
    baselineGzip: gz(output[0].code),
    chunks,
    budget: BUNDLE_BUDGET_BYTES,
    designBudget: DESIGN_BUDGET_BYTES,
    pass: widgetGzip <= BUNDLE_BUDGET_BYTES,
  };
}
