// The conformance suite on a store with the core alone: its cases and nothing of the parts it leaves out.
import { describeStoreConformance } from '../testing/store-conformance.js';
import { coreOnlyStore } from './core-only-store-fixtures.js';

describeStoreConformance('a store with the core alone', async () => coreOnlyStore(), {
  without: ['SearchStore', 'ModerationStore', 'PushStore', 'RetentionStore', 'UserDataStore', 'E2eeStore'],
});
