// The files of the throwaway app that test/pack/packages.test.ts installs the tarballs into: what a
// user outside the monorepo would write, in ESM and CommonJS, JavaScript and TypeScript.

/** One import specifier a package exports with types (`@chat/server/postgres`), and whether CJS can require it. */
export interface TypedEntry {
  specifier: string;
  cjs: boolean;
}

/** The package.json of an unpacked tarball, as far as the app needs it. */
export interface PackedManifest {
  name: string;
  exports?: Record<string, unknown>;
}

/** The subpaths of a package that carry types; script files (`./browser`, the widget bundles) and JSON do not. */
export function typedEntries(manifest: PackedManifest): TypedEntry[] {
  return Object.entries(manifest.exports ?? {})
    .filter(([, target]) => JSON.stringify(target).includes('"types"'))
    .map(([subpath, target]) => ({
      specifier: subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`,
      cjs: JSON.stringify(target).includes('.cjs"'),
    }));
}

const ident = (specifier: string) => specifier.replace(/[^a-z0-9]+/giu, '_');

/**
 * A TypeScript file that imports every typed entry and uses the main API. `cjs` writes it as a
 * CommonJS module (`.cts`): ESM-only entries are then imported the way TypeScript allows there,
 * as types with `resolution-mode: import` and a dynamic `import()`.
 */
export function typeCheckSource(entries: TypedEntry[], mode: 'esm' | 'cjs'): string {
  const lines = [
    "import { createServer } from 'node:http';",
    "import { ChatError, ErrorCode } from '@chat/protocol';",
    "import { ChatError as ServerChatError, MemoryStore, createChatServer, type ChatStore } from '@chat/server';",
    "import { PostgresStore } from '@chat/server/postgres';",
    "import { ChatClient } from '@chat/client';",
  ];
  const used: string[] = [];
  for (const entry of entries) {
    const name = ident(entry.specifier);
    if (mode === 'cjs' && !entry.cjs) {
      lines.push(`import type * as ${name} from '${entry.specifier}' with { 'resolution-mode': 'import' };`);
      used.push(`export const load_${name} = (): Promise<typeof ${name}> => import('${entry.specifier}');`);
    } else {
      lines.push(`import * as ${name} from '${entry.specifier}';`);
      used.push(`export const keys_${name}: string[] = Object.keys(${name});`);
    }
  }
  return `${[...lines, '', ...used].join('\n')}

// The main API, used as the docs use it.
const chat = createChatServer(createServer(), { store: new MemoryStore() });
export const stores: ChatStore[] = [new PostgresStore({ connectionString: 'postgres://localhost/app' })];
export const client = new ChatClient({ url: 'http://localhost:3000', auth: { name: 'Ana' } });
// @chat/protocol is one package that server and client share: one ChatError class.
export const error: ChatError = new ServerChatError(ErrorCode.FORBIDDEN, 'No.');
export const closing: Promise<void> = chat.close();
`;
}

/** tsconfig.json of one type-check: strict, every declaration file checked (`skipLibCheck: false`), interop flags left at their defaults. */
export function tsconfig(options: { module: string; moduleResolution: string; files: string[] }): string {
  return JSON.stringify(
    {
      compilerOptions: {
        module: options.module,
        moduleResolution: options.moduleResolution,
        target: 'ES2022',
        lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        types: ['node'],
        strict: true,
        skipLibCheck: false,
        noEmit: true,
      },
      files: options.files,
    },
    null,
    2,
  );
}

/** The Express 5 app of the runtime check, as getting-started.md writes it (ESM). */
export const SERVER_MJS = `import { createServer } from 'node:http';
import express from 'express';
import { createChatServer } from '@chat/server';

const app = express();
const httpServer = createServer(app);
const chat = createChatServer(httpServer);
app.use('/widget', chat.widgetHandler());
app.get('/chat-sw.js', chat.serviceWorkerHandler());
app.use('/chat', chat.httpHandler());
chat.on('error', (error, where) => console.error('[chat]', error.message, where));
httpServer.listen(0, '127.0.0.1', () => console.log(\`listening on http://127.0.0.1:\${httpServer.address().port}\`));
`;

/** Two SDK clients in ESM exchange a message through the server at argv[2]. */
export const CLIENT_MJS = `import { ChatClient, ChatError } from '@chat/client';

const url = process.argv[2];
const ana = new ChatClient({ url, auth: { name: 'Ana' } });
const luis = new ChatClient({ url, auth: { name: 'Luis' } });
const anaRoom = await ana.join('lobby');
const luisRoom = await luis.join('lobby');
const received = new Promise((resolve) => luisRoom.on('message', resolve));
await anaRoom.send('Hola from a tarball');
const message = await received;
// The call code is a chunk of the package loaded on the first call: Node has no microphone, and says so.
const refused = await anaRoom.startCall({ kind: 'audio' }).catch((error) => error);
const call = { chatError: refused instanceof ChatError, code: refused.code };
console.log(JSON.stringify({ text: message.text, from: message.user.name, call }));
ana.close();
luis.close();
`;

/** Requires every CommonJS entry, and checks that @chat/server and @chat/client share @chat/protocol. */
export function checkCjs(entries: TypedEntry[]): string {
  // /testing needs vitest, the runner it describes tests for; a user of it has it installed.
  const required = entries.filter((e) => e.cjs && !e.specifier.endsWith('/testing')).map((e) => e.specifier);
  return `const loaded = ${JSON.stringify(required)}.map((specifier) => [specifier, Object.keys(require(specifier)).length]);
const { ChatError } = require('@chat/protocol');
const sameChatError = require('@chat/server').ChatError === ChatError;
console.log(JSON.stringify({ loaded, sameChatError }));
`;
}
