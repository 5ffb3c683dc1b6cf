#!/usr/bin/env node
// Builds the packages in dependency order, skipping a step whose inputs have not changed since its
// last build and whose outputs are still as it left them. `npm start` and `npm run pack` use it;
// `--force` (what `npm run build` passes) rebuilds every step.
//
// A step's inputs are hashed by content (not mtimes, which a checkout or a copy changes): its
// sources without tests, its package.json, build configs, tsconfig.base.json, package-lock.json
// (a dependency that changed version changes the bundles) and the hashes of the steps it depends
// on. The hash and the size and mtime of every file the step wrote are kept in
// node_modules/.cache/chat-build/, so a fresh clone (no record) builds everything.
//
// Usage: node scripts/build.mjs [--force] [--quiet] [--demo]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stampDir = join(root, 'node_modules', '.cache', 'chat-build');
const force = process.argv.includes('--force');
const quiet = process.argv.includes('--quiet');
// `--demo` (what `npm start` passes): only what the demo runs (the protocol, the server, the SDK and
// the script-tag widget); the rest waits until the tests or `npm run build` ask for it.
const demo = process.argv.includes('--demo');

/** Files every step depends on. */
const common = ['tsconfig.base.json', 'package-lock.json', 'scripts/fix-cjs-declarations.mjs'];
const pkgInputs = (dir) => [`${dir}/src`, `${dir}/package.json`, `${dir}/tsup.config.ts`, `${dir}/tsconfig.json`];

/**
 * The build, in order. `outputs` are the folders and files a step writes (watched for changes);
 * `cjs` steps get their CommonJS declarations fixed after tsup (scripts/fix-cjs-declarations.mjs).
 */
const allSteps = [
  { name: '@chat/protocol', inputs: pkgInputs('packages/protocol'), deps: [], outputs: ['packages/protocol/dist'], cjs: true, demo: true },
  {
    name: '@chat/server',
    inputs: pkgInputs('packages/server'),
    deps: ['@chat/protocol'],
    outputs: ['packages/server/dist'],
    cjs: true,
    demo: true,
  },
  {
    name: '@chat/client',
    inputs: pkgInputs('packages/client'),
    deps: ['@chat/protocol'],
    outputs: ['packages/client/dist'],
    cjs: true,
    demo: true,
  },
  {
    name: '@chat/widget',
    inputs: [...pkgInputs('packages/widget'), 'packages/widget/custom-elements-manifest.config.mjs'],
    deps: ['@chat/client'],
    outputs: ['packages/widget/dist', 'packages/widget/custom-elements.json'],
  },
  {
    // The script-tag bundle (chat-room.min.js and the chunks it loads): Lit, socket.io-client, the SDK and the protocol inside.
    name: 'widget script',
    command: ['npx', 'rollup', '-c', 'rollup.config.mjs', '--environment', 'WIDGET_BUILD:script'],
    inputs: ['rollup.config.mjs', 'scripts/widget-budget.mjs', 'packages/widget/src', 'packages/widget/tsconfig.json'],
    deps: ['@chat/client', '@chat/protocol'],
    outputs: ['packages/widget/dist'],
    demo: true,
  },
  {
    // The same as an ES module (chat-room.esm.js and its chunks).
    name: 'widget module',
    command: ['npx', 'rollup', '-c', 'rollup.config.mjs', '--environment', 'WIDGET_BUILD:module'],
    inputs: ['rollup.config.mjs', 'scripts/widget-budget.mjs', 'packages/widget/src', 'packages/widget/tsconfig.json'],
    deps: ['@chat/client', '@chat/protocol'],
    outputs: ['packages/widget/dist'],
  },
  {
    name: '@chat/react',
    inputs: pkgInputs('packages/react'),
    deps: ['@chat/client', '@chat/widget'],
    outputs: ['packages/react/dist'],
    cjs: true,
  },
];
const steps = demo ? allSteps.filter((step) => step.demo) : allSteps;

const isTestFile = (path) => /\.(test|spec)\.tsx?$/u.test(path);

