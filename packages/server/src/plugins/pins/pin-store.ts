// What pins keep (the store part `PinStore`): per room, the pinned messages' ids, who pinned each
// and when. The messages themselves stay in the chat store: a pinned list is read fresh from it.
import type { PluginSql, StorePart } from '../../core/store-part.js';

/** One pin as kept: which message, who pinned it (a user id; `ERASED_USER.id` once erased), when (ISO 8601). */
export interface StoredPin {
  roomId: string;
  messageId: string;
  pinnedBy: string;
  pinnedAt: string;
}

/** The store part of pins. */
export interface PinStore {
  /**
   * Pins a message unless it is pinned already or the room has `max` pins. Answers `pinned` (made
   * now), `already` (nothing changed) or `full` (nothing changed), in one step for every process.
   */
  pin(pin: StoredPin, max: number): Promise<'pinned' | 'already' | 'full'>;
  /** Unpins a message; true when it was pinned. */
  unpin(roomId: string, messageId: string): Promise<boolean>;
  /** A room's pins, newest first. */
  list(roomId: string): Promise<StoredPin[]>;
  /** The pins a user made, in every room, newest first (their personal data). */
  ofUser(userId: string): Promise<StoredPin[]>;
  /** Every pin `userId` made names `by` as who pinned it instead (erasing the user keeps the pins). */
  renamePinner(userId: string, by: string): Promise<void>;
}

/** Pins given in the order they were made, newest first (two in one millisecond: the later one first). */
const newestFirst = (pins: StoredPin[]): StoredPin[] =>
  pins
    .map((pin, i) => ({ pin, i }))
    .sort((a, b) => b.pin.pinnedAt.localeCompare(a.pin.pinnedAt) || b.i - a.i)
    .map(({ pin }) => pin);

function memoryPart(): PinStore {
  const rooms = new Map<string, StoredPin[]>();
  const all = () => [...rooms.values()].flat();
  return {
    pin(pin, max) {
      const pins = rooms.get(pin.roomId) ?? [];
      if (pins.some((p) => p.messageId === pin.messageId)) return Promise.resolve('already');
      if (pins.length >= max) return Promise.resolve('full');
      rooms.set(pin.roomId, [...pins, { ...pin }]);
      return Promise.resolve('pinned');
    },
    unpin(roomId, messageId) {
      const pins = rooms.get(roomId) ?? [];
      const kept = pins.filter((p) => p.messageId !== messageId);
      if (kept.length === 0) rooms.delete(roomId);
      else rooms.set(roomId, kept);
      return Promise.resolve(kept.length !== pins.length);
    },
    list: (roomId) => Promise.resolve(newestFirst((rooms.get(roomId) ?? []).map((p) => ({ ...p })))),
    ofUser: (userId) =>
      Promise.resolve(
        newestFirst(
          all()
            .filter((p) => p.pinnedBy === userId)
            .map((p) => ({ ...p })),
        ),
      ),
    renamePinner(userId, by) {
      for (const pin of all()) if (pin.pinnedBy === userId) pin.pinnedBy = by;
      return Promise.resolve();
    },
  };
}

// A pin as the room's row holds it (the room is the row's).
interface PinEntry {
  messageId: string;
  pinnedBy: string;
  pinnedAt: string;
}

const toPin = (roomId: string, entry: PinEntry): StoredPin => ({ roomId, ...entry });
const byMessage = (messageId: string) => JSON.stringify([{ messageId }]);

// A room's pins are one row (a JSON array): a pin is one INSERT ... ON CONFLICT DO UPDATE, which
// reads the row as it is once locked, so two processes pinning at once never pass `max` together.
function postgresPart(sql: PluginSql): PinStore {
  const entries = async (where: string, params: unknown[]) => {
    const { rows } = await sql.query<{ room_id: string; entry: PinEntry }>(
      `SELECT r.room_id, e.entry FROM chat_room_pins r, jsonb_array_elements(r.pins) WITH ORDINALITY AS e(entry, i) WHERE ${where}
       ORDER BY r.room_id, e.i`,
      params,
    );
    return newestFirst(rows.map((row) => toPin(row.room_id, row.entry)));
  };
  return {
    async pin(pin, max) {
      const entry: PinEntry = { messageId: pin.messageId, pinnedBy: pin.pinnedBy, pinnedAt: pin.pinnedAt };
      const { rows } = await sql.query(
        `INSERT INTO chat_room_pins AS r (room_id, pins) VALUES ($1, jsonb_build_array($2::jsonb))
         ON CONFLICT (room_id) DO UPDATE SET pins = r.pins || EXCLUDED.pins
           WHERE NOT r.pins @> $3::jsonb AND jsonb_array_length(r.pins) < $4
         RETURNING 1`,
        [pin.roomId, JSON.stringify(entry), byMessage(pin.messageId), max],
      );
      if (rows.length > 0) return 'pinned';
      // Not added: read again (a new statement sees what another process committed meanwhile).
      const again = await sql.query('SELECT 1 FROM chat_room_pins WHERE room_id = $1 AND pins @> $2::jsonb', [
        pin.roomId,
        byMessage(pin.messageId),
      ]);
      return again.rows.length > 0 ? 'already' : 'full';
    },
    async unpin(roomId, messageId) {
      const { rowCount } = await sql.query(
        `UPDATE chat_room_pins SET pins = (
           SELECT coalesce(jsonb_agg(e ORDER BY i), '[]'::jsonb) FROM jsonb_array_elements(pins) WITH ORDINALITY AS x(e, i)
           WHERE e->>'messageId' <> $2
         )
         WHERE room_id = $1 AND pins @> $3::jsonb`,
        [roomId, messageId, byMessage(messageId)],
      );
      return (rowCount ?? 0) > 0;
    },
    list: (roomId) => entries('r.room_id = $1', [roomId]),
    ofUser: (userId) => entries("e.entry->>'pinnedBy' = $1", [userId]),
    async renamePinner(userId, by) {
      await sql.query(
        `UPDATE chat_room_pins SET pins = (
           SELECT jsonb_agg(CASE WHEN e->>'pinnedBy' = $1 THEN jsonb_set(e, '{pinnedBy}', to_jsonb($2::text)) ELSE e END ORDER BY i)
           FROM jsonb_array_elements(pins) WITH ORDINALITY AS x(e, i)
         )
         WHERE pins @> $3::jsonb`,
        [userId, by, JSON.stringify([{ pinnedBy: userId }])],
      );
    },
  };
}

/** The store part's definition: in memory and on PostgreSQL (`chat_room_pins`, a row per room). */
export const PIN_STORE: StorePart<PinStore> = {
  name: 'PinStore',
  memory: memoryPart,
  postgres: postgresPart,
  migrations: [
    {
      version: 1,
      sql: `
        CREATE TABLE chat_room_pins (
          room_id  text PRIMARY KEY,
          pins     jsonb NOT NULL DEFAULT '[]'::jsonb
        );
      `,
    },
  ],
};
