import type pg from 'pg';
import { E2EE_LIMITS, type E2eeClaimedKeyPackage, type E2eeDevice, type E2eeLogEntry, type E2eeWelcome } from '@chat/protocol';
import { ERASED_USER } from '../../core/chat-store.js';
import type { E2eeCommitDraft, E2eeGroupHead, E2eeStore, E2eeUserData } from '../../core/e2ee-store.js';
import { deviceRemoved, tooManyDevices, tooManyKeyPackages, userDevices } from '../e2ee-rules.js';
import { inTransaction } from './transaction.js';

// Encrypted rooms' delivery service state of PostgresStore (migrations 13, 17, 19, 22 and 23).

// One lock per user (constants apart from the other advisory locks' keys): two publishes of one
// user at once count each other's rows, so the bound holds across processes.
const LOCK_USER_SQL = `SELECT pg_advisory_xact_lock(727210927, hashtext($1))`;
const COUNT_SQL = `SELECT count(*)::int AS n FROM chat_e2ee_key_packages WHERE user_id = $1`;
const INSERT_KEYS_SQL = `
  INSERT INTO chat_e2ee_key_packages (user_id, device_id, key_package) SELECT $1, $2, k FROM unnest($3::text[]) WITH ORDINALITY AS t (k, o) ORDER BY o`;
// The user's devices that count against the bound ($1 the user): holding a key package or in a group, not removed.
const USER_DEVICES_SQL = `
  SELECT device_id FROM chat_e2ee_key_packages WHERE user_id = $1
  UNION SELECT device_id FROM chat_e2ee_devices WHERE user_id = $1
  EXCEPT SELECT device_id FROM chat_e2ee_gone_devices WHERE user_id = $1`;
// A device that published stays known once its last key package is claimed (MemoryE2ee keeps it too).
// With a batch id ($3), it becomes the device's last batch (migration 22) and the one before joins
// the earlier ones (migration 23), $4 of them kept; without, the batches stay.
const PUBLISHED_SQL = `
  INSERT INTO chat_e2ee_published_devices AS p (user_id, device_id, batch) VALUES ($1, $2, $3)
  ON CONFLICT (user_id, device_id) DO UPDATE SET
    batch = COALESCE(excluded.batch, p.batch),
    earlier_batches = CASE WHEN excluded.batch IS NULL OR p.batch IS NULL THEN p.earlier_batches
      ELSE (p.batch || COALESCE(p.earlier_batches, '{}'))[1:$4::int] END`;
const BATCH_SQL = `
  SELECT 1 FROM chat_e2ee_published_devices WHERE user_id = $1 AND device_id = $2 AND ($3 = batch OR $3 = ANY(earlier_batches))`;
const DEVICE_COUNTS_SQL = `
  SELECT t.o, count(k.id)::int AS n FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t (u, d, o)
  LEFT JOIN chat_e2ee_key_packages k ON k.user_id = t.u AND k.device_id = t.d GROUP BY t.o ORDER BY t.o`;
// Those of $3 the device ($1, $2) holds unclaimed, or a welcome waiting for it names.
const LIVE_KEYS_SQL = `
  SELECT key_package FROM chat_e2ee_key_packages WHERE user_id = $1 AND device_id = $2 AND key_package = ANY($3::text[])
  UNION SELECT key_package FROM chat_e2ee_welcomes WHERE user_id = $1 AND device_id = $2 AND key_package = ANY($3::text[])`;
const DEVICE_COUNT_SQL = `SELECT count(*)::int AS n FROM chat_e2ee_key_packages WHERE user_id = $1 AND device_id = $2`;
// The oldest key package of each device of these users that is not in the group; a row another
// claim holds is skipped (that device is being claimed by it).
const CLAIM_SQL = `
  WITH devices AS (
    SELECT DISTINCT k.user_id, k.device_id FROM chat_e2ee_key_packages k
    WHERE k.user_id = ANY($2::text[]) AND ($3::text IS NULL OR (k.user_id, k.device_id) <> ($3, $4)) AND NOT EXISTS (
      SELECT 1 FROM chat_e2ee_devices d WHERE d.room_id = $1 AND d.user_id = k.user_id AND d.device_id = k.device_id)
  ), picked AS (
    SELECT p.id FROM devices v CROSS JOIN LATERAL (
      SELECT id FROM chat_e2ee_key_packages k WHERE k.user_id = v.user_id AND k.device_id = v.device_id
      ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) p
  )
  DELETE FROM chat_e2ee_key_packages k USING picked WHERE k.id = picked.id RETURNING k.user_id, k.device_id, k.key_package`;
