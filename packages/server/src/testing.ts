// Subpath entry `@chat/server/testing`: the ChatStore conformance suite, for authors of stores.
// It runs inside vitest (it calls describe/it/expect), so users of this entry need vitest installed.
export { describeStoreConformance, freshRoomId } from './testing/store-conformance.js';
export type { StoreConformanceOptions } from './testing/store-conformance.js';
export type { StoreDump } from './testing/erase-conformance.js';
export type { BuiltInStorePartName } from './core/store-parts.js';
