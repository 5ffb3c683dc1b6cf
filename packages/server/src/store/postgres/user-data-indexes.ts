// Version 16's indexes (migrations.ts): a person's rows by user in every table, for
// chat.exportUser and chat.eraseUser.
import type { IndexStep } from './migration.js';

/** Version 16's indexes, each built CONCURRENTLY on a large table, inside the transaction on a small one. */
export const INDEXES_16: readonly IndexStep[] = [
  // The reactions a person gave, in the order they gave them.
  {
    index: 'chat_reactions_user',
    sql: `CREATE INDEX CONCURRENTLY IF NOT EXISTS chat_reactions_user ON chat_reactions (user_id, rev)`,
    small: { table: 'chat_reactions', sql: `CREATE INDEX IF NOT EXISTS chat_reactions_user ON chat_reactions (user_id, rev)` },
  },
  // A person's roles, bans and mutes in every room (the key starts with the room).
  {
    index: 'chat_standings_user',
    sql: `CREATE INDEX CONCURRENTLY IF NOT EXISTS chat_standings_user ON chat_standings (user_id)`,
    small: { table: 'chat_standings', sql: `CREATE INDEX IF NOT EXISTS chat_standings_user ON chat_standings (user_id)` },
  },
  // Audit entries a person made, and
  {
    index: 'chat_audit_actor',
    sql: `CREATE INDEX CONCURRENTLY IF NOT EXISTS chat_audit_actor ON chat_audit ((actor ->> 'id'))`,
    small: { table: 'chat_audit', sql: `CREATE INDEX IF NOT EXISTS chat_audit_actor ON chat_audit ((actor ->> 'id'))` },
  },
  // the ones about them (most name nobody).
  {
    index: 'chat_audit_target',
    sql: `CREATE INDEX CONCURRENTLY IF NOT EXISTS chat_audit_target ON chat_audit (target_user_id) WHERE target_user_id IS NOT NULL`,
    small: {
      table: 'chat_audit',
      sql: `CREATE INDEX IF NOT EXISTS chat_audit_target ON chat_audit (target_user_id) WHERE target_user_id IS NOT NULL`,
    },
  },
  // Reports a person made, oldest first.
  {
    index: 'chat_reports_reporter',
    sql: `CREATE INDEX CONCURRENTLY IF NOT EXISTS chat_reports_reporter ON chat_reports (reporter_id, id)`,
    small: { table: 'chat_reports', sql: `CREATE INDEX IF NOT EXISTS chat_reports_reporter ON chat_reports (reporter_id, id)` },
  },
];
/** Their `small` forms together: the schema version 16 leaves. */
export const SMALL_16 = INDEXES_16.map((step) => `${step.small.sql};`).join('\n');
