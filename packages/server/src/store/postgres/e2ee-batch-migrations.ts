import type { Migration } from './migration.js';

/**
 * Migrations 22 and 23: the ids of each device's batches of key packages (e2ee:keys:publish's
 * batch), so that a batch sent again, or a first send arriving late, keeps nothing twice.
 */
export const E2EE_BATCH_MIGRATIONS: readonly Migration[] = [
  {
    version: 22,
    name: 'e2ee key package batches',
    // A nullable column without a default: no row is rewritten.
    sql: `
      -- The id of each device's last batch of key packages: a publish repeated after its answer was
      -- lost keeps nothing twice, and the device can ask whether a batch arrived.
      ALTER TABLE chat_e2ee_published_devices ADD COLUMN batch text;
    `,
  },
  {
    version: 23,
    name: 'e2ee key package batches kept',
    // A nullable column without a default: no row is rewritten.
    sql: `
      -- The device's batch ids before its last one (batch), newest first: a first send that stalled
      -- and arrives after a later batch is kept once too. Bounded by E2EE_LIMITS.keyBatchesKept.
      ALTER TABLE chat_e2ee_published_devices ADD COLUMN earlier_batches text[];
    `,
  },
];
