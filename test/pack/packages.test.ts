import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeProcess } from '../../test-support/process.js';
import {
  CLIENT_MJS,
  SERVER_MJS,
  checkCjs,
  tsconfig,
  typeCheckSource,
  typedEntries,
  type PackedManifest,
  type TypedEntry,
} from './app-files.js';
import { cleanNpmEnv, killRunning, run, runOk } from './run.js';

// The packages as a user gets them: `npm pack`ed, installed from the tarballs into a new app
// outside the monorepo (nothing hoisted from it), and used there from ESM and CommonJS, from
// JavaScript and from strict TypeScript with every declaration file checked.

const repo = fileURLToPath(new URL('../..', import.meta.url));
const bin = (name: string) => join(repo, 'node_modules', '.bin', name);
const repoVersion = (name: string): string =>
  (JSON.parse(readFileSync(join(repo, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

/** The packages every release ships. */
const PACKAGES = ['@chat/protocol', '@chat/server', '@chat/client', '@chat/widget', '@chat/react'];
/** Packages without a CommonJS build, on purpose (see its README): the widget is a browser custom element on Lit, which is ESM-only. */
const ESM_ONLY = new Set(['@chat/widget']);

/**
 * attw options per package, each with its reason. Everything not listed is checked with the
 * strict profile (node10, node16 from CJS and ESM, bundler).
 */
const ATTW_OPTIONS: Record<string, string[]> = {
  // `./browser` is a script for a <script> tag (window.ChatSDK), not an import: it has no types.
  '@chat/client': ['--exclude-entrypoints', './browser'],
  // ESM-only (see ESM_ONLY); the bundles are scripts for a <script> tag, not imports, and their
  // chunks (calls, moderation, the inbox, uploads, the image view, the suggestions, Spanish) are loaded by them.
  '@chat/widget': [
    '--profile',
    'esm-only',
    '--exclude-entrypoints',
    './chat-room.min.js',
    './chat-room.esm.js',
    './chat-room.call.js',
    './chat-room.call.esm.js',
    './chat-room.es.js',
    './chat-room.es.esm.js',
    './chat-room.moderation.js',
    './chat-room.moderation.esm.js',
    './chat-room.inbox.js',
    './chat-room.inbox.esm.js',
    './chat-room.uploads.js',
    './chat-room.uploads.esm.js',
    './chat-room.viewer.js',
    './chat-room.viewer.esm.js',
    './chat-room.pickers.js',
    './chat-room.pickers.esm.js',
  ],
};

let app = '';
const tarballs = new Map<string, string>();
const manifests = new Map<string, PackedManifest>();
let installed: Promise<void> = Promise.resolve();

beforeAll(async () => {
  app = mkdtempSync(join(tmpdir(), 'chat-pack-'));
  expect(realpathSync(app).startsWith(realpathSync(repo)), 'the app must live outside the repository').toBe(false);
  // Builds what changed (nothing, after `npm run build`), then packs.
  const out = await runOk(process.execPath, [join(repo, 'scripts/pack.mjs'), '--out', join(app, 'packs')], {
    cwd: repo,
    env: cleanNpmEnv(),
  });
  for (const file of readdirSync(join(app, 'packs'))) {
    const name = `@chat/${/^chat-(.+)-\d+\.\d+\.\d+.*\.tgz$/u.exec(file)?.[1] ?? file}`;
    tarballs.set(name, join(app, 'packs', file));
  }
  expect([...tarballs.keys()].sort(), out).toEqual([...PACKAGES].sort());

  // With the optional peers the docs name for PostgresStore and redisCluster, so that every entry loads.
  const dependencies: Record<string, string> = {
    express: repoVersion('express'),
    pg: repoVersion('pg'),
    redis: repoVersion('redis'),
    '@socket.io/redis-streams-adapter': repoVersion('@socket.io/redis-streams-adapter'),
  };
  for (const [name, file] of tarballs) dependencies[name] = `file:${file}`;
  const devDependencies: Record<string, string> = {
    '@types/node': repoVersion('@types/node'),
    '@types/express': repoVersion('@types/express'),
    // PostgresStore's declarations use pg's types: strict projects need @types/pg (docs/storage.md).
    '@types/pg': repoVersion('@types/pg'),
  };
  Object.assign(dependencies, { react: repoVersion('react'), 'react-dom': repoVersion('react-dom') });
  Object.assign(devDependencies, { '@types/react': repoVersion('@types/react'), '@types/react-dom': repoVersion('@types/react-dom') });
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'pack-check-app', private: true, type: 'module', dependencies, devDependencies }, null, 2),
  );
  // Started here, awaited by the tests that need it, so that publint and attw run meanwhile.
  installed = runOk('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: app,
    env: cleanNpmEnv(),
    timeoutMs: 240_000,
  }).then(() => {
    for (const [name] of tarballs) {
      const dir = join(app, 'node_modules', name);
      manifests.set(name, JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackedManifest);
    }
  });
  installed.catch(() => undefined); // reported by the tests that await it
}, 600_000); // standalone, after changes, the build comes first (with `npm test` it is done)

afterAll(async () => {
  await killRunning();
  await installed.catch(() => undefined);
  if (app) rmSync(app, { recursive: true, force: true });
});

