// The whole store as the built-in stores provide it: the core and every built-in part.
import type { ChatStoreCore } from './store-core.js';
import type { ModerationStore, PushStore, RetentionStore, SearchStore, UserDataStore } from './store-parts.js';

export type * from './store-core.js';
export type * from './store-parts.js';
export { ERASED_USER } from './store-core.js';

/**
 * Where rooms and messages live, with every built-in part: what `MemoryStore` and `PostgresStore`
 * provide, and every implementation passes the same conformance suite. A store of a host's own
 * may provide the core alone (`ChatStoreCore`) and the parts it wants; `createChatServer` says
 * which capability goes without a part, and refuses an option whose part is missing.
 */
export interface ChatStore extends ChatStoreCore, SearchStore, ModerationStore, PushStore, RetentionStore, UserDataStore {}
