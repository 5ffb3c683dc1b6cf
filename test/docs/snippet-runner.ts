// Runs a docs snippet as a Node program: an ES module (a ts or tsx block transpiled, a js block as
// it is) in a temporary folder whose node_modules is the repository's (so `@chat/server` is the
// built package, as a user installs it), started with snippet-preload.mjs, with a bounded time.
// Used by run-snippets.integration.test.ts.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { createChatServer, guestAuthenticate, linkPreviews, liveReactions, pins, polls, questions, type Authenticate } from '@chat/server';
import type { Snippet } from './snippets.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const preload = fileURLToPath(new URL('./snippet-preload.mjs', import.meta.url));

/**
 * The origins the docs give a chat server that a client snippet talks to. In a snippet that does
 * not create a chat server itself, a string literal starting with one of them is rewritten to the
 * test's chat server.
 */
const CHAT_ORIGINS = [
  'http://localhost:3000',
  'https://chat.example.com',
  'https://chat.example',
  'https://portal.example',
  'https://events.example',
  'https://app.example',
];
const ORIGIN_LITERAL = new RegExp(`(['"\`])(?:${CHAT_ORIGINS.map((o) => o.replaceAll('.', '\\.')).join('|')})(?=[/'"\`])`, 'gu');

/** What a snippet needs besides Node and the built packages. */
interface SnippetNeeds {
  /** A client snippet: talks to a chat server it does not create. */
  chatServer: boolean;
  /** Reads DATABASE_URL. */
  postgres: boolean;
  /** Reads REDIS_URL. */
  redis: boolean;
}

export function needsOf(code: string): SnippetNeeds {
  return {
    chatServer: !code.includes('createChatServer') && new RegExp(ORIGIN_LITERAL.source, 'u').test(code),
    postgres: code.includes('DATABASE_URL'),
    redis: code.includes('REDIS_URL'),
  };
}

/**
 * The snippet as an ES module: chat origins pointed at `chatUrl`, and the call that says it has
 * finished evaluating. A ts or tsx block is transpiled; a js block is one already.
 */
export function toModule(snippet: Pick<Snippet, 'code' | 'lang'>, chatUrl?: string): string {
  const code = chatUrl === undefined ? snippet.code : snippet.code.replace(ORIGIN_LITERAL, (_, quote: string) => `${quote}${chatUrl}`);
  const outputText =
    snippet.lang === 'js'
      ? code
      : ts.transpileModule(code, {
          fileName: `snippet.${snippet.lang}`,
          compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, jsx: ts.JsxEmit.ReactJSX },
        }).outputText;
  // After the last statement: it runs once every top-level await before it has settled.
  return `${outputText}\nglobalThis.__snippetEvaluated();\n`;
}

/** The temporary folder the snippets run in (under the system's, never in the repository). */
export interface SnippetFolder {
  dir: string;
  remove(): void;
}

export function snippetFolder(): SnippetFolder {
  const dir = mkdtempSync(join(tmpdir(), 'chat-snippets-'));
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The variables the docs tell the reader to set, as a deployment would have them. */
const SNIPPET_ENV = { CHAT_JWT_SECRET: 'a-secret-of-the-docs-snippets-at-least-32-bytes' };

export interface RunResult {
  /** The process's exit code; null when it was killed (the timeout). */
  code: number | null;
  timedOut: boolean;
  /** stdout and stderr, interleaved as they came. */
  output: string;
  ms: number;
}

/**
 * Runs `source` (an ES module, from {@link toModule}) in a folder of its own under `folder`, its
 * working directory (a snippet that writes files writes them there).
 */
export async function runModule(
  folder: SnippetFolder,
  name: string,
  source: string,
  env: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<RunResult> {
  const dir = join(folder.dir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'snippet.mjs'), source);
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', preload, 'snippet.mjs'], {
    cwd: dir,
    env: { ...process.env, NODE_OPTIONS: '', ...SNIPPET_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on('close', (exit) => resolve(exit)));
  clearTimeout(timer);
  return { code, timedOut, output, ms: Date.now() - started };
}

/** Runs `task` on every item, at most `limit` at a time; the results in the items' order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Who a client snippet's `auth` is: `{ name }` a guest (the default `authenticate`); `{ token }`
 * stands for the user the page's host would authenticate from it, an admin (who moderates every
 * room) when the token names an admin or a moderator (`'moderator-token'`, `'admin-token'`).
 */
const authenticate: Authenticate = (handshake) => {
  const bearer = /^Bearer (.+)$/u.exec(handshake.headers.authorization ?? '')?.[1];
  const token = typeof handshake.auth['token'] === 'string' ? handshake.auth['token'] : bearer;
  if (token === undefined) return guestAuthenticate()(handshake);
  const id = token.replace(/[^a-z0-9]+/giu, '-');
  return { id, name: id, roles: /admin|moderator/u.test(token) ? ['admin'] : [] };
};

/** A chat server for one client snippet, on 127.0.0.1 port 0, with what the docs' client snippets use. */
interface SnippetChat {
  url: string;
  close(): Promise<void>;
}

export async function startSnippetChat(): Promise<SnippetChat> {
  // The REST handler is the server's request listener, so Socket.IO's own requests never reach it.
  const http = createServer((req, res) => rest(req, res));
  const chat = createChatServer(http, {
    authenticate,
    // The first to join a room owns it (moderates it), as on a page that lets its users open rooms.
    ownerOnJoin: true,
    // Previews fetched from no host: a snippet's example links are never fetched.
    plugins: [questions(), polls(), pins(), liveReactions(), linkPreviews({ allowedHosts: ['nowhere.invalid'] })],
  });
  const rest = chat.httpHandler({ basePath: '/chat' });
  // The command the docs' client snippets run (examples/meeting-bot offers it).
  chat.command({
    name: 'remind',
    description: 'Reminds the room of something later.',
    usage: '/remind 5m <text>',
    handler: (ctx) => ctx.reply('OK, I will remind this room in 5 minutes.'),
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await chat.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
