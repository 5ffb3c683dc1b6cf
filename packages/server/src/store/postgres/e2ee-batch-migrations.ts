import type { Migration } from './migration.js';

/**
 * Migrations 22 and 23: the ids of each device's batches of key packages (e2ee:keys:publish's
 * batch), so that a batch sent again, or a first send arriving late, keeps nothing twice. 24:
 * the welcomes waiting for a device, found by it (e2ee:keys:held). 25: each group's id, so that a
 * device holding a group from before the room's group started afresh is told apart.
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
  {
    version: 24,
    name: 'e2ee welcomes by device',
    // e2ee:keys:held asks which of a device's key packages a waiting welcome names; a device's
    // removal, chat.exportUser and chat.eraseUser look up its welcomes too. The primary key starts
    // with the room, so each read the whole table. Built as version 18 is; no row is rewritten.
    outsideTransaction: true,
    index: 'chat_e2ee_welcomes_device',
    sql: `CREATE INDEX CONCURRENTLY IF NOT EXISTS chat_e2ee_welcomes_device ON chat_e2ee_welcomes (user_id, device_id)`,
    small: {
      table: 'chat_e2ee_welcomes',
      sql: `CREATE INDEX IF NOT EXISTS chat_e2ee_welcomes_device ON chat_e2ee_welcomes (user_id, device_id)`,
    },
  },
  {
    version: 25,
    name: 'e2ee group ids',
    // A nullable column without a default: no row is rewritten.
    sql: `
      -- The id the group's first commit gave it (e2ee:commit's group; its MLS group id). NULL: it
      -- gave none, and the group's id is its room's. A group that starts afresh gets a new id, so a
      -- device holding the old one is told apart although the epochs count from 0 again.
      ALTER TABLE chat_e2ee_groups ADD COLUMN group_id text;
    `,
  },
];
