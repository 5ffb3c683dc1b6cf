// This package's import rules on top of the shared ones (../../.dependency-cruiser.cjs).
//
// The layers of src/, imports pointing down only:
// - foundation: the files at the root of src/ (events, formats, linkify, group-messages, lazy-part,
//   add-styles) and i18n/;
// - parts/: render functions of one piece of the view each (the `html` they return, no state);
// - controllers and slots: chat-room/*-controller.ts and the other Lit reactive controllers and
//   helpers beside the elements, conversations/, and each lazy folder's loader.ts (its slot);
// - the elements: <name>/<name>.component.ts, defined by <name>/<name>.ts; then index.ts and embed.ts.
// Lazy chunks (every folder of `lazyFolders` but its loader.ts, chat-inbox/inbox.ts, i18n/es.ts)
// hang off their loader: only a dynamic import reaches them.
const { packageRules } = require('../../.dependency-cruiser.cjs');

const src = '^packages/widget/src/';
/**
 * The folders whose code is a chunk loaded on first use, but for their loader.ts (e2ee/ has none: the
 * room's session imports its entry dynamically). A new feature's folder is added here.
 */
const lazyFolders =
  '(call|call-lines|moderation|uploads|pickers|message-tools|push|search|panels|live-reactions|threads|pins|polls|questions|previews|voice|e2ee)';
/** The modules of the chunks loaded on first use. */
const lazy = `${src}(${lazyFolders}/(?!loader\\.ts$)|chat-inbox/(inbox|chat-inbox\\.styles)\\.ts$|i18n/es\\.ts$)`;
/** Imports that put nothing in the importer's bundle: a dynamic import (a chunk of its own) and a type. */
const notLoaded = ['dynamic-import', 'type-only'];
/** The files that define the elements (customElements.define): <name>/<name>.ts beside <name>/<name>.component.ts. */
const defineFile = `${src}(chat-room/chat-room|chat-inbox/chat-inbox)\\.ts$`;

module.exports = packageRules('widget', [
  {
    name: 'element-only-from-its-define-file',
    severity: 'error',
    comment:
      'An element class (<name>.component.ts) is imported only by its define file <name>/<name>.ts; everything else reaches it through that file or a narrow host interface.',
    from: { pathNot: defineFile },
    to: { path: '\\.component\\.ts$' },
  },
  {
    name: 'define-file-defines-its-own-element',
    severity: 'error',
    comment: "A define file imports only its own folder's element class (another element is reached through its define file).",
    from: { path: `${src}([^/]+)/` },
    to: { path: '\\.component\\.ts$', pathNot: `${src}$1/` },
  },
  {
    name: 'parts-and-controllers-never-import-an-element',
    severity: 'error',
    comment:
      'Parts, controllers, loaders and the foundation never import an element class or a define file: they get what they need through a host interface.',
    from: { pathNot: [defineFile, `${src}(index|embed)\\.ts$`] },
    to: { path: ['\\.component\\.ts$', defineFile] },
  },
  {
    name: 'parts-are-below-controllers',
    severity: 'error',
    comment:
      'A part (parts/) imports the foundation, other parts and helpers, never a controller, nor the room or inbox views; a slot or controller type it draws is type-only.',
    from: { path: `${src}parts/` },
    to: { path: [`-controller\\.ts$`, `${src}chat-inbox/`, `${src}conversations/`], dependencyTypesNot: ['type-only'] },
  },
  {
    name: 'foundation-stays-at-the-bottom',
    severity: 'error',
    comment:
      'The root files of src/ and i18n/ import nothing of parts, controllers, elements or chunks (only the types of the texts that chunks carry).',
    from: { path: `${src}([^/]+\\.ts|i18n/.+)$`, pathNot: `${src}(index|embed)\\.ts$` },
    to: {
      path: `${src}(parts|chat-room|chat-inbox|conversations|${lazyFolders.slice(1, -1)})/`,
      pathNot: `${src}[^/]+/[^/]+-strings\\.ts$`,
    },
  },
  {
    name: 'lazy-chunks-only-through-their-loader',
    severity: 'error',
    comment:
      'First-view code reaches a lazy chunk only by a dynamic import (its loader), or for its types: a static import would put the chunk into chat-room.min.js.',
    from: { pathNot: [lazy, `${src}index\\.ts$`] },
    to: { path: lazy, dependencyTypesNot: notLoaded },
  },
  {
    name: 'npm-entry-bundles-only-spanish',
    severity: 'error',
    comment:
      'index.ts (the npm entry) exports Spanish statically, and no other lazy module (embed.ts, the script-tag entry, exports none).',
    from: { path: `${src}index\\.ts$` },
    to: { path: lazy, pathNot: `${src}i18n/es\\.ts$`, dependencyTypesNot: notLoaded },
  },
  {
    name: 'lazy-chunks-do-not-load-each-other',
    severity: 'error',
    comment: "A lazy chunk's modules import another lazy folder's modules only dynamically or for types: each chunk stays one fetch.",
    from: { path: `${src}(${lazyFolders.slice(1, -1)}|chat-inbox)/` },
    to: { path: lazy, pathNot: `${src}$1/`, dependencyTypesNot: notLoaded },
  },
]);