const KEY_DEVICES_SQL = `SELECT DISTINCT user_id, device_id FROM chat_e2ee_key_packages WHERE user_id = ANY($1::text[]) ORDER BY user_id, device_id`;
const HEAD_SQL = `SELECT epoch, group_id AS id FROM chat_e2ee_groups WHERE room_id = $1`;
const DEVICES_SQL = `SELECT user_id, device_id FROM chat_e2ee_devices WHERE room_id = $1 ORDER BY user_id, device_id`;
// The compare-and-set: the first commit creates the group's row, every later one moves it from its epoch.
// A group's id is the one its first commit gave it; NULL (created without one: by a client or a process
// before ids) is unknown and matches any, as does a commit or sync naming none.
const CREATE_SQL = `INSERT INTO chat_e2ee_groups (room_id, epoch, group_id) VALUES ($1, 1, $2) ON CONFLICT (room_id) DO NOTHING`;
const ADVANCE_SQL = `UPDATE chat_e2ee_groups SET epoch = epoch + 1
  WHERE room_id = $1 AND epoch = $2 AND ($3::text IS NULL OR group_id IS NULL OR group_id = $3)`;
const INSERT_COMMIT_SQL = `INSERT INTO chat_e2ee_commits (room_id, epoch, commit, user_id, device_id) VALUES ($1, $2, $3, $4, $5)`;
const ADD_DEVICES_SQL = `
  INSERT INTO chat_e2ee_devices (room_id, user_id, device_id) SELECT $1, u, d FROM unnest($2::text[], $3::text[]) AS t (u, d)
  ON CONFLICT DO NOTHING`;
const REMOVE_DEVICES_SQL = `
  WITH gone AS (SELECT u, d FROM unnest($2::text[], $3::text[]) AS t (u, d)),
       welcomes AS (DELETE FROM chat_e2ee_welcomes w USING gone WHERE w.room_id = $1 AND w.user_id = gone.u AND w.device_id = gone.d)
  DELETE FROM chat_e2ee_devices x USING gone WHERE x.room_id = $1 AND x.user_id = gone.u AND x.device_id = gone.d`;
const WELCOMES_SQL = `
  INSERT INTO chat_e2ee_welcomes (room_id, user_id, device_id, epoch, welcome, key_package)
  SELECT $1, u, d, $2, $3, k FROM unnest($4::text[], $5::text[], $6::text[]) AS t (u, d, k)
  ON CONFLICT (room_id, user_id, device_id) DO UPDATE SET epoch = excluded.epoch, welcome = excluded.welcome, key_package = excluded.key_package`;
const COMMITS_SQL = `
  SELECT epoch, commit, user_id, device_id FROM chat_e2ee_commits WHERE room_id = $1 AND epoch >= $2 ORDER BY epoch LIMIT $3`;
const WELCOME_SQL = `SELECT epoch, welcome, key_package FROM chat_e2ee_welcomes WHERE room_id = $1 AND user_id = $2 AND device_id = $3`;
const IS_GONE_SQL = `SELECT 1 FROM chat_e2ee_gone_devices WHERE user_id = $1 AND device_id = $2`;
const GONE_SQL = `
  SELECT g.user_id, g.device_id FROM chat_e2ee_gone_devices g
  JOIN unnest($1::text[], $2::text[]) AS t (u, d) ON g.user_id = t.u AND g.device_id = t.d`;
