// Moved to @chat/server/testing; kept so that existing imports keep working.
export * from '../packages/server/src/testing/store-conformance.js';
