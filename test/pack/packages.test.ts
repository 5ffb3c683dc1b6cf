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
import {
  ASK_MEETING_BOT_MJS,
  PING_BOT_MJS,
  addExampleDependencies,
  copyExamples,
  examplesIn,
  neededPackages,
  readmeTarballs,
} from './examples.js';
import { cleanNpmEnv, killRunning, run, runOk, startUntil } from './run.js';

// The packages as a user gets them: `npm pack`ed, installed from the tarballs into a new app
// outside the monorepo (nothing hoisted from it), and used there from ESM and CommonJS, from
// JavaScript and from strict TypeScript with every declaration file checked. The examples are
// copied into the same app and run there as their READMEs say, on the same one install.

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
    // The service worker for push notifications: a script the host serves, not an import.
    './chat-sw.js',
  ],
};

const examples = examplesIn(join(repo, 'examples'));
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
  // What the examples' own package.json files add (esbuild, TypeScript), checked against their ranges.
  addExampleDependencies(examples, { dependencies, devDependencies }, repoVersion);
  copyExamples(join(repo, 'examples'), join(app, 'examples'));
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

  it('run in an Express 5 app: chat between two SDK clients, the widget and its service worker served from the package', async () => {
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

    const widget = await fetch(`${url}/widget/chat-room.min.js`);
    expect(widget.status).toBe(200);
    expect(widget.headers.get('content-type')).toMatch(/javascript/u);
    expect(await widget.text()).toBe(readFileSync(join(app, 'node_modules/@chat/widget/dist/chat-room.min.js'), 'utf8'));
    // The push notifications' worker, from the installed @chat/widget, in an ES module app (no require).
    const worker = await fetch(`${url}/chat-sw.js`);
    expect([worker.status, worker.headers.get('content-type'), worker.headers.get('service-worker-allowed')]).toEqual([
      200,
      'text/javascript; charset=utf-8',
      '/',
    ]);
    expect(await worker.text()).toBe(readFileSync(join(app, 'node_modules/@chat/widget/chat-sw.js'), 'utf8'));
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

describe('the examples, copied out of the repository and run as their READMEs say', () => {
  const dir = (name: string) => join(app, 'examples', name);
  const env = (extra: Record<string, string>) => ({ ...cleanNpmEnv(), HOST: '127.0.0.1', PORT: '0', ...extra });
  const listening = /listening on (http:\/\/\S+)/u;
  /** `npm start` in a copied example, until it prints its URL. */
  const start = async (name: string, extra: Record<string, string> = {}) => {
    const { match, stop } = await startUntil('npm', ['start'], { cwd: dir(name), env: env(extra) }, listening);
    return { url: match[1] ?? '', stop };
  };
  const script = (name: string, code: string, ...args: string[]) => {
    writeFileSync(join(app, name), code);
    return runOk(process.execPath, [join(app, name), ...args], { cwd: app, timeoutMs: 60_000 });
  };
  const lastJson = (output: string): unknown => JSON.parse(output.trim().split('\n').at(-1) ?? '');

  it('each README installs the tarballs its example needs: its @chat packages and theirs', async () => {
    await installed;
    const packed = new Map(
      [...tarballs.keys()].map((name) => [
        name,
        JSON.parse(readFileSync(join(app, 'node_modules', name, 'package.json'), 'utf8')) as { name: string },
      ]),
    );
    expect(examples.map((e) => e.manifest.name).sort(), 'a new example gets a check of its own below').toEqual([
      'custom-frontend',
      'express-app',
      'meeting-bot',
      'react-app',
    ]);
    for (const { manifest, readme } of examples) {
      const needed = neededPackages(manifest, packed).map((name) => (tarballs.get(name) ?? name).split(/[\\/]/u).at(-1));
      expect(readmeTarballs(readme), `examples/${manifest.name}/README.md, "Run it on its own"`).toEqual(needed.sort());
    }
  });

  it('react-app: type-checks with its own tsconfig, bundles, and serves its page', async () => {
    await installed;
    await runOk('npm', ['run', 'typecheck'], { cwd: dir('react-app'), env: cleanNpmEnv(), timeoutMs: 120_000 });
    const { url, stop } = await start('react-app');
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/app.js');
    const bundle = await fetch(`${url}/app.js`);
    expect(bundle.status).toBe(200);
    expect(await bundle.text()).toBe(readFileSync(join(dir('react-app'), 'dist', 'app.js'), 'utf8'));
    await stop();
  }, 240_000);

  it('meeting-bot: compiles with its own tsconfig, and the bot answers a mention in the lobby', async () => {
    await installed;
    const { url, stop } = await start('meeting-bot');
    expect(lastJson(await script('ask-meeting-bot.mjs', ASK_MEETING_BOT_MJS, url))).toEqual({ bot: 'Meeting Assistant', answered: true });
    await stop();
  }, 240_000);

  it('express-app: serves its pages and those of video-portal and custom-frontend; the custom-frontend bot answers', async () => {
    await installed;
    const { url, stop } = await start('express-app', { DATABASE_URL: '' }); // the memory store
    for (const path of ['/', '/video-portal/', '/custom-frontend/']) {
      const page = await fetch(`${url}${path}`);
      expect(page.status, path).toBe(200);
      expect(page.headers.get('content-type'), path).toMatch(/text\/html/u);
    }
    for (const path of ['/widget/chat-room.min.js', '/vendor/chat-client.js'])
      expect((await fetch(`${url}${path}`)).status, path).toBe(200);

    const bot = await startUntil(
      'npm',
      ['run', 'bot'],
      { cwd: dir('custom-frontend'), env: env({ CHAT_URL: url }) },
      /\[bot\] joined lobby/u,
    );
    expect(lastJson(await script('ping-bot.mjs', PING_BOT_MJS, url))).toEqual({ from: 'Bot', text: 'pong' });
    await bot.stop();
    await stop();
  }, 120_000);
});