// A device the store knows: it published key packages (claimed since or not), is in a group, or was removed already.
const KNOWN_SQL = `
  SELECT EXISTS (SELECT 1 FROM chat_e2ee_published_devices WHERE user_id = $1 AND device_id = $2)
      OR EXISTS (SELECT 1 FROM chat_e2ee_devices WHERE user_id = $1 AND device_id = $2)
      OR EXISTS (SELECT 1 FROM chat_e2ee_gone_devices WHERE user_id = $1 AND device_id = $2) AS known`;
const ADD_GONE_SQL = `INSERT INTO chat_e2ee_gone_devices (user_id, device_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`;
const DROP_KEYS_SQL = `
  WITH published AS (DELETE FROM chat_e2ee_published_devices WHERE user_id = $1 AND device_id = $2)
  DELETE FROM chat_e2ee_key_packages WHERE user_id = $1 AND device_id = $2`;
const DROP_WELCOMES_SQL = `DELETE FROM chat_e2ee_welcomes WHERE user_id = $1 AND device_id = $2`;
const DEVICE_ROOMS_SQL = `SELECT room_id FROM chat_e2ee_devices WHERE user_id = $1 AND device_id = $2 ORDER BY room_id`;
const DROP_WELCOME_SQL = `DELETE FROM chat_e2ee_welcomes WHERE room_id = $1 AND user_id = $2 AND device_id = $3 AND epoch <= $4
  AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM chat_e2ee_groups g WHERE g.room_id = $1 AND (g.group_id IS NULL OR g.group_id = $5)))`;
// A person's rows (chat.exportUser, chat.eraseUser), $1 the user.
const USER_KEYS_SQL = `SELECT device_id, key_package FROM chat_e2ee_key_packages WHERE user_id = $1 ORDER BY device_id, id`;
const USER_GROUPS_SQL = `SELECT device_id, room_id FROM chat_e2ee_devices WHERE user_id = $1`;
const USER_PUBLISHED_SQL = `SELECT device_id FROM chat_e2ee_published_devices WHERE user_id = $1`;
const USER_GONE_SQL = `SELECT device_id FROM chat_e2ee_gone_devices WHERE user_id = $1`;
const USER_WELCOMES_SQL = `SELECT room_id, device_id, epoch, welcome, key_package FROM chat_e2ee_welcomes
  WHERE user_id = $1 ORDER BY room_id COLLATE "C", device_id COLLATE "C"`;
const USER_COMMITS_SQL = `SELECT room_id, epoch, device_id FROM chat_e2ee_commits WHERE user_id = $1 ORDER BY room_id COLLATE "C", epoch`;
const ERASE_KEYS_SQL = `
  WITH published AS (DELETE FROM chat_e2ee_published_devices WHERE user_id = $1)
  DELETE FROM chat_e2ee_key_packages WHERE user_id = $1`;
const ERASE_WELCOMES_SQL = `DELETE FROM chat_e2ee_welcomes WHERE user_id = $1`;
const ERASE_GONE_SQL = `DELETE FROM chat_e2ee_gone_devices WHERE user_id = $1`;
const ERASE_COMMITS_SQL = `UPDATE chat_e2ee_commits SET user_id = $2, device_id = $2 WHERE user_id = $1`;
// A group starts afresh: its row (the compare-and-set's), then its log, devices and welcomes.
const dropGroupsSql = (groups: string) => `
  WITH g AS (DELETE FROM chat_e2ee_groups WHERE ${groups} RETURNING room_id),
       c AS (DELETE FROM chat_e2ee_commits WHERE room_id IN (SELECT room_id FROM g)),
       w AS (DELETE FROM chat_e2ee_welcomes WHERE room_id IN (SELECT room_id FROM g))
  DELETE FROM chat_e2ee_devices WHERE room_id IN (SELECT room_id FROM g) RETURNING room_id`;
