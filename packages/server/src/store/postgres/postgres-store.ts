import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { ChatError, type Attachment, type Message, type Room, type RoomOptions } from '@chat/protocol';
import type {
  AppendResult,
  ChatStore,
  CreateRoomInput,
  CreateRoomResult,
  MessageDraft,
  MessagePage,
  MessageQuery,
  RoomPatch,
  RoomQuery,
} from '../chat-store.js';
import { MIGRATIONS } from './migrations.js';

/** Options of {@link PostgresStore}: a connection string, or a pool the app already has. */
export type PostgresStoreOptions =
  { connectionString: string; pool?: undefined; max?: number } | { pool: pg.Pool; connectionString?: undefined };

// Any constant; all processes that migrate the same database take the same lock.
const MIGRATION_LOCK = 7_244_310_921;

interface RoomRow {
  id: string;
  title: string | null;
  metadata: Record<string, unknown> | null;
  private_metadata: Record<string, unknown> | null;
  options: RoomOptions;
  created_by: string | null;
  created_at: Date;
  ended_at: Date | null;
}

interface MessageRow {
  id: string;
  room_id: string;
  seq: string;
  client_id: string;
  user_id: string;
  user_name: string;
  user_avatar: string | null;
  text: string;
  attachments: Attachment[];
  reply_to: string | null;
  created_at: Date;
}

const MESSAGE_COLUMNS = 'id, room_id, seq, client_id, user_id, user_name, user_avatar, text, attachments, reply_to, created_at';
const ROOM_COLUMNS = 'id, title, metadata, private_metadata, options, created_by, created_at, ended_at';
const UNIQUE_VIOLATION = '23505';

// $1 room, $2 clientId, $3 id, $4 user id, $5 name, $6 avatar, $7 text, $8 attachments, $9 replyTo.
// A stored copy wins; otherwise bump the room's seq (no row: no room) and insert.
const APPEND_SQL = `
  WITH existing AS (
    SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE room_id = $1 AND client_id = $2
  ), bumped AS (
    UPDATE chat_rooms SET last_seq = last_seq + 1
    WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM existing)
    RETURNING last_seq
  ), inserted AS (
    INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, user_avatar, text, attachments, reply_to)
    SELECT $3, $1, bumped.last_seq, $2, $4, $5, $6, $7, $8::jsonb, $9 FROM bumped
    RETURNING ${MESSAGE_COLUMNS}
  )
  SELECT *, true AS duplicate FROM existing
  UNION ALL
  SELECT *, false AS duplicate FROM inserted`;

/**
 * Durable store on PostgreSQL. `init()` applies versioned migrations (safe when several
 * processes start at once); seqs are assigned atomically per room; sends are idempotent.
 * @example const store = new PostgresStore({ connectionString: process.env.DATABASE_URL });
 */
export class PostgresStore implements ChatStore {
  readonly pool: pg.Pool;
  readonly #ownsPool: boolean;

  constructor(options: PostgresStoreOptions) {
    if (options.pool) {
      this.pool = options.pool;
      this.#ownsPool = false;
    } else if (typeof options.connectionString === 'string' && options.connectionString.length > 0) {
      this.pool = new pg.Pool({ connectionString: options.connectionString, max: options.max ?? 10 });
      this.#ownsPool = true;
    } else {
      throw new TypeError('PostgresStore needs a connectionString or a pool.');
    }
    // An idle client that loses its connection must not crash the process.
    this.pool.on('error', () => undefined);
  }

