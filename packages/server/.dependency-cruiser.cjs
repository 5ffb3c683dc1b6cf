// The server's layers (docs/architecture.md), on top of the shared rules (../../.dependency-cruiser.cjs).
// Imports point down only: core <- store, cluster, limits, auth <- kernel <- capabilities <- the facade.
const { packageRules } = require('../../.dependency-cruiser.cjs');

const src = '^packages/server/src/';
const l1 = `${src}(store|cluster|local|limits|auth)/`;
// The top: the facade (chat-server.ts and its parts in facade/), the options and the entry points.
const top = `${src}((chat-server|options|index|postgres|redis|testing)\\.ts$|facade/)`;

module.exports = packageRules('server', [
  {
    name: 'core-imports-only-core',
    severity: 'error',
    comment: 'core/ is the vocabulary, the seams and the ports: it imports @chat/protocol and itself, nothing else of the server.',
    from: { path: `${src}core/` },
    to: { path: src, pathNot: `${src}core/` },
  },
  {
    name: 'l1-imports-only-core-and-l1',
    severity: 'error',
    comment: 'store/, cluster/, limits/ and auth/ implement seams of core/; they never reach the kernel, a capability or the facade.',
    from: { path: l1 },
    to: { path: src, pathNot: [`${src}core/`, l1] },
  },
  {
    name: 'kernel-never-imports-a-capability',
    severity: 'error',
    comment: 'The kernel knows capabilities and plugins only as the Capability type of core/; the facade registers them.',
    from: { path: `${src}kernel/` },
    to: { path: [`${src}capabilities/`, `${src}plugins/`, top] },
  },
  {
    name: 'capability-never-imports-a-plugin',
    severity: 'error',
    comment: 'A capability reaches what a plugin does only through the bus and the ports, as it reaches another capability.',
    from: { path: `${src}capabilities/` },
    to: { path: `${src}plugins/` },
  },
  {
    name: 'capability-never-imports-another',
    severity: 'error',
    comment:
      'A capability talks to another through the bus (kernel/) and the ports of core/, never by import; the ports reach it in its context (capabilities/capability-context.ts).',
    from: { path: `${src}capabilities/([^/]+)/` },
    to: { path: `${src}capabilities/`, pathNot: [`${src}capabilities/$1/`, `${src}capabilities/capability-context\\.ts$`] },
  },
  {
    name: 'top-reaches-a-capability-by-its-index',
    severity: 'error',
    comment:
      'chat-server.ts, facade/ and the entry points reach a capability only through its index.ts (its surface), never an inner file.',
    from: { path: top },
    to: { path: `${src}capabilities/[^/]+/`, pathNot: `${src}capabilities/[^/]+/index\\.ts$` },
  },
  {
    name: 'a-plugin-uses-only-the-public-shape',
    severity: 'error',
    comment:
      'plugins/ holds the toolkit features written as a host writes a plugin (docs/plugins.md): each imports core/ (definePlugin, PluginTools) and itself, nothing of the kernel, a capability or another plugin.',
    from: { path: `${src}plugins/([^/]+)/` },
    to: { path: src, pathNot: [`${src}core/`, `${src}plugins/$1/`] },
  },
  {
    name: 'top-reaches-a-plugin-by-its-index',
    severity: 'error',
    comment: 'The entry points reach a plugin only through its index.ts.',
    from: { path: src, pathNot: `${src}plugins/` },
    to: { path: `${src}plugins/[^/]+/`, pathNot: `${src}plugins/[^/]+/index\\.ts$` },
  },
  {
    name: 'nothing-imports-the-facade',
    severity: 'error',
    comment: 'chat-server.ts and options.ts are the top: only the entry points import them.',
    from: { path: src, pathNot: top },
    to: { path: `${src}(chat-server|options)\\.ts$` },
  },
  {
    name: 'facade-parts-only-for-the-facade',
    severity: 'error',
    comment: 'facade/ holds the parts chat-server.ts was cut into (composition, the host API groups): only chat-server.ts imports them.',
    from: { path: src, pathNot: [`${src}chat-server\\.ts$`, `${src}facade/`] },
    to: { path: `${src}facade/` },
  },
]);