describe('the packed packages', () => {
  it('pass publint (warnings count as errors)', async () => {
    const results = await Promise.all(
      [...tarballs].map(async ([name, file]) => ({ name, ...(await run(bin('publint'), ['run', file, '--strict'], { cwd: app })) })),
    );
    for (const { name, code, output } of results) expect(code, `publint ${name}:\n${output}`).toBe(0);
  }, 60_000);

  it('pass attw (are the types wrong)', async () => {
    // Two at a time: each is a TypeScript program, and CI has two cores.
    const entries = [...tarballs];
    const failures: string[] = [];
    for (let i = 0; i < entries.length; i += 2) {
      const results = await Promise.all(
        entries.slice(i, i + 2).map(async ([name, file]) => ({
          name,
          ...(await run(bin('attw'), [file, '--format', 'ascii', '--no-color', '--no-emoji', ...(ATTW_OPTIONS[name] ?? [])], { cwd: app })),
        })),
      );
      for (const { name, code, output } of results) if (code !== 0) failures.push(`attw ${name}:\n${output}`);
    }
    expect(failures.join('\n\n')).toBe('');
  }, 120_000);

  it('install from the tarballs alone, with one shared @chat/protocol and nothing from the monorepo', async () => {
    await installed;
    const require = createRequire(join(app, 'index.js'));
    for (const name of tarballs.keys()) {
      const dir = join(app, 'node_modules', name);
      expect(lstatSync(dir).isSymbolicLink(), `${name} is a copy, not a link to the workspace`).toBe(false);
      expect(realpathSync(require.resolve(`${name}/package.json`)).startsWith(realpathSync(app))).toBe(true);
    }
    // A second copy of @chat/protocol would make `instanceof ChatError` fail across packages.
    for (const name of tarballs.keys())
      expect(existsSync(join(app, 'node_modules', name, 'node_modules', '@chat', 'protocol')), name).toBe(false);
    expect([...manifests.keys()].filter((name) => !typedEntries(manifests.get(name) ?? { name }).some((e) => e.cjs))).toEqual(
      [...manifests.keys()].filter((name) => ESM_ONLY.has(name)),
    );
  }, 300_000);

  it('run in an Express 5 app: chat between two SDK clients, the widget file served from the package', async () => {
    await installed;
    writeFileSync(join(app, 'server.mjs'), SERVER_MJS);
    writeFileSync(join(app, 'client.mjs'), CLIENT_MJS);
    const { url } = await startNodeProcess(join(app, 'server.mjs'), {}, app);

    const chatted = await runOk(process.execPath, [join(app, 'client.mjs'), url], { cwd: app, timeoutMs: 60_000 });
    expect(JSON.parse(chatted.trim().split('\n').at(-1) ?? '')).toEqual({
      text: 'Hola from a tarball',
      from: 'Ana',
      call: { chatError: true, code: 'VALIDATION_FAILED' },
    });

    const widget = await fetch(`${url}/chat-room.min.js`);
    expect(widget.status).toBe(200);
    expect(widget.headers.get('content-type')).toMatch(/javascript/u);
    expect(await widget.text()).toBe(readFileSync(join(app, 'node_modules/@chat/widget/dist/chat-room.min.js'), 'utf8'));
  }, 300_000);

  it('load from CommonJS: every require entry, one ChatError class', async () => {
    await installed;
    const entries = [...manifests.values()].flatMap(typedEntries);
    writeFileSync(join(app, 'check.cjs'), checkCjs(entries));
    const out = await runOk(process.execPath, [join(app, 'check.cjs')], { cwd: app, timeoutMs: 60_000 });
    const result = JSON.parse(out.trim().split('\n').at(-1) ?? '') as { loaded: Array<[string, number]>; sameChatError: boolean };
    expect(result.sameChatError).toBe(true);
    expect(result.loaded.map(([specifier]) => specifier)).toEqual(
      expect.arrayContaining(['@chat/protocol', '@chat/server', '@chat/server/postgres', '@chat/client']),
    );
    for (const [specifier, count] of result.loaded) expect(count, specifier).toBeGreaterThan(0);
  }, 300_000);

  it('type-check in strict TypeScript with skipLibCheck false: ESM and CommonJS (node16), ESM (bundler)', async () => {
    await installed;
    const entries: TypedEntry[] = [...manifests.values()].flatMap(typedEntries);
    expect(entries.map((e) => e.specifier)).toEqual(
      expect.arrayContaining(['@chat/server/postgres', '@chat/server/redis', '@chat/server/testing', '@chat/client/indexeddb']),
    );
    // One node16 program holds the ESM and the CommonJS file (each package's declarations are then
    // read in both formats), to check the shared declarations once. node10 (`module: commonjs`)
    // resolution is attw's check above.
    const files: Record<string, string> = {
      'types/esm/check.ts': typeCheckSource(entries, 'esm'),
      'types/cjs/check.cts': typeCheckSource(entries, 'cjs'),
      'types/tsconfig.node16.json': tsconfig({ module: 'node16', moduleResolution: 'node16', files: ['esm/check.ts', 'cjs/check.cts'] }),
      'types/tsconfig.bundler.json': tsconfig({ module: 'esnext', moduleResolution: 'bundler', files: ['esm/check.ts'] }),
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(join(app, file, '..'), { recursive: true });
      writeFileSync(join(app, file), text);
    }
    const projects = Object.keys(files).filter((f) => f.startsWith('types/tsconfig.'));
    const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
    const results = await Promise.all(
      projects.map(async (project) => ({
        project,
        ...(await run(process.execPath, [tsc, '-p', join(app, project), '--pretty', 'false'], { cwd: app, timeoutMs: 240_000 })),
      })),
    );
    const failures = results.filter((r) => r.code !== 0).map(({ project, output }) => `${project}:\n${output}`);
    expect(failures.join('\n\n')).toBe('');
  }, 300_000);
});