  /** Applies the migrations this database has not had yet, under an advisory lock. */
  async init(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query(`CREATE TABLE IF NOT EXISTS chat_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const applied = new Set((await client.query<{ version: number }>('SELECT version FROM chat_migrations')).rows.map((r) => r.version));
      for (const migration of MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        await client.query(migration.sql);
        await client.query('INSERT INTO chat_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async createRoom(input: CreateRoomInput): Promise<CreateRoomResult> {
    const id = input.id ?? randomUUID();
    // ON CONFLICT DO NOTHING returns no row when the id is taken, even by a concurrent insert
    // that committed first: exactly one caller sees its row (created), the others read it.
    const inserted = await this.pool.query<RoomRow>(
      `INSERT INTO chat_rooms (id, title, metadata, private_metadata, options, created_by) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO NOTHING RETURNING ${ROOM_COLUMNS}`,
      [
        id,
        input.title ?? null,
        jsonOrNull(input.metadata),
        jsonOrNull(input.privateMetadata),
        JSON.stringify(input.options ?? {}),
        input.createdBy ?? null,
      ],
    );
    if (inserted.rows[0]) return { room: toRoom(inserted.rows[0]), created: true };
    const row = await this.#roomRow(id);
    if (!row) throw new ChatError('INTERNAL', 'The room could not be created.');
    return { room: toRoom(row), created: false };
  }

  async getRoom(id: string): Promise<Room | null> {
    const row = await this.#roomRow(id);
    return row ? toRoom(row) : null;
  }

  async listRooms(query: RoomQuery = {}): Promise<Room[]> {
    const { rows } = await this.pool.query<RoomRow>(
      `SELECT ${ROOM_COLUMNS} FROM chat_rooms
       WHERE ($1::boolean OR ended_at IS NULL) AND ($2::text IS NULL OR created_by = $2)
       ORDER BY created_at DESC, id LIMIT $3`,
      [query.includeEnded === true, query.createdBy ?? null, query.limit ?? 100],
    );
    return rows.map(toRoom);
  }

  async updateRoom(id: string, patch: RoomPatch): Promise<Room> {
    const { rows } = await this.pool.query<RoomRow>(
      `UPDATE chat_rooms SET
         title = COALESCE($2, title),
         metadata = COALESCE($3::jsonb, metadata),
         options = options || COALESCE($4::jsonb, '{}'::jsonb),
         ended_at = COALESCE(ended_at, $5::timestamptz),
         private_metadata = COALESCE($6::jsonb, private_metadata)
       WHERE id = $1 RETURNING ${ROOM_COLUMNS}`,
      [
        id,
        patch.title ?? null,
        jsonOrNull(patch.metadata),
        jsonOrNull(patch.options),
        patch.endedAt ?? null,
        jsonOrNull(patch.privateMetadata),
      ],
    );
    const row = rows[0];
    if (!row) throw new ChatError('ROOM_NOT_FOUND', `There is no room "${id}".`);
    return toRoom(row);
  }

  async appendMessage(draft: MessageDraft): Promise<AppendResult> {
    // One statement, one round trip. The UPDATE takes the room's row lock, so writers of one
    // room are serialised across processes and seqs have no gaps. A concurrent send with the
    // same clientId fails on the (room_id, client_id) constraint; the failed statement rolls
    // back its seq bump as well, and the message that won is returned as the duplicate.
    const params = [
      draft.roomId,
      draft.clientId,
      randomUUID(),
      draft.user.id,
      draft.user.name,
      draft.user.avatarUrl ?? null,
      draft.text,
      JSON.stringify(draft.attachments),
      draft.replyTo ?? null,
    ];
    try {
      const { rows } = await this.pool.query<MessageRow & { duplicate: boolean }>(APPEND_SQL, params);
      const row = rows[0];
      if (!row) throw new ChatError('ROOM_NOT_FOUND', `There is no room "${draft.roomId}".`);
      const { duplicate, ...message } = row;
      return { message: toMessage(message), duplicate };
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      const { rows } = await this.pool.query<MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE room_id = $1 AND client_id = $2`,
        [draft.roomId, draft.clientId],
      );
      if (!rows[0]) throw error;
      return { message: toMessage(rows[0]), duplicate: true };
    }
  }

  async getMessage(roomId: string, id: string): Promise<Message | null> {
    const { rows } = await this.pool.query<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE room_id = $1 AND id = $2`, [
      roomId,
      id,
    ]);
    return rows[0] ? toMessage(rows[0]) : null;
  }

  async listMessages(roomId: string, query: MessageQuery): Promise<MessagePage> {
    const limit = Math.max(0, query.limit);
    if (query.after !== undefined) {
      const { rows } = await this.pool.query<MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE room_id = $1 AND seq > $2 ORDER BY seq ASC LIMIT $3`,
        [roomId, query.after, limit + 1],
      );
      return { messages: rows.slice(0, limit).map(toMessage), hasMore: rows.length > limit };
    }
    const { rows } = await this.pool.query<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE room_id = $1 AND ($2::bigint IS NULL OR seq < $2) ORDER BY seq DESC LIMIT $3`,
      [roomId, query.before ?? null, limit + 1],
    );
    return { messages: rows.slice(0, limit).reverse().map(toMessage), hasMore: rows.length > limit };
  }

  /** Ends the pool if this store created it. */
  async close(): Promise<void> {
    if (this.#ownsPool) await this.pool.end();
  }

  async #roomRow(id: string): Promise<RoomRow | undefined> {
    const { rows } = await this.pool.query<RoomRow>(`SELECT ${ROOM_COLUMNS} FROM chat_rooms WHERE id = $1`, [id]);
    return rows[0];
  }
}

function toRoom(row: RoomRow): Room {
  const room: Room = { id: row.id, options: row.options ?? {}, createdAt: row.created_at.toISOString() };
  if (row.title !== null) room.title = row.title;
  if (row.metadata !== null) room.metadata = row.metadata;
  if (row.private_metadata !== null) room.privateMetadata = row.private_metadata;
  if (row.created_by !== null) room.createdBy = row.created_by;
  if (row.ended_at !== null) room.endedAt = row.ended_at.toISOString();
  return room;
}

function jsonOrNull(value: object | undefined): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

function toMessage(row: MessageRow): Message {
  const message: Message = {
    id: row.id,
    roomId: row.room_id,
    seq: Number(row.seq),
    clientId: row.client_id,
    user:
      row.user_avatar === null
        ? { id: row.user_id, name: row.user_name }
        : { id: row.user_id, name: row.user_name, avatarUrl: row.user_avatar },
    text: row.text,
    attachments: row.attachments,
    createdAt: row.created_at.toISOString(),
  };
  if (row.reply_to !== null) message.replyTo = row.reply_to;
  return message;
}
