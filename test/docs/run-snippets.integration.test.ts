import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithoutPostgres } from '../../test-support/postgres.js';
import { skipWithoutRedis } from '../../test-support/redis.js';
import {
  mapLimit,
  needsOf,
  runModule,
  snippetFolder,
  startSnippetChat,
  toModule,
  type RunResult,
  type SnippetFolder,
} from './snippet-runner.js';
import { extractSnippets, markdownFiles, type Snippet } from './snippets.js';

// Every ```ts / ```tsx / ```js block of docs/ and the READMEs that is not marked `skip` or
// `compile-only` runs as a Node program against the built packages (snippet-runner.ts,
// snippet-preload.mjs; a js block as it is written, the others transpiled), the way doctests run: it must finish its top-level code and then stay quiet (no uncaught exception,
// no unhandled rejection) for half a second. A client snippet gets a chat server of its own.
// docs/testing.md describes the rules. The packages must be built (`npm test` builds them first).

const repo = fileURLToPath(new URL('../..', import.meta.url));
/** Snippets run at once: each is a Node process importing the server or the SDK (two cores). */
const PARALLEL = 3;

const snippets = markdownFiles(repo)
  .flatMap((file) => extractSnippets(file, readFileSync(join(repo, file), 'utf8')))
  .filter((snippet) => snippet.mode === 'run');

/** The runner's own checks, run beside the snippets: what it must fail, and what it must let pass. */
const SELF_CHECKS = {
  throws: { lang: 'ts', code: "await Promise.resolve();\nthrow new Error('broken snippet');" },
  rejectsLater: { lang: 'ts', code: "setTimeout(() => void Promise.reject(new Error('late')), 50);" },
  hangs: { lang: 'ts', code: 'await new Promise<void>((resolve) => setTimeout(resolve, 60_000));' },
  fixedPorts: {
    lang: 'ts',
    code: "import { createServer } from 'node:http';\ncreateServer().listen(3000);\ncreateServer().listen({ port: 3000 });",
  },
  client: {
    lang: 'ts',
    code: [
      "import { ChatClient } from '@chat/client';",
      "const client = new ChatClient({ url: 'http://localhost:3000', auth: { name: 'Ana' } });",
      "await (await client.join('lobby')).send('hi');",
    ].join('\n'),
  },
  jsServer: {
    lang: 'js',
    code: [
      "import { createChatServer } from '@chat/server';",
      'const chat = createChatServer(httpServer);',
      "await chat.sendMessage('lobby', { user: { id: 'host', name: 'Host' }, text: 'hi' });",
      'httpServer.listen(3000);',
    ].join('\n'),
  },
  // Not transpiled: TypeScript in a js block is an error, as it is for a reader who copies it.
  jsWithTypes: { lang: 'js', code: 'const n: number = 1;\nconsole.log(n);' },
} satisfies Record<string, Pick<Snippet, 'code' | 'lang'>>;

/** A PostgreSQL schema of its own for one snippet: its connection string, and how to drop it. */
async function freshSchema(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `chat_docs_${randomBytes(5).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: process.env['DATABASE_URL'] });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE SCHEMA ${name}`);
  const url = new URL(process.env['DATABASE_URL'] ?? '');
  url.searchParams.set('options', `-c search_path=${name}`);
  return { url: url.href, drop: () => admin(`DROP SCHEMA IF EXISTS ${name} CASCADE`) };
}

type Outcome = RunResult | { skipped: string };

/** Runs one snippet with what it needs: a chat server, a schema, Redis. */
async function run(folder: SnippetFolder, name: string, snippet: Pick<Snippet, 'code' | 'lang'>, timeoutMs?: number): Promise<Outcome> {
  const needs = needsOf(snippet.code);
  if (needs.postgres && skipWithoutPostgres()) return { skipped: 'DATABASE_URL is not set' };
  if (needs.redis && skipWithoutRedis()) return { skipped: 'REDIS_URL is not set' };
  const chat = needs.chatServer ? await startSnippetChat() : undefined;
  const schema = needs.postgres ? await freshSchema() : undefined;
  try {
    const env: Record<string, string> = schema ? { DATABASE_URL: schema.url } : {};
    return await runModule(folder, name, toModule(snippet, chat?.url), env, timeoutMs);
  } finally {
    await chat?.close();
    await schema?.drop();
  }
}

