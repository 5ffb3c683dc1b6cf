// The widget's browser bundles: chat-room.min.js (IIFE, for a script tag) and chat-room.esm.js
// (a self-contained module). Lit, socket.io-client and the SDK are inside both. The call UI is a
// chunk of each, loaded only by `<chat-room calls>`: chat-room.call.js next to chat-room.min.js
// (an ES module that takes Lit from the IIFE, see `fromMainBundle`) and chat-room.call.esm.js.
import { gzipSync } from 'node:zlib';
import commonjs from '@rollup/plugin-commonjs';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import ts from 'typescript';

const BUDGET_BYTES = 48 * 1024; // gzipped. DESIGN.md says 40 KB; wave 2 does not fit it yet: see docs/architecture.md, "Widget size"
const CALL_CHUNK_BUDGET_BYTES = 8 * 1024; // gzipped: the call UI alone (Lit and the SDK come from the main bundle)
const outDir = 'packages/widget/dist';

/** Reports each bundle's gzipped size, and fails the build over the budget. */
function sizeReport(budget = (fileName) => (fileName.includes('.call.') ? CALL_CHUNK_BUDGET_BYTES : BUDGET_BYTES)) {
  return {
    name: 'size-report',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        const gz = gzipSync(file.code, { level: 9 }).length;
        const limit = budget(file.fileName);
        const line = `${file.fileName}: ${(file.code.length / 1024).toFixed(1)} KB, ${(gz / 1024).toFixed(1)} KB gzipped (budget ${limit / 1024} KB)`;
        console.log(line);
        if (gz > limit) this.error(`${line}: over budget`);
      }
    },
  };
}

/**
 * Takes the indentation out of the widget's Lit templates (css`` also loses comments, line
 * breaks and the spaces around punctuation). In html`` line breaks stay, so the source maps
 * stay right line by line; there a line break is whitespace as the indentation was, and the
 * widget keeps template whitespace out of the places where it would show (`white-space:
 * pre-wrap` text).
 */
