import type { Ack } from './ack.js';
import type {
  E2eeCommitEvent,
  E2eeCommitPayload,
  E2eeCommitResult,
  E2eeDeviceRemovePayload,
  E2eeDeviceRemoveResult,
  E2eeKeysClaimPayload,
  E2eeKeysClaimResult,
  E2eeKeysHeldPayload,
  E2eeKeysHeldResult,
  E2eeKeysLowEvent,
  E2eeKeysPublishPayload,
  E2eeKeysPublishResult,
  E2eePendingEvent,
  E2eeRemovedEvent,
  E2eeSyncPayload,
  E2eeSyncResult,
  E2eeWelcomeEvent,
} from './e2ee.js';

/** End-to-end encrypted rooms' client events (the MLS delivery service). */
export interface E2eeClientEvents {
  'e2ee:keys:publish': (payload: E2eeKeysPublishPayload, ack: Ack<E2eeKeysPublishResult>) => void;
  'e2ee:keys:held': (payload: E2eeKeysHeldPayload, ack: Ack<E2eeKeysHeldResult>) => void;
  'e2ee:keys:claim': (payload: E2eeKeysClaimPayload, ack: Ack<E2eeKeysClaimResult>) => void;
  'e2ee:commit': (payload: E2eeCommitPayload, ack: Ack<E2eeCommitResult>) => void;
  'e2ee:sync': (payload: E2eeSyncPayload, ack: Ack<E2eeSyncResult>) => void;
  'e2ee:device:remove': (payload: E2eeDeviceRemovePayload, ack: Ack<E2eeDeviceRemoveResult>) => void;
}

/** End-to-end encrypted rooms' server events. */
export interface E2eeServerEvents {
  'e2ee:commit': (event: E2eeCommitEvent) => void;
  'e2ee:welcome': (event: E2eeWelcomeEvent) => void;
  'e2ee:pending': (event: E2eePendingEvent) => void;
  'e2ee:removed': (event: E2eeRemovedEvent) => void;
  'e2ee:keys:low': (event: E2eeKeysLowEvent) => void;
}