/** Every file under `path` (a file or a folder), relative to the repository, sorted. */
function listFiles(path) {
  const abs = join(root, path);
  if (!existsSync(abs)) return [];
  if (!statSync(abs).isDirectory()) return [path];
  const out = [];
  for (const entry of readdirSync(abs, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const rel = `${path}/${entry.name}`;
    if (entry.isDirectory()) out.push(...listFiles(rel));
    else out.push(rel);
  }
  return out.sort();
}

/** The content hash of a step's inputs and of the steps it depends on. */
function inputHash(step, hashes) {
  const hash = createHash('sha256');
  for (const dep of step.deps) hash.update(`dep ${dep} ${hashes.get(dep) ?? 'not built'}\n`);
  for (const file of [...common, ...step.inputs].flatMap(listFiles)) {
    if (isTestFile(file)) continue;
    hash.update(`file ${file}\n`);
    hash.update(readFileSync(join(root, file)));
  }
  return hash.digest('hex');
}

/** Size and mtime of every file under the step's outputs. */
function snapshot(step) {
  const files = {};
  for (const file of step.outputs.flatMap(listFiles)) {
    const { size, mtimeMs } = statSync(join(root, file));
    files[file] = `${size}:${mtimeMs}`;
  }
  return files;
}

const stampFile = (step) => join(stampDir, `${step.name.replace(/[^a-z0-9]+/giu, '_')}.json`);

function readStamp(step) {
  try {
    return JSON.parse(readFileSync(stampFile(step), 'utf8'));
  } catch {
    return null;
  }
}

/** True when the last build of this step had these inputs and what it wrote is untouched. */
function isFresh(step, hash) {
  const stamp = readStamp(step);
  if (!stamp || stamp.hash !== hash || Object.keys(stamp.wrote).length === 0) return false;
  const now = snapshot(step);
  return Object.entries(stamp.wrote).every(([file, sig]) => now[file] === sig);
}

function run(step) {
  const [command, ...args] = step.command ?? ['npm', 'run', 'build', '-w', step.name];
  const result = spawnSync(command, args, {
    cwd: root,
    shell: process.platform === 'win32', // npm and npx are .cmd files there
    stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
  });
  if (result.status !== 0) {
    console.error(`build: ${step.name} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
  if (!step.cjs) return;
  const fixed = spawnSync(process.execPath, [join(root, 'scripts/fix-cjs-declarations.mjs'), join(root, step.outputs[0])], {
    cwd: root,
    stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
  });
  if (fixed.status !== 0) {
    console.error(`build: fixing the CommonJS declarations of ${step.name} failed`);
    process.exit(fixed.status || 1);
  }
}

/**
 * One build at a time: test files that build first run in parallel workers. The lock is a
 * folder (created atomically) holding the owner's pid; a lock whose owner is gone is taken over.
 */
function lock() {
  const dir = join(stampDir, 'lock');
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, 'pid'), String(process.pid));
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    let owner = NaN;
    try {
      owner = Number(readFileSync(join(dir, 'pid'), 'utf8'));
    } catch {
      // being written or removed right now: look again
    }
    if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) rmSync(dir, { recursive: true, force: true });
    if (Date.now() > deadline) throw new Error(`build: ${dir} is held by another build (pid ${owner})`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

const started = Date.now();
const hashes = new Map();
let built = 0;
mkdirSync(stampDir, { recursive: true });
lock();
for (const step of steps) {
  const hash = inputHash(step, hashes);
  hashes.set(step.name, hash);
  if (!force && isFresh(step, hash)) continue;
  rmSync(stampFile(step), { force: true }); // a failed build leaves no record
  const before = snapshot(step);
  const t0 = Date.now();
  run(step);
  const after = snapshot(step);
  const wrote = Object.fromEntries(Object.entries(after).filter(([file, sig]) => before[file] !== sig));
  writeFileSync(stampFile(step), JSON.stringify({ hash, wrote }, null, 2));
  console.log(`build: ${step.name} built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  built++;
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`build: ${built} of ${steps.length} steps built in ${seconds} s${built < steps.length ? '; the others were up to date' : ''}`);
