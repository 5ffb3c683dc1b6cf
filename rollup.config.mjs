// The widget's browser bundles: chat-room.min.js (a classic script, for a script tag) and
// chat-room.esm.js (a module). Lit, socket.io-client and the SDK are inside both. Calls are a
// chunk of each, loaded only when a call comes or `<chat-room calls>` shows its buttons: the call
// UI and the SDK's call code together, chat-room.call.js next to chat-room.min.js (see
// `classicScriptEntry`) and chat-room.call.esm.js next to chat-room.esm.js.
// What only moderators use, <chat-inbox>'s code and Spanish are chunks too (chat-room.moderation.js,
// chat-room.inbox.js, chat-room.es.js), each loaded the first time it is used.
import { gzipSync } from 'node:zlib';
import commonjs from '@rollup/plugin-commonjs';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import MagicString from 'magic-string';
import ts from 'typescript';
import { budgetOf } from './scripts/widget-budget.mjs';

const outDir = 'packages/widget/dist';

/** Reports each bundle's gzipped size, and fails the build over the budget. */
function sizeReport(budget = budgetOf) {
  return {
    name: 'size-report',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        const gz = gzipSync(file.code, { level: 9 }).length;
        const limit = budget(file.fileName);
        const line = `${file.fileName}: ${(file.code.length / 1024).toFixed(1)} KB, ${(gz / 1024).toFixed(1)} KB gzipped (${gz} bytes; budget ${limit} bytes)`;
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
      // With a source map, so that scripts/bundle-sizes.mjs gives the templates' bytes to their files.
      const out = new MagicString(code);
      for (const [start, end, squeeze] of edits) {
        const text = code.slice(start, end);
        const squeezed = squeeze(text);
        if (squeezed === text) continue;
        if (squeezed) out.overwrite(start, end, squeezed);
        else out.remove(start, end);
      }
      return out.hasChanged() ? { code: out.toString(), map: out.generateMap({ hires: true }) } : null;
    },
  };
}

/** A plugin that serves `code` instead of the module whose path matches `path` (a dependency's file stood in for). */
function standIn(name, path, code) {
  return { name, load: (id) => (path.test(id) ? code : null) };
}

/**
 * engine.io-client's WebTransport transport (and the stream codec only it uses) left out: the
 * chat server never offers it, and a Socket.IO server a host configured with it only offers it
 * as an upgrade, whose probe then fails and the connection stays on WebSocket.
 */
function withoutWebTransport() {
  return standIn(
    'without-webtransport',
    /engine\.io-client[\\/].*transports[\\/]webtransport\.js$/,
    `import { Transport } from "../transport.js";
export class WT extends Transport {
  get name() { return "webtransport"; }
  doOpen() { this.onError("WebTransport is not in this bundle"); }
  doClose() {}
  write() {}
}`,
  );
}

/**
 * HTTP long-polling out of the entry: engine.io-client's default transports (used for transports
 * given by name) are WebSocket alone here. @chat/client always gives its transports as classes
 * (core/transports.ts): WebSocket first, and long-polling from its own chunk (core/polling.ts,
 * chat-room.polling.js) when a WebSocket cannot open, or when `socketOptions.transports` names it.
 */
const ENGINE_POLLING = /[\\/]engine\.io-client[\\/].*(transports[\\/]polling|contrib[\\/]has-cors)/;

function withoutEagerPolling() {
  return {
    ...standIn(
      'without-eager-polling',
      /engine\.io-client[\\/].*transports[\\/]index\.js$/,
      `import { WS } from "./websocket.node.js";
export const transports = { websocket: WS };`,
    ),
    // polling-xhr.js asks at its top whether XMLHttpRequest has `responseType`, which is all that
    // would keep it in the entry through engine.io-client's index: asked where the chunk loads.
    transform(code, id) {
      return ENGINE_POLLING.test(id) ? { code, map: null, moduleSideEffects: false } : null;
    },
  };
}

/**
 * engine.io-client's URI parser (a regular expression from before every browser had `URL`, 0.5 KB
 * gzipped) as the platform's `URL`, with the fields socket.io-client and engine.io-client read:
 * `source`, `protocol` (http, https, ws, wss, or ''), `host` (an IPv6 address without brackets),
 * `port` (none for a protocol's default, which both then fill in), `path`, `query` and `queryKey`
 * (its values as written, not decoded). Given without a protocol ("localhost:3000"), as Socket.IO allows.
 */
