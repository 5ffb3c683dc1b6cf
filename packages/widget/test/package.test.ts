import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import commonjs from '@rollup/plugin-commonjs';
import nodeResolve from '@rollup/plugin-node-resolve';
import { rollup } from 'rollup';
import { describe, expect, it } from 'vitest';

// A bundler app's `import '@chat/widget'`, resolved as a user's build would resolve it:
// through node_modules to the built package (`npm test` builds first), Lit and the SDK as its dependencies.
describe('@chat/widget as a package', () => {
  it('bundles from `import "@chat/widget"` and registers <chat-room>', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'widget-app-'));
    const entry = join(dir, 'app.mjs');
    writeFileSync(
      entry,
      "import { ChatRoomElement, ChatClient } from '@chat/widget';\nexport const parts = [ChatRoomElement, ChatClient];\n",
    );
    const build = await rollup({
      input: entry,
      plugins: [nodeResolve({ browser: true, rootDir: process.cwd(), modulePaths: [join(process.cwd(), 'node_modules')] }), commonjs()],
      onwarn: () => undefined,
    });
    const { output } = await build.generate({ format: 'es' });
    await build.close();
    // What the app loads up front: the entry and the chunks it imports; the call code (the call
    // UI and the SDK's) is in chunks the app's bundler loads with import() when a call comes.
    const chunks = output.flatMap((o) => (o.type === 'chunk' ? [o] : []));
    const entryChunk = chunks.find((c) => c.isEntry);
    const upFront = chunks.filter((c) => c === entryChunk || entryChunk?.imports.includes(c.fileName));
    const code = upFront.map((c) => c.code).join('\n');
    expect(code).toMatch(/customElements\.define\(["']chat-room["'], ChatRoomElement\)/u);
    expect(code).toMatch(/ChatRoomElement = class extends LitElement/u);
    expect(code).toMatch(/(class ChatClient\b|ChatClient = class\b)/u);
    const later = chunks.filter((c) => c.isDynamicEntry).map((c) => c.code);
    const defines = (name: string) => new RegExp(`(class ${name}\\b|\\b${name} = class\\b)`, 'u');
    for (const name of ['CallRegistry', 'PeerLink', 'CallController']) {
      expect(code).not.toMatch(defines(name));
      expect(later.join('\n')).toMatch(defines(name));
    }
  }, 60_000); // a rollup build of the whole widget: 10-15 s alone, past 20 s beside another file on a loaded runner
});
