// The SDK's own e2ee modules (packages/client/src/e2ee), for the bench: the package exports none
// of them. TypeScript strips their types file by file (ts.transpileModule, following their relative
// imports) into node_modules/.cache/chat-bench (untracked); ts-mls and @chat/protocol stay imports
// of node_modules.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'packages/client/src');
const ENTRIES = [
  'e2ee/mls-device.ts',
  'e2ee/mls-group.ts',
  'e2ee/mls-suite.ts',
  'e2ee/group-keep.ts',
  'e2ee/device-keep.ts',
  'e2ee/e2ee-store.ts',
  'e2ee/sealed-text.ts',
  'e2ee/mls-warm-up.ts',
];

/**
 * MlsDevice, MlsGroup, mlsSuite, GroupKeep, deviceKeep, memoryE2eeStore, the sealed plaintext and warmUpMls, as the SDK's
 * source has them now. `transpile: false` imports what a previous call wrote (the bench's workers).
 */
export async function loadE2eeSdk({ transpile = true } = {}) {
  const out = join(root, 'node_modules/.cache/chat-bench/e2ee');
  const pending = transpile ? [...ENTRIES] : [];
  // Loaded only to transpile: a worker's heap (bench/e2ee-device.mjs) holds no compiler.
  const ts = transpile ? (await import('typescript')).default : undefined;
  const done = new Set();
  while (pending.length > 0) {
    const file = pending.pop();
    if (done.has(file)) continue;
    done.add(file);
    const source = readFileSync(join(src, file), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
    });
    for (const [, path] of outputText.matchAll(/from '(\.{1,2}\/[^']+)\.js'/gu)) {
      pending.push(relative(src, join(dirname(join(src, file)), `${path}.ts`)));
    }
    const target = join(out, file.replace(/\.ts$/u, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  const modules = await Promise.all(ENTRIES.map((file) => import(pathToFileURL(join(out, file.replace(/\.ts$/u, '.js'))).href)));
  return Object.assign({}, ...modules);
}