function uriByUrl() {
  return standIn(
    'uri-by-url',
    /engine\.io-client[\\/].*contrib[\\/]parseuri\.js$/,
    `export function parse(str) {
  const known = /^(https?|wss?):\\/\\//.exec(str);
  const url = new URL(/^[a-z][a-z\\d+.-]*:\\/\\//i.test(str) ? str : "http://" + str);
  const query = url.search.slice(1);
  const queryKey = {};
  query.replace(/(?:^|&)([^&=]*)=?([^&]*)/g, (_, key, value) => { if (key) queryKey[key] = value; return ""; });
  return { source: str, protocol: known ? known[1] : "", host: url.hostname.replace(/^\\[(.*)\\]$/, "$1"), port: url.port, path: url.pathname, query, queryKey };
}`,
  );
}

/**
 * Reading Socket.IO's binary packets left out: the chat protocol is JSON (files go over HTTP), so
 * the chat server never sends a binary packet. One arriving still fails loudly, not as corrupt data:
 * - socket.io-parser's `reconstructPacket` (putting a packet's binary attachments back in it)
 *   throws. The decoder calls it once a binary packet's attachments are in; its error closes the
 *   connection with "parse error" (socket.io-client's `disconnect` reason, with this error; the
 *   client reconnects), as any malformed packet does.
 * - engine.io-parser's base64 decoder (binary over long-polling) gives an empty buffer: what it
 *   decodes is only ever an attachment of a binary packet, refused as above, or a stray one, which
 *   the decoder refuses too ("got binary data when not reconstructing a packet").
 * Sending binary stays (`deconstructPacket`, is-binary.js): a host's own handlers on the chat
 * server's `io` may take binary a page sends with `client.socket.emit`.
 */