const LOCK_GROUP_SQL = `SELECT 1 FROM chat_e2ee_groups WHERE room_id = $1 AND epoch = $2 FOR UPDATE`;
const RESET_SQL = dropGroupsSql(`room_id = $1 AND epoch = $2`);
// In a group of nobody else, nobody is left to commit their removal (nor to add anyone): it starts afresh.
const ERASE_ALONE_SQL = dropGroupsSql(`room_id IN (
    SELECT d.room_id FROM chat_e2ee_devices d WHERE d.user_id = $1
    AND NOT EXISTS (SELECT 1 FROM chat_e2ee_devices o WHERE o.room_id = d.room_id AND o.user_id <> $1))`);
const USER_ROOMS_SQL = `SELECT room_id FROM chat_e2ee_devices WHERE user_id = $1 GROUP BY room_id ORDER BY room_id COLLATE "C"`;

interface DeviceRow {
  user_id: string;
  device_id: string;
}
const toDevice = (r: DeviceRow): E2eeDevice => ({ userId: r.user_id, deviceId: r.device_id });

/** The encrypted rooms' delivery service state of `PostgresStore`, on its pool. */
export class PostgresE2ee implements E2eeStore {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async publishKeyPackages(
    device: E2eeDevice,
    keyPackages: readonly string[],
    maxPerUser: number,
    maxDevices = Infinity,
    batch?: string,
  ): Promise<number> {
    return inTransaction(this.#pool, async (client) => {
      await client.query(LOCK_USER_SQL, [device.userId]);
      if ((await client.query(IS_GONE_SQL, [device.userId, device.deviceId])).rowCount !== 0) throw deviceRemoved(device);
      // The same batch again (its answer was lost): kept already, never twice (each key package is used once).
      const repeat = batch !== undefined && (await client.query(BATCH_SQL, [device.userId, device.deviceId, batch])).rowCount !== 0;
      if (repeat) return (await client.query<{ n: number }>(DEVICE_COUNT_SQL, [device.userId, device.deviceId])).rows[0]?.n ?? 0;
      if (maxDevices !== Infinity) {
        const known = (await client.query<{ device_id: string }>(USER_DEVICES_SQL, [device.userId])).rows.map((r) => r.device_id);
        if (!known.includes(device.deviceId) && known.length >= maxDevices) throw tooManyDevices(device, maxDevices);
      }
      const { rows } = await client.query<{ n: number }>(COUNT_SQL, [device.userId]);
      if ((rows[0]?.n ?? 0) + keyPackages.length > maxPerUser) throw tooManyKeyPackages(maxPerUser);
      if (keyPackages.length > 0) {
        await client.query(INSERT_KEYS_SQL, [device.userId, device.deviceId, keyPackages]);
        // The last batch is one of the kept ones too: one fewer earlier.
        await client.query(PUBLISHED_SQL, [device.userId, device.deviceId, batch ?? null, E2EE_LIMITS.keyBatchesKept - 1]);
      }
      const held = await client.query<{ n: number }>(DEVICE_COUNT_SQL, [device.userId, device.deviceId]);
      return held.rows[0]?.n ?? 0;
    });
  }

  async keptBatch(device: E2eeDevice, batch: string): Promise<boolean> {
    return (await this.#pool.query(BATCH_SQL, [device.userId, device.deviceId, batch])).rowCount !== 0;
  }

  async liveKeyPackages(device: E2eeDevice, keyPackages: readonly string[]): Promise<string[]> {
    if (keyPackages.length === 0) return [];
    const { rows } = await this.#pool.query<{ key_package: string }>(LIVE_KEYS_SQL, [device.userId, device.deviceId, keyPackages]);
    const live = new Set(rows.map((r) => r.key_package));
    return keyPackages.filter((k) => live.has(k));
  }

  async keyPackageCounts(devices: readonly E2eeDevice[]): Promise<number[]> {
    if (devices.length === 0) return [];
    const { rows } = await this.#pool.query<{ n: number }>(DEVICE_COUNTS_SQL, [
      devices.map((d) => d.userId),
      devices.map((d) => d.deviceId),
    ]);
    return rows.map((r) => r.n);
  }

  async claimKeyPackages(roomId: string, userIds: readonly string[], claimer?: E2eeDevice): Promise<E2eeClaimedKeyPackage[]> {
    const { rows } = await this.#pool.query<DeviceRow & { key_package: string }>(CLAIM_SQL, [
      roomId,
      [...new Set(userIds)],
      claimer?.userId ?? null,
      claimer?.deviceId ?? null,
    ]);
    return rows.map((r) => ({ ...toDevice(r), keyPackage: r.key_package }));
  }

  async keyDevices(userIds: readonly string[]): Promise<E2eeDevice[]> {
    if (userIds.length === 0) return [];
    const { rows } = await this.#pool.query<DeviceRow>(KEY_DEVICES_SQL, [[...new Set(userIds)]]);
    return rows.map(toDevice);
  }

  async groupEpoch(roomId: string): Promise<number> {
    return (await this.groupHead(roomId)).epoch;
  }

  async groupHead(roomId: string): Promise<E2eeGroupHead> {
    const { rows } = await this.#pool.query<{ epoch: string; id: string | null }>(HEAD_SQL, [roomId]);
    const row = rows[0];
    if (!row) return { epoch: 0 };
    return row.id === null ? { epoch: Number(row.epoch) } : { epoch: Number(row.epoch), id: row.id };
  }

  async groupDevices(roomId: string): Promise<E2eeDevice[]> {
    const { rows } = await this.#pool.query<DeviceRow>(DEVICES_SQL, [roomId]);
    return rows.map(toDevice);
  }

  async appendCommit(draft: E2eeCommitDraft): Promise<boolean> {
    return inTransaction(this.#pool, async (client) => {
      // The removals' lock of each user named (in one order, so two commits never wait on each other):
      // a removal lands before this check (refused here) or after the commit (its rooms then hold it).
      const named = [draft.from, ...draft.added];
      for (const userId of [...new Set(named.map((d) => d.userId))].sort()) await client.query(LOCK_USER_SQL, [userId]);
      const gone = await client.query<DeviceRow>(GONE_SQL, [named.map((d) => d.userId), named.map((d) => d.deviceId)]);
      const first = named.find((d) => gone.rows.some((r) => r.user_id === d.userId && r.device_id === d.deviceId));
      if (first) throw deviceRemoved(first);
      const moved =
        draft.epoch === 0
          ? await client.query(CREATE_SQL, [draft.roomId, draft.group ?? null])
          : await client.query(ADVANCE_SQL, [draft.roomId, draft.epoch, draft.group ?? null]);
      if (moved.rowCount !== 1) return false;
      const { roomId, from } = draft;
      await client.query(INSERT_COMMIT_SQL, [roomId, draft.epoch, draft.commit, from.userId, from.deviceId]);
      if (draft.epoch === 0) await client.query(ADD_DEVICES_SQL, [roomId, [from.userId], [from.deviceId]]);
      if (draft.removed.length > 0) {
        await client.query(REMOVE_DEVICES_SQL, [roomId, draft.removed.map((d) => d.userId), draft.removed.map((d) => d.deviceId)]);
      }
      if (draft.added.length > 0) {
        const users = draft.added.map((d) => d.userId);
        const devices = draft.added.map((d) => d.deviceId);
        await client.query(ADD_DEVICES_SQL, [roomId, users, devices]);
        if (draft.welcome !== undefined) {
          await client.query(WELCOMES_SQL, [roomId, draft.epoch + 1, draft.welcome, users, devices, draft.added.map((d) => d.keyPackage)]);
        }
      }
      return true;
    });
  }

  async resetGroup(roomId: string, epoch: number): Promise<boolean> {
    // The group's row is locked, then deleted first: a commit waiting on it finds it gone (stale).
    return inTransaction(this.#pool, async (client) => {
      if ((await client.query(LOCK_GROUP_SQL, [roomId, epoch])).rowCount !== 1) return false;
      await client.query(RESET_SQL, [roomId, epoch]);
      return true;
    });
  }

  async listCommits(roomId: string, after: number, limit: number): Promise<E2eeLogEntry[]> {
    const { rows } = await this.#pool.query<DeviceRow & { epoch: string; commit: string }>(COMMITS_SQL, [roomId, after, limit]);
    return rows.map((r) => ({ roomId, epoch: Number(r.epoch), commit: r.commit, from: toDevice(r) }));
  }

  async welcome(roomId: string, device: E2eeDevice): Promise<E2eeWelcome | undefined> {
    const { rows } = await this.#pool.query<{ epoch: string; welcome: string; key_package: string }>(WELCOME_SQL, [
      roomId,
      device.userId,
      device.deviceId,
    ]);
    const row = rows[0];
    return row && { roomId, epoch: Number(row.epoch), welcome: row.welcome, keyPackage: row.key_package };
  }

  async removeDevice(device: E2eeDevice): Promise<string[] | undefined> {
    const key = [device.userId, device.deviceId];
    return inTransaction(this.#pool, async (client) => {
      // The publishes' lock: none of this user's lands between the record and the deletes.
      await client.query(LOCK_USER_SQL, [device.userId]);
      const { rows } = await client.query<{ known: boolean }>(KNOWN_SQL, key);
      if (rows[0]?.known !== true) return undefined;
      await client.query(ADD_GONE_SQL, key);
      await client.query(DROP_KEYS_SQL, key);
      await client.query(DROP_WELCOMES_SQL, key);
      return (await client.query<{ room_id: string }>(DEVICE_ROOMS_SQL, key)).rows.map((r) => r.room_id);
    });
  }

  async goneDevices(devices: readonly E2eeDevice[]): Promise<E2eeDevice[]> {
    if (devices.length === 0) return [];
    const { rows } = await this.#pool.query<DeviceRow>(GONE_SQL, [devices.map((d) => d.userId), devices.map((d) => d.deviceId)]);
    return rows.map(toDevice);
  }

  async dropWelcome(roomId: string, device: E2eeDevice, epoch: number, group?: string): Promise<void> {
    await this.#pool.query(DROP_WELCOME_SQL, [roomId, device.userId, device.deviceId, epoch, group ?? null]);
  }

  async userData(userId: string): Promise<E2eeUserData> {
    const q = <R extends pg.QueryResultRow>(sql: string) => this.#pool.query<R>(sql, [userId]).then((r) => r.rows);
    const [keys, groups, gone, welcomes, commits, published] = await Promise.all([
      q<{ device_id: string; key_package: string }>(USER_KEYS_SQL),
      q<{ device_id: string; room_id: string }>(USER_GROUPS_SQL),
      q<{ device_id: string }>(USER_GONE_SQL),
      q<{ room_id: string; device_id: string; epoch: string; welcome: string; key_package: string }>(USER_WELCOMES_SQL),
      q<{ room_id: string; device_id: string; epoch: string }>(USER_COMMITS_SQL),
      q<{ device_id: string }>(USER_PUBLISHED_SQL),
    ]);
    return {
      devices: userDevices(
        keys.map((r) => [r.device_id, r.key_package] as const),
        groups.map((r) => [r.device_id, r.room_id] as const),
        gone.map((r) => r.device_id),
        published.map((r) => r.device_id),
      ),
      welcomes: welcomes.map((r) => ({
        roomId: r.room_id,
        deviceId: r.device_id,
        epoch: Number(r.epoch),
        welcome: r.welcome,
        keyPackage: r.key_package,
      })),
      commits: commits.map((r) => ({ roomId: r.room_id, epoch: Number(r.epoch), deviceId: r.device_id })),
    };
  }

  async eraseUser(userId: string): Promise<string[]> {
    return inTransaction(this.#pool, async (client) => {
      // The publishes' lock: none of this user's lands between the deletes.
      await client.query(LOCK_USER_SQL, [userId]);
      for (const sql of [ERASE_KEYS_SQL, ERASE_WELCOMES_SQL, ERASE_GONE_SQL, ERASE_ALONE_SQL]) await client.query(sql, [userId]);
      await client.query(ERASE_COMMITS_SQL, [userId, ERASED_USER.id]);
      return (await client.query<{ room_id: string }>(USER_ROOMS_SQL, [userId])).rows.map((r) => r.room_id);
    });
  }
}
