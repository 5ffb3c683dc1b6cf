// Moved to packages/server/src/testing/reachable-text.ts (`@chat/server/testing`'s erase case walks
// an in-memory store with it); kept so that existing imports keep working.
export { reachableText } from '../packages/server/src/testing/reachable-text.js';
