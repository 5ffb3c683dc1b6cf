// The SDK's layers (docs/architecture.md), on top of the shared rules (../../.dependency-cruiser.cjs):
// core/ <- feature folders (every other folder: room/, calls/, uploads/, outbox/, conversations/,
// e2ee/, push/, pins/, polls/, questions/, live-reactions/, and any new one) <- the facades at the
// top of src/ (chat-room.ts, chat-client.ts and room-link.ts, the link a client hands its rooms)
// <- the entry points (index.ts, indexeddb.ts, browser.ts).
const { packageRules } = require('../../.dependency-cruiser.cjs');

const src = '^packages/client/src/';
/** Every folder of src/ but core/: a new feature's folder is held to the rules without being listed. */
const features = '((?!core/)[^/]+)';
const topLevel = `${src}[^/]+\\.ts$`;
const entries = `${src}(index|indexeddb|browser)\\.ts$`;

module.exports = packageRules('client', [
  {
    name: 'core-imports-only-core',
    severity: 'error',
    comment:
      'core/ is what every part of the SDK speaks (transport, auth, room state, subscribable): it imports nothing of the SDK outside core/.',
    from: { path: `${src}core/` },
    to: { path: src, pathNot: `${src}core/` },
  },
  {
    name: 'features-import-only-core-and-themselves',
    severity: 'error',
    comment: 'A feature folder imports core/ and its own files only: never another feature (share through an interface in core/).',
    from: { path: `${src}${features}/` },
    to: { path: src, pathNot: [`${src}core/`, `${src}$1/`] },
  },
  {
    name: 'no-folder-imports-a-facade',
    severity: 'error',
    comment:
      'Nothing in a folder imports chat-room.ts, chat-client.ts or room-link.ts: a part is handed a narrow host interface, never a facade.',
    from: { path: `${src}[^/]+/` },
    to: { path: topLevel },
  },
  {
    name: 'room-does-not-import-client',
    severity: 'error',
    comment: 'A ChatRoom reaches its client only through RoomLink, never chat-client.ts.',
    from: { path: `${src}(chat-room|room-link)\\.ts$` },
    to: { path: `${src}chat-client\\.ts$` },
  },
  {
    name: 'only-browser-imports-an-entry',
    severity: 'error',
    comment: 'The entry points only re-export: no file imports one, except the browser bundle re-exporting index.ts.',
    from: { path: src, pathNot: `${src}browser\\.ts$` },
    to: { path: entries },
  },
]);