function minifyTemplates() {
  const css = (s) =>
    s
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\s+/g, ' ')
      .replace(/ ?([{};,>]) ?/g, '$1')
      .replace(/: /g, ':');
  const html = (s) => s.replace(/[ \t]*\n[ \t]*/g, '\n');
  return {
    name: 'minify-templates',
    transform(code, id) {
      if (!id.includes('/packages/widget/src/') || !/\b(html|css) ?`/.test(code)) return null;
      const file = ts.createSourceFile(id, code, ts.ScriptTarget.Latest, true);
      const edits = [];
      const visit = (node) => {
        if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && ['html', 'css'].includes(node.tag.text)) {
          const t = node.template;
          for (const part of ts.isNoSubstitutionTemplateLiteral(t) ? [t] : [t.head, ...t.templateSpans.map((span) => span.literal)]) {
            const end = part.end - (ts.isTemplateHead(part) || ts.isTemplateMiddle(part) ? 2 : 1); // before `${` or the backtick
            edits.push([part.getStart(file) + 1, end, node.tag.text === 'css' ? css : html]);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
      let out = code;
      for (const [start, end, squeeze] of edits.sort((a, b) => b[0] - a[0]))
        out = out.slice(0, start) + squeeze(out.slice(start, end)) + out.slice(end);
      return out === code ? null : { code: out, map: null };
    },
  };
}

/**
 * engine.io-client's WebTransport transport (and the stream codec only it uses) left out: the
 * chat server never offers it, and a Socket.IO server a host configured with it only offers it
 * as an upgrade, whose probe then fails and the connection stays on WebSocket.
 */
function withoutWebTransport() {
  return {
    name: 'without-webtransport',
    load(id) {
      if (!/engine\.io-client[\\/].*transports[\\/]webtransport\.js$/.test(id)) return null;
      return `import { Transport } from "../transport.js";
export class WT extends Transport {
  get name() { return "webtransport"; }
  doOpen() { this.onError("WebTransport is not in this bundle"); }
  doClose() {}
  write() {}
}`;
    },
  };
}

/**
 * One event emitter in the bundle, not two: the SDK's `eventemitter3` is served by the emitter
 * socket.io-client brings anyway (`@socket.io/component-emitter`). The SDK only calls `on`,
 * `once`, `off` and `emit`, which mean the same in both (listeners called in order with the
 * emitter as `this`, a snapshot of them per emit); the one difference, `off` removing one
 * registration of a listener added twice instead of all, never arises in the SDK, whose `on()`
 * returns the function that removes what it added. About 0.9 KB gzipped.
 */
function oneEmitter() {
  const id = '\0one-emitter';
  return {
    name: 'one-emitter',
    resolveId: (source) => (source === 'eventemitter3' ? id : null),
    load: (loaded) =>
      loaded === id ? "export { Emitter as EventEmitter, Emitter as default } from '@socket.io/component-emitter';" : null,
  };
}

/**
 * The script-tag bundle imports its call chunk from next to its own script (`callChunkUrl()` in
 * packages/widget/src/call/loader.ts) instead of inlining it: an IIFE cannot split code, and the
 * chunk is an ES module loaded with `import()` only when `calls` is set.
 */
function callChunkNextToScript() {
  return {
    name: 'call-chunk-next-to-script',
    transform(code, id) {
      if (!/[\\/]widget[\\/]src[\\/]call[\\/]loader\.ts$/.test(id)) return null;
      const out = code.replace("import('./call.js')", 'import(callChunkUrl())');
      if (out === code) this.error("call/loader.ts no longer has import('./call.js'): update callChunkNextToScript()");
      return { code: out, map: null };
    },
  };
}

/**
 * Builds the script-tag bundle's call chunk without its own Lit: `lit`'s `html` and `nothing` and
 * the widget's `avatar` resolve to bindings that the main bundle fills when it loads the chunk
 * (`bindKit`, packages/widget/src/call/main-kit.ts). Anything else the chunk would take from
 * outside call/ (the SDK, socket.io, other widget modules) fails the build: it would be a second
 * copy of what the page already runs.
 */
function fromMainBundle() {
  const kit = '\0main-kit';
  const modules = {
    [`${kit}`]: 'export let html, nothing, avatar;\nexport function bindKit(k) { ({ html, nothing, avatar } = k); }',
    [`${kit}:lit`]: `export { html, nothing } from '${kit}';`,
    [`${kit}:avatar`]: `export { avatar } from '${kit}';`,
  };
  return {
    name: 'from-main-bundle',
    async resolveId(source, importer, options) {
      if (source in modules) return source;
      if (source === 'lit') return `${kit}:lit`;
      if (!importer || importer.startsWith(kit)) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      const id = resolved?.id ?? source;
      if (/[\\/]widget[\\/]src[\\/]parts[\\/]avatar\.ts$/.test(id)) return `${kit}:avatar`;
      if (/[\\/]widget[\\/]src[\\/]call[\\/]main-kit\.ts$/.test(id)) return kit;
      if (/[\\/]widget[\\/]src[\\/]call[\\/]/.test(id)) return resolved;
      this.error(`The call chunk imports ${source} (from ${importer}): take it from the main bundle through MainKit instead.`);
    },
    load: (id) => modules[id] ?? null,
  };
}

const plugins = () => [
  withoutWebTransport(),
  oneEmitter(),
  nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
  commonjs(),
  typescript({
    tsconfig: 'packages/widget/tsconfig.json',
    compilerOptions: { declaration: false, declarationMap: false, sourceMap: true, outDir, noEmit: false },
    include: ['packages/widget/src/**/*.ts'],
    exclude: ['packages/widget/src/**/*.test.ts'],
  }),
  minifyTemplates(),
  terser({ format: { comments: false }, compress: { passes: 3 } }),
  sizeReport(),
];

export default [
  {
    input: 'packages/widget/src/embed.ts',
    output: { file: `${outDir}/chat-room.min.js`, format: 'iife', name: 'ChatWidget', sourcemap: true },
    plugins: [callChunkNextToScript(), ...plugins()],
  },
  {
    input: 'packages/widget/src/call/call.ts',
    output: { file: `${outDir}/chat-room.call.js`, format: 'es', sourcemap: true },
    plugins: [fromMainBundle(), ...plugins()],
  },
  {
    input: 'packages/widget/src/embed.ts',
    // The chunk's imports become extra exports of chat-room.esm.js (not a facade over a shared chunk).
    preserveEntrySignatures: 'allow-extension',
    // Split: the call UI is chat-room.call.esm.js, importing Lit and the SDK from chat-room.esm.js.
    output: { dir: outDir, entryFileNames: 'chat-room.esm.js', chunkFileNames: 'chat-room.[name].esm.js', format: 'es', sourcemap: true },
    plugins: plugins(),
  },
];
