import type pg from 'pg';
import type { WebPushSubscription } from '@chat/protocol';
import type { PushRemoval, StoredPushSubscription } from '../../core/chat-store.js';
import { storedPushSubscription, tooManyPushSubscriptions } from '../push-subscriptions.js';
import { inTransaction } from './transaction.js';

// Push subscriptions of PostgresStore (migration 9).

interface PushRow {
  endpoint: string;
  user_id: string;
  p256dh: string;
  auth: string;
  expiration_time: string | null;
}

// One lock per user (any two constants apart from the other locks' keys): two subscribes of one
// user at once count each other's rows, so the bound holds across processes.
const LOCK_SQL = `SELECT pg_advisory_xact_lock(727210926, hashtext($1))`;
const COUNT_OTHERS_SQL = `SELECT count(*)::int AS n FROM chat_push_subscriptions WHERE user_id = $1 AND endpoint <> $2`;
const UPSERT_SQL = `
  INSERT INTO chat_push_subscriptions (endpoint, user_id, p256dh, auth, expiration_time) VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth,
    expiration_time = excluded.expiration_time, created_at = now()`;
const LIST_SQL = `SELECT endpoint, user_id, p256dh, auth, expiration_time FROM chat_push_subscriptions WHERE user_id = ANY($1::text[])`;
// Deletes the row if it is this user's, and says whose it was (no row: absent).
const REMOVE_SQL = `
  WITH found AS (SELECT user_id FROM chat_push_subscriptions WHERE endpoint = $1),
       gone AS (DELETE FROM chat_push_subscriptions WHERE endpoint = $1 AND user_id = $2 RETURNING 1)
  SELECT (SELECT user_id FROM found) AS owner, EXISTS (SELECT 1 FROM gone) AS removed`;

/** The push subscriptions of `PostgresStore`, on its pool. */
export class PostgresPush {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async save(userId: string, subscription: WebPushSubscription, max: number): Promise<void> {
    await inTransaction(this.#pool, async (client) => {
      await client.query(LOCK_SQL, [userId]);
      const { rows } = await client.query<{ n: number }>(COUNT_OTHERS_SQL, [userId, subscription.endpoint]);
      if ((rows[0]?.n ?? 0) >= max) throw tooManyPushSubscriptions(max);
      const { endpoint, keys, expirationTime } = subscription;
      await client.query(UPSERT_SQL, [endpoint, userId, keys.p256dh, keys.auth, expirationTime ?? null]);
    });
  }

  async list(userIds: string[]): Promise<StoredPushSubscription[]> {
    if (userIds.length === 0) return [];
    const { rows } = await this.#pool.query<PushRow>(LIST_SQL, [[...new Set(userIds)]]);
    return rows.map((r) =>
      storedPushSubscription(r.user_id, {
        endpoint: r.endpoint,
        keys: { p256dh: r.p256dh, auth: r.auth },
        expirationTime: r.expiration_time === null ? null : Number(r.expiration_time),
      }),
    );
  }

  async remove(userId: string, endpoint: string): Promise<PushRemoval> {
    const { rows } = await this.#pool.query<{ owner: string | null; removed: boolean }>(REMOVE_SQL, [endpoint, userId]);
    const row = rows[0];
    if (row?.removed === true) return 'removed';
    return row?.owner == null ? 'absent' : 'not-yours';
  }
}