function withoutBinaryReading() {
  const reading = /export function reconstructPacket\([\s\S]*$/;
  return {
    name: 'without-binary-reading',
    transform(code, id) {
      if (/engine\.io-parser[\\/].*contrib[\\/]base64-arraybuffer\.js$/.test(id))
        return { code: 'export const decode = () => new ArrayBuffer(0);\nexport const encode = () => "";', map: null };
      if (!/socket\.io-parser[\\/].*[\\/]binary\.js$/.test(id)) return null;
      if (!reading.test(code)) this.error(`${id} has no reconstructPacket at its end: update withoutBinaryReading()`);
      const refuse =
        'export function reconstructPacket() { throw new Error("A binary packet came: the chat protocol has none, and this bundle cannot read one."); }';
      return { code: code.replace(reading, refuse), map: null };
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
 * The chunks loaded on first use that take a file of the SDK's with them, named so that one fetch
 * brings both: the calls chunk is the widget's call UI (call/, but its loader, which the entry
 * imports) and the SDK's call code (the chunk @chat/client's ESM build makes of
 * calls/call-registry.ts and what only it uses); the uploads chunk is the widget's upload tray and
 * controller and the SDK's upload code (upload.ts); the push chunk is "Notify me on this device"
 * and the SDK's push code (push-device.ts: `client.push` loads it on its first call). What the entry imports statically is named too:
 * controller and the SDK's upload code (upload.ts); the threads chunk is the widget's thread panel
 * and the SDK's thread code (room/thread-sync.ts); the search chunk is the widget's search panel and
 * the SDK's window around a message (room/message-window.ts). What the entry imports statically is named too:
 * rollup moves the unnamed dependencies of a named chunk into it, which would take Lit and the SDK
 * into a lazy chunk. The moderation chunk is what only moderators use with the SDK's moderation
 * requests (room/moderation-requests.ts), the pickers chunk the `@` and `/` suggestions with the SDK's
 * running of a command (room/command-run.ts), and the e2ee chunk takes the IndexedDB device store's
 * records (e2ee/indexeddb-e2ee-records.ts), which the engine is the first to use. Other dynamic
 * imports (the image viewer, what opens on a message, Spanish) are chunks of their own without naming.
 */
function lazyChunks() {
  const named = [
    ['call', [/[\\/]widget[\\/]src[\\/]call[\\/]/, /[\\/]client[\\/]dist[\\/]call-registry-\w+\.js$/]],
    ['uploads', [/[\\/]widget[\\/]src[\\/]uploads[\\/]upload/, /[\\/]client[\\/]dist[\\/](upload|send-voice)-\w+\.js$/]],
    ['push', [/[\\/]widget[\\/]src[\\/]push[\\/]push(-strings)?\.ts$/, /[\\/]client[\\/]dist[\\/]push-device-\w+\.js$/]],
    ['threads', [/[\\/]widget[\\/]src[\\/]threads[\\/]thread/, /[\\/]client[\\/]dist[\\/]thread-sync-\w+\.js$/]],
    // The `@` and `/` suggestions (all of pickers/ but its loader) and the SDK's running of a command
    // (room/command-run.ts): typing the `/` of a command loads them both.
    ['pickers', [/[\\/]widget[\\/]src[\\/]pickers[\\/](?!loader\.ts$)/, /[\\/]client[\\/]dist[\\/]command-run-\w+\.js$/]],
    // What only moderators use: the widget's menu and card actions, and the SDK's moderation requests
    // (room/moderation-requests.ts), which the first of those actions loads.
    ['moderation', [/[\\/]widget[\\/]src[\\/]moderation[\\/]moderation/, /[\\/]client[\\/]dist[\\/]moderation-requests-\w+\.js$/]],
    // The people panel and the notifications menu (all of panels/ but its loader), with the rows of
    // conversations, which the panel's private conversations and <chat-inbox>'s list draw: the
    // inbox's chunk takes them from here (no file of their own for a host to serve).
    ['panels', [/[\\/]widget[\\/]src[\\/]panels[\\/](?!loader\.ts$)/, /[\\/]widget[\\/]src[\\/]parts[\\/]conversation-row\.ts$/]],
    // The polls' card and form (all of polls/ but its loader) and what the SDK's `room.polls` sends
    // (polls/poll-requests.ts), which only the card and the form use.
    ['polls', [/[\\/]widget[\\/]src[\\/]polls[\\/](?!loader\.ts$)/, /[\\/]client[\\/]dist[\\/]poll-requests-\w+\.js$/]],
    // The Questions tab (all of questions/ but its loader) and what the SDK's `room.questions` sends
    // (questions/question-requests.ts), which only the tab uses.
    ['questions', [/[\\/]widget[\\/]src[\\/]questions[\\/](?!loader\.ts$)/, /[\\/]client[\\/]dist[\\/]question-requests-\w+\.js$/]],
    // The list of the built-in languages, fetched first by a widget in another language than
    // English, with how the languages count (i18n/plural.ts): the language files it loads share it.
    ['languages', [/[\\/]widget[\\/]src[\\/]i18n[\\/](languages|plural)\.ts$/]],
    // The SDK's auto-away (conversations/auto-away.ts), which the first join answer loads: a page
    // that joins fetches it then, after its first render.
    ['away', [/[\\/]client[\\/]dist[\\/]auto-away-\w+\.js$/]],
    // The rows of the SDK's outbox in IndexedDB (outbox/indexeddb-outbox-records.ts), which a room's
    // first join reads (what a page before left unsent), with the opening of the SDK's IndexedDB
    // databases (core/idb-database.ts, a file of the SDK's build shared with the e2ee chunk's records).
    ['outbox', [/[\\/]client[\\/]dist[\\/]indexeddb-outbox-records-\w+\.js$/]],
    // The SDK's paging of a large room's members (room/member-pages.ts), which the people panel's
    // Show more people loads (or a large room becoming small, read whole once).
    ['members', [/[\\/]client[\\/]dist[\\/]member-pages-\w+\.js$/]],
    // HTTP long-polling (engine.io-client's, and the SDK's core/polling.ts), which a client loads
    // only when a WebSocket cannot open, or when its socketOptions.transports names it.
    ['polling', [/[\\/]client[\\/]dist[\\/]polling-\w+\.js$/, ENGINE_POLLING]],
    // The SDK's list of conversations (conversations/conversation-list.ts), which the first
    // `client.conversations()` loads: the widget asks for it once its client is made.
    ['conversations', [/[\\/]client[\\/]dist[\\/]conversation-list-\w+\.js$/]],
    // The search panel and the SDK's history around a message (room/message-window.ts), which only a search result opens.
    ['search', [/[\\/]widget[\\/]src[\\/]search[\\/]search/, /[\\/]client[\\/]dist[\\/]message-window-\w+\.js$/]],
    // Encrypted rooms: the SDK's MLS engine, ts-mls and its cryptography (WebCrypto underneath), and the widget's e2ee parts.
    [
      'e2ee',
      [
        /[\\/]widget[\\/]src[\\/]e2ee[\\/]/,
        /[\\/]client[\\/]dist[\\/]e2ee-engine-\w+\.js$/,
        // The IndexedDB device store's reads and writes, which the engine's start is the first to use.
        /[\\/]client[\\/]dist[\\/]indexeddb-e2ee-records-\w+\.js$/,
        /[\\/]node_modules[\\/](ts-mls|@hpke|@noble)[\\/]/,
      ],
    ],
  ];
  let main;
  return (id, { getModuleIds, getModuleInfo }) => {
    if (!main) {
      main = new Set([...getModuleIds()].filter((m) => getModuleInfo(m)?.isEntry));
      for (const m of main) for (const dep of getModuleInfo(m)?.importedIds ?? []) main.add(dep);
    }
    // Helpers of several chunks stay in the entry, not in the first chunk that uses them (rollup moved
    // one into the e2ee chunk, with the MLS engine, which the live reactions' bar then fetched): how a
    // chunk adds its styles, and how it picks its texts (i18n/chunk-strings.ts; a file of its own
    // until a message's actions, fetched by every page with messages, needed it: one fetch less).
    // engine.io-client's index imports long-polling for exports the entry does not use (withoutEagerPolling).
    if (ENGINE_POLLING.test(id)) return 'polling';
    if (main.has(id) || /[\\/]widget[\\/]src[\\/](add-styles|i18n[\\/]chunk-strings)\.ts$/.test(id)) return 'main';
    return named.find(([, patterns]) => patterns.some((p) => p.test(id)))?.[0] ?? null;
  };
}

/**
 * Makes the entry of a code-split ES build a classic script (a plain `<script src>`, no module),
 * for chat-room.min.js: the build is the same as chat-room.esm.js's, so its chunks share every
 * module with the entry (one Lit and one SDK in the page, the chunk's ChatError the one the rest
 * of the SDK checks), and only the seam between them changes, after terser:
 * - the entry runs inside a function; its public exports become the global `name`
 *   (`ChatWidget`), and what its chunks import from it is put on `globalThis[Symbol.for(key)]`;
 * - its dynamic imports load a chunk from next to the script (`document.currentScript`), not
 *   from the page's URL;
 * - a chunk's `import {...} from './<entry>'` reads that global instead (the entry has run by
 *   the time a chunk loads: it is what loads them). One page runs one copy of the widget (a
 *   second chat-room.min.js defines no element): the key is not per copy.
 */
function classicScriptEntry({ entry, name, key }) {
  const shared = `globalThis[Symbol.for(${JSON.stringify(key)})]`;
  const scriptUrl = '__chatRoomScriptUrl';
  // `a as b, c` (of an export or an import statement) as [['a', 'b'], ['c', 'c']].
  const pairs = (list) =>
    list
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => {
        const [first, second = first] = s.split(/\s+as\s+/);
        return [first, second];
      });
  // The names a module exports, `export * from` followed.
  const publicExports = async (context, id) => {
    const names = new Set();
    for (const [source, list] of Object.entries(context.getModuleInfo(id)?.exportedBindings ?? {})) {
      for (const exported of list) {
        if (exported !== '*') names.add(exported);
        else {
          const resolved = await context.resolve(source, id);
          for (const inner of resolved ? await publicExports(context, resolved.id) : []) if (inner !== 'default') names.add(inner);
        }
      }
    }
    return names;
  };
  return {
    name: 'classic-script-entry',
    renderDynamicImport: ({ chunk }) => (chunk.fileName === entry ? { left: 'import(new URL(', right: `,${scriptUrl}).href)` } : null),
    async renderChunk(code, chunk, _options, { chunks }) {
      const out = new MagicString(code);
      if (chunk.fileName === entry) {
        if (chunk.imports.length > 0) this.error(`${entry} imports ${chunk.imports.join(', ')}: a classic script cannot import`);
        const statement = /export\s*\{([^}]*)\};?\s*$/.exec(code);
        if (!statement) this.error(`${entry} has no export statement at its end: update classicScriptEntry()`);
        const imported = new Set(Object.values(chunks).flatMap((c) => c.importedBindings[entry] ?? []));
        const own = await publicExports(this, chunk.facadeModuleId);
        const exports = pairs(statement[1]); // [local, exported]
        const object = (list) => `{${list.map(([local, exported]) => `${exported}:${local}`).join(',')}}`;
        const toChunks = object(exports.filter(([, exported]) => imported.has(exported)));
        const toPage = object(exports.filter(([, exported]) => own.has(exported)));
        out.overwrite(statement.index, code.length, `${shared}=${toChunks};return ${toPage}`);
        out.prepend(`var ${name}=function(){"use strict";var ${scriptUrl}=document.currentScript?.src||document.baseURI;`);
        out.append('}();');
      } else {
        const statement = new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*["']\\./${entry.replace(/\./g, '\\.')}["'];?`).exec(code);
        if (statement) {
          const names = pairs(statement[1]).map(([imported, local]) => `${imported}:${local}`); // [imported, local]
          out.overwrite(statement.index, statement.index + statement[0].length, `const{${names.join(',')}}=${shared};`);
        }
        // A chunk that imports another chunk which imports the entry may import the entry for its
        // order alone (no names): the entry has run by then (it loads the chunks), so it goes.
        const bare = new RegExp(`import\\s*["']\\./${entry.replace(/\./g, '\\.')}["'];?`).exec(code);
        if (bare) out.remove(bare.index, bare.index + bare[0].length);
        if (out.toString().includes(`./${entry}`))
          this.error(`${chunk.fileName} imports ${entry} in a way classicScriptEntry() does not rewrite`);
      }
      return { code: out.toString(), map: out.generateMap({ hires: true }) };
    },
  };
}

/**
 * Internal members are named `_name`: the SDK's `@internal` members, the elements' Lit states
 * (`_error`, ...) and socket.io-client's own. Nothing outside the bundle reads them, so terser gives
 * them short names (`mangle.properties`), one name per member across the entry and its chunks (the
 * shared `nameCache`). The convention is checked on each chunk before terser, where a short name
 * would break silently:
 * - a string naming such a member (`'_error'`: a Lit `changed.has(...)`, a key built at run time)
 *   fails the build, but where terser renames it too (`o['_x']`, `'_x' in o`);
 * - a Lit property named so must be a state (`state: true` or `attribute: false`): an attribute's
 *   name is derived from its property's;
 * - a short name given in one chunk must not be a real member name in another (terser only knows
 *   the chunk it minifies): every other member name of the build is `reserved`, and checked again
 *   once every chunk is minified.
 * Names starting `_$` (Lit's cross-version API) and `__` are not internal in this sense and stay.
 */
const INTERNAL = /^_[a-zA-Z]/;

/** The `_name` strings of a library's module (see internalNames). */
function libraryStrings(node, out) {
  if (!node || typeof node.type !== 'string') return;
  if (node.type === 'Literal' && typeof node.value === 'string' && INTERNAL.test(node.value)) out.add(node.value);
  for (const value of Object.values(node)) for (const child of [value].flat()) libraryStrings(child, out);
}

function internalNames(nameCache, reserved) {
  const real = new Set();
  const vendor = new Set();
  const nameOf = (key) => (key?.type === 'Identifier' ? key.name : key?.type === 'Literal' ? String(key.value) : undefined);
  const memberName = (node) => {
    if (node.type === 'MemberExpression' && !node.computed) real.add(nameOf(node.property));
    if (['Property', 'PropertyDefinition', 'MethodDefinition'].includes(node.type) && !node.computed) real.add(nameOf(node.key));
  };
  /** Every member name of the build but the internal ones: no internal member may take one. */
  const memberNames = (node) => {
    if (!node || typeof node.type !== 'string') return;
    memberName(node);
    for (const value of Object.values(node)) for (const child of [value].flat()) memberNames(child);
  };
  return {
    name: 'internal-names',
    renderStart() {
      for (const id of this.getModuleIds()) {
        const code = this.getModuleInfo(id)?.code;
        if (!code) continue;
        const tree = this.parse(code);
        memberNames(tree);
        // A library's own `_name` given as a string (@hpke's `Object.defineProperty(this, '_api', ...)`
        // for ts-mls): its name is kept, so the string and the member stay the same.
        if (/[\\/]node_modules[\\/]/.test(id)) libraryStrings(tree, vendor);
      }
      for (const name of vendor) reserved.push(name);
      for (const name of real) if (name !== undefined && !INTERNAL.test(name)) reserved.push(name);
    },
    renderChunk(code, chunk) {
      const visit = (node, parent) => {
        if (!node || typeof node.type !== 'string') return;
        if (node.type === 'Literal' && typeof node.value === 'string' && INTERNAL.test(node.value) && !vendor.has(node.value)) {
          const renamed =
            (parent?.type === 'MemberExpression' && parent.computed && parent.property === node) ||
            (parent?.type === 'BinaryExpression' && parent.operator === 'in' && parent.left === node);
          if (!renamed)
            this.error(
              `${chunk.fileName}: the string '${node.value}' names an internal member, which the minifier renames (rollup.config.mjs, internalNames)`,
            );
        }
        memberName(node);
        // Lit's `static properties = {...}` (a class field, or `X.properties = {...}` after the class).
        const properties =
          node.type === 'PropertyDefinition' && node.static && nameOf(node.key) === 'properties'
            ? node.value
            : node.type === 'AssignmentExpression' && node.left.type === 'MemberExpression' && nameOf(node.left.property) === 'properties'
              ? node.right
              : undefined;
        for (const entry of properties?.type === 'ObjectExpression' ? properties.properties : []) {
          const name = nameOf(entry.key);
          if (name === undefined || !INTERNAL.test(name)) continue;
          const options = entry.value.type === 'ObjectExpression' ? entry.value.properties : [];
          const state = options.some(
            (o) => (nameOf(o.key) === 'state' && o.value.value === true) || (nameOf(o.key) === 'attribute' && o.value.value === false),
          );
          if (!state) this.error(`${chunk.fileName}: the Lit property ${name} is internal (its name starts with _) but not a state`);
        }
        for (const value of Object.values(node)) {
          if (Array.isArray(value)) for (const child of value) visit(child, node);
          else if (value && typeof value.type === 'string') visit(value, node);
        }
      };
      visit(this.parse(code), undefined);
      return null;
    },
    generateBundle() {
      for (const [name, short] of Object.entries(nameCache.props?.props ?? {})) {
        if (real.has(short) && !INTERNAL.test(short))
          this.error(
            `${name.slice(1)} was renamed ${short}, a member name of another chunk: reserve it (rollup.config.mjs, internalNames)`,
          );
      }
    },
  };
}

/**
 * Private names (`#name`) made short per class: terser gives each one name unique in the file
 * (`#ab`, two letters past the first 54); a private name only means something inside its class, so
 * each outermost class names its own from `#t` up, the most used first. The same few names in
 * every class also compress better.
 */
function shortPrivateNames() {
  const first = 'etnsrioaclfhdupmgbwyvkxqjzETNSRIOACLFHDUPMGBWYVKXQJZ$_';
  const next = `${first}0123456789`;
  const nth = (i) => {
    let name = first[i % first.length];
    for (let n = Math.floor(i / first.length); n > 0; n = Math.floor((n - 1) / next.length)) name += next[(n - 1) % next.length];
    return name;
  };
  return {
    name: 'short-private-names',
    renderChunk(code) {
      const out = new MagicString(code);
      const isClass = (node) => node.type === 'ClassDeclaration' || node.type === 'ClassExpression';
      const each = (node, inClass, uses) => {
        if (!node || typeof node.type !== 'string') return;
        if (node.type === 'PrivateIdentifier' && uses) (uses.get(node.name) ?? uses.set(node.name, []).get(node.name)).push(node);
        if (isClass(node) && !inClass) {
          const own = new Map();
          for (const value of Object.values(node)) for (const child of [value].flat()) each(child, true, own);
          [...own.values()]
            .sort((a, b) => b.length - a.length)
            .forEach((nodes, i) => {
              for (const n of nodes) out.overwrite(n.start + 1, n.end, nth(i));
            });
          return;
        }
        for (const value of Object.values(node)) for (const child of [value].flat()) each(child, inClass, uses);
      };
      each(this.parse(code), false, undefined);
      return out.hasChanged() ? { code: out.toString(), map: out.generateMap({ hires: true }) } : null;
    },
  };
}

// Rollup names a chunk's exports by their first letter, read as members (`t.q`, the SDK's questionRequests
// in the questions chunk): no internal member may take one (it did: `_onVote`, once the Questions tab was a chunk).
const plugins = (nameCache = {}, reserved = ['q']) => [
  withoutWebTransport(),
  withoutEagerPolling(),
  uriByUrl(),
  withoutBinaryReading(),
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
  internalNames(nameCache, reserved),
  terser({
    format: { comments: false },
    compress: { passes: 3, inline: 1 },
    mangle: { properties: { regex: INTERNAL, reserved } },
    nameCache,
  }),
  shortPrivateNames(),
  sizeReport(),
];

/**
 * Warnings about dependencies' code that is known and harmless, said once each in one line, not
 * once per file and bundle (a first `npm start` printed hundreds of lines of them):
 * - ts-mls imports other ciphersuites' libraries on demand (`@noble/curves`, `@hpke/ml-kem`...),
 *   its optional peers, which are not installed: the rooms' one ciphersuite never loads them;
 * - annotations Rollup drops, and `this` at the top of an ES module, in @hpke's and others' code.
 */
const KNOWN_IN_DEPENDENCIES = {
  UNRESOLVED_IMPORT: "ts-mls's optional ciphersuite libraries are not installed (not used: one ciphersuite)",
  INVALID_ANNOTATION: 'annotations Rollup cannot place were dropped from dependencies',
  THIS_IS_UNDEFINED: "a dependency's top-level `this` is undefined in a module, as intended",
};
const toldOnce = new Set();
/** Rollup's `onLog`: the known warnings above once each, everything else as Rollup says it. */
function onLog(level, log, handler) {
  const known = KNOWN_IN_DEPENDENCIES[log.code];
  // An unresolved import of ours (it would stay a bare import in the classic script) is always said.
  const fromDependency =
    log.code === 'UNRESOLVED_IMPORT'
      ? /^@(noble|hpke)\//u.test(log.exporter ?? '') && /node_modules[\\/]ts-mls[\\/]/u.test(log.id ?? '')
      : /node_modules/u.test(log.id ?? '');
  if (level !== 'warn' || known === undefined || !fromDependency) return handler(level, log);
  if (toldOnce.has(log.code)) return;
  toldOnce.add(log.code);
  console.warn(`rollup: ${known} (${log.code}, said once)`);
}

/**
 * The two builds: `script` (chat-room.min.js and its chunks, for a script tag: what the demo and
 * `chat.widgetHandler()` serve) and `module` (chat-room.esm.js and its chunks). `WIDGET_BUILD=script`
 * or `=module` builds one (scripts/build.mjs runs them as two steps, so `npm start` builds only the
 * first); both by default.
 */
const only = process.env['WIDGET_BUILD'];

export default [
  {
    name: 'script',
    onLog,
    // Built as chat-room.esm.js is, then made a classic script with its chunk next to it.
    input: 'packages/widget/src/embed.ts',
    preserveEntrySignatures: 'allow-extension',
    output: {
      dir: outDir,
      entryFileNames: 'chat-room.min.js',
      chunkFileNames: 'chat-room.[name].js',
      manualChunks: lazyChunks(),
      format: 'es',
      sourcemap: true,
    },
    plugins: [...plugins(), classicScriptEntry({ entry: 'chat-room.min.js', name: 'ChatWidget', key: '@chat/widget chat-room.min.js' })],
  },
  {
    name: 'module',
    onLog,
    input: 'packages/widget/src/embed.ts',
    // The chunk's imports become extra exports of chat-room.esm.js (not a facade over a shared chunk).
    preserveEntrySignatures: 'allow-extension',
    // Split: the call chunk is chat-room.call.esm.js, importing Lit and the SDK from chat-room.esm.js.
    output: {
      dir: outDir,
      entryFileNames: 'chat-room.esm.js',
      chunkFileNames: 'chat-room.[name].esm.js',
      manualChunks: lazyChunks(),
      format: 'es',
      sourcemap: true,
    },
    plugins: plugins(),
  },
]
  .filter((build) => only === undefined || build.name === only)
  .map(({ name, ...build }) => build);