const label = (snippet: Snippet) => `${snippet.file}:${snippet.line}`;

/** What a failed run says: where the snippet is, how it ended, and its output. */
function report(where: string, result: RunResult): string {
  const end = result.timedOut ? 'did not finish in time (killed)' : `exited with ${String(result.code)}`;
  return `${where} ${end} after ${result.ms} ms; its output:\n${result.output.trim() || '(none)'}`;
}

const outcomes = new Map<string, Outcome>();
let folder: SnippetFolder;

describe('the docs snippets, run as Node programs', () => {
  beforeAll(async () => {
    expect(existsSync(join(repo, 'packages/server/dist/index.js')), 'the packages are built (npm run build)').toBe(true);
    folder = snippetFolder();
    const jobs: Array<{ key: string; snippet: Pick<Snippet, 'code' | 'lang'>; timeoutMs?: number }> = [
      ...Object.entries(SELF_CHECKS).map(([key, snippet]) => ({
        key: `self:${key}`,
        snippet,
        timeoutMs: key === 'hangs' ? 2_000 : undefined,
      })),
      ...snippets.map((snippet) => ({ key: label(snippet), snippet })),
    ];
    await mapLimit(jobs, PARALLEL, async ({ key, snippet, timeoutMs }) => {
      outcomes.set(key, await run(folder, key.replace(/[^a-z0-9]+/giu, '-'), snippet, timeoutMs));
    });
  }, 300_000);

  afterAll(() => folder?.remove());

  const result = (key: string): RunResult => {
    const outcome = outcomes.get(key);
    if (!outcome || 'skipped' in outcome) throw new Error(`${key}: no run`);
    return outcome;
  };

  it('finds snippets to run', () => {
    expect(snippets.length).toBeGreaterThan(30);
  });

  it.for(snippets.map((snippet) => [label(snippet), snippet] as const))('%s runs', ([key, snippet], context) => {
    const outcome = outcomes.get(key);
    if (outcome && 'skipped' in outcome) {
      context.skip(outcome.skipped);
      return;
    }
    const done = result(key);
    const where = report(`${snippet.file}:${snippet.line} (the ${snippet.lang} block that starts there)`, done);
    expect(done.code, where).toBe(0);
    // A chat server with no `error` listener writes what it reports as `[chat] ...`: a snippet whose
    // server reported a failure (a plugin's listener that threw, a hook that failed) is broken too.
    expect(done.output, where).not.toMatch(/^\[chat\] /mu);
  });

  it('fails a snippet that throws, naming the error', () => {
    expect(result('self:throws').code).toBe(1);
    expect(result('self:throws').output).toMatch(/snippet: uncaught exception: Error: broken snippet/u);
  });

  it('fails a snippet whose promise rejects after its module has finished', () => {
    expect(result('self:rejectsLater').code).toBe(1);
    expect(result('self:rejectsLater').output).toMatch(/snippet: unhandled rejection: Error: late/u);
  });

  it('stops a snippet that does not finish, at its timeout', () => {
    expect(result('self:hangs')).toMatchObject({ code: null, timedOut: true });
  });

  it('ends a snippet that keeps servers listening, on ports of its own', () => {
    expect(result('self:fixedPorts'), report('self:fixedPorts', result('self:fixedPorts'))).toMatchObject({ code: 0 });
  });

  it("points a client snippet's chat server at a server of the test's", () => {
    expect(result('self:client'), report('self:client', result('self:client'))).toMatchObject({ code: 0 });
  });

  it('runs a js block as it is written, without transpiling it', () => {
    expect(result('self:jsServer'), report('self:jsServer', result('self:jsServer'))).toMatchObject({ code: 0 });
    expect(result('self:jsWithTypes').code).toBe(1);
    expect(result('self:jsWithTypes').output).toMatch(/SyntaxError/u);
  });
});
