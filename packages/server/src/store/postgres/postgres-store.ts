import { builtInError } from '@chat/protocol';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { AuditEntry, Message, NotificationLevel, Room, ThreadRead, UserRef, WebPushSubscription } from '@chat/protocol';
import type {
  AppendResult,
  ChangeResult,
  ChatStore,
  ConversationRow,
  CreateRoomInput,
  CreateRoomResult,
  ExpiredBatch,
  MessageChange,
  MessageDraft,
  MessagePage,
  MessageQuery,
  MemberRoom,
  PushRemoval,
  ReadMarkResult,
  RoomMember,
  RoomPatch,
  RoomQuery,
  StoredPushSubscription,
  StoredUser,
  UserRecords,
} from '../../core/chat-store.js';
import type {
  AuditDraft,
  AuditPage,
  LogQuery,
  ReportDraft,
  ReportPage,
  ReportResult,
  RoomStanding,
  StandingPatch,
} from '../../core/moderation-records.js';
import type { MessageSearchPage, MessageSearchQuery } from '../../core/search-records.js';
import type { E2eeStore } from '../../core/e2ee-store.js';
import { PostgresModeration } from './moderation-sql.js';
import { PostgresE2ee } from './e2ee-sql.js';
import { PostgresPush } from './push-sql.js';
import { checkLevel, checkReadSeq, notAMember, uniqueUsers } from '../membership.js';
import {
  ADD_MEMBERS_SQL,
  GET_USERS_SQL,
  LIST_MEMBERS_SQL,
  MARK_READ_SQL,
  MEMBER_ROOM_FK,
  MEMBER_LEVELS_SQL,
  MEMBER_SQL,
  REMOVE_MEMBERS_SQL,
  SAVE_USER_SQL,
  SET_NOTIFICATIONS_SQL,
  toMember,
  toStoredUser,
  type MemberRow,
  type UserRow,
} from './member-sql.js';
import { ROOM_COLUMNS, jsonOrNull, messageColumns, toMessage, toRoom, type MessageRow, type RoomRow } from './message-sql.js';
import { migrate } from './migration-runner.js';
import { searchPostgres, type SearchSetup } from './search-sql.js';
import { CommonLexemes } from './common-lexemes.js';
import { memberRoomsPostgres } from './member-rooms-sql.js';
import { conversationsPostgres } from './conversations-sql.js';
import { GroupCommit } from './group-commit.js';
import { PendingListMerger, type SearchMergeState } from './search-merge.js';
import { poolDeadlines, type PoolDeadlines, type PostgresStoreOptions } from './postgres-options.js';
import { appendPool, clientWith, NO_JIT } from './append-pool.js';
import { changeMessage } from './change-message-sql.js';
import { exclusive, expireMessages } from './retention-sql.js';
import { listMessages } from './history-sql.js';
import { eraseUserRecords, userEndedReads, userMemberships, userMessages, userReactions, userThreadReads } from './user-data-sql.js';
import { markThreadRead, threadParticipants, threadReads } from './thread-reads-sql.js';
import { mainLogCount } from './main-log-count-sql.js';
import { PostgresParts } from './plugin-parts.js';
import type { StorePart } from '../../core/store-part.js';

const FOREIGN_KEY_VIOLATION = '23503';

/**
 * Durable store on PostgreSQL. `init()` applies versioned migrations (safe when several
 * processes start at once); seqs are assigned atomically per room; sends are idempotent.
 * @example const store = new PostgresStore({ connectionString: process.env.DATABASE_URL });
 */
export class PostgresStore implements ChatStore {
  readonly pool: pg.Pool;
  readonly #ownsPool: boolean;
  readonly #moderation: PostgresModeration;
  readonly #push: PostgresPush;
  readonly #parts: PostgresParts;
  /** Encrypted rooms' key packages, commits and welcomes. */
  readonly e2ee: E2eeStore;
  readonly #appends: GroupCommit;
  readonly #merger: PendingListMerger;
  /** The pool appends go on when the store made its own (see append-pool.ts); else the app's pool. */
  readonly #appendPool: pg.Pool | undefined;
  readonly #searchLanguage: string;
  /** How migrations connect when the store made its pools: the same, without a query deadline. */
  readonly #migrationConfig: pg.PoolConfig | undefined;
  #search: SearchSetup | undefined;
  /** The search index's most common lexemes, read once for the store's searches (common-lexemes.ts). */
  readonly #lexemes: CommonLexemes;

  constructor(options: PostgresStoreOptions) {
    let deadlines: PoolDeadlines | undefined;
    if (options.pool) {
      this.pool = options.pool;
      this.#ownsPool = false;
    } else if (typeof options.connectionString === 'string' && options.connectionString.length > 0) {
      deadlines = poolDeadlines(options);
      const { connectionString } = options;
      this.pool = new pg.Pool({ connectionString, max: options.max ?? 10, ...deadlines, Client: clientWith([NO_JIT]) });
      this.#migrationConfig = { connectionString, max: 1, ...deadlines, query_timeout: 0 };
      this.#ownsPool = true;
    } else {
      throw new TypeError('PostgresStore needs a connectionString or a pool.');
    }
    // An idle client that loses its connection must not crash the process.
    this.pool.on('error', () => undefined);
    this.#searchLanguage = options.searchLanguage ?? 'simple';
    this.#lexemes = new CommonLexemes(this.pool);
    this.#moderation = new PostgresModeration(this.pool);
    this.#push = new PostgresPush(this.pool);
    this.e2ee = new PostgresE2ee(this.pool);
    this.#parts = new PostgresParts(this.pool);
    // Batches in flight take connections: as many as half the pool's, at most 4. On a pool the
    // store made, they have connections of their own (append-pool.ts), so reads are not starved.
    const maxInFlight = Math.min(4, Math.max(1, Math.floor((this.pool.options.max ?? 10) / 2)));
    this.#appendPool = deadlines && options.connectionString ? appendPool(options.connectionString, maxInFlight, deadlines) : undefined;
    this.#appends = new GroupCommit(this.#appendPool ?? this.pool, { maxRows: 500, maxInFlight });
    this.#merger = new PendingListMerger(this.pool);
  }

  /**
   * Applies the migrations this database has not had yet (see migration-runner.ts), and prepares
   * search. On pools the store made, on a connection of their own with no query deadline.
   */
  async init(): Promise<void> {
    if (!this.#migrationConfig) {
      this.#search = await migrate(this.pool, this.#searchLanguage);
    } else {
      const pool = new pg.Pool(this.#migrationConfig);
      pool.on('error', () => undefined);
      try {
        this.#search = await migrate(pool, this.#searchLanguage);
      } finally {
        await pool.end();
      }
    }
    // What the list holds already (a database upgraded to 21, or a process that stopped) is merged
    // now, before any send: else the first append would find it past the limit and merge it.
    await this.#merger.merge();
    this.#merger.start();
  }

  /** How the merges of the search index's pending list go, off the send path (docs/storage.md). */
  get searchMerge(): SearchMergeState {
    return this.#merger;
  }

  /** The search configuration after `init()`: its language, and whether accents are folded (`unaccent` was available). */
  get search(): SearchSetup | undefined {
    return this.#search;
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
    if (!row) throw builtInError('INTERNAL', 'The room could not be created.');
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
    if (!row) throw builtInError('ROOM_NOT_FOUND', `There is no room "${id}".`);
    return toRoom(row);
  }

  /** Group commit: the appends of one turn go to PostgreSQL as one statement (see group-commit.ts). */
  appendMessage(draft: MessageDraft): Promise<AppendResult> {
    return this.#listed(this.#appends.append(draft));
  }

  /**
   * The merger is told once `write` has put its words in the search index's pending list (or
   * failed): told before, a tick between the call and the statement would merge a list without
   * them, and no later tick would come for them.
   */
  #listed<T>(write: Promise<T>): Promise<T> {
    void write.then(this.#merger.appended, this.#merger.appended);
    return write;
  }

  /** Appends failed past a deadline and found stored after all (see late-appends.ts). */
  onStoredLate(listener: (message: Message) => void): () => void {
    return this.#appends.late.onStoredLate(listener);
  }

  async getMessage(roomId: string, id: string): Promise<Message | null> {
    const { rows } = await this.pool.query<MessageRow>(
      `SELECT ${messageColumns('m')} FROM chat_messages m WHERE m.room_id = $1 AND m.id = $2`,
      [roomId, id],
    );
    return rows[0] ? toMessage(rows[0]) : null;
  }

  listMessages(roomId: string, query: MessageQuery): Promise<MessagePage> {
    return listMessages(this.pool, roomId, query);
  }

  /**
   * One transaction: the room's row lock, then the message's (so changes to one message, from any number
   * of processes, apply one after another and each sees the last one's result), then the checks,
   * then the room's rev bump (the room's row lock, held to commit) with the change in one statement.
   */
  changeMessage(roomId: string, messageId: string, change: MessageChange): Promise<ChangeResult> {
    // An edit's new words go into the search index's pending list too.
    return this.#listed(changeMessage(this.pool, roomId, messageId, change));
  }

  threadParticipants(roomId: string, threadOf: string): Promise<string[]> {
    return threadParticipants(this.pool, roomId, threadOf);
  }

  async roomRev(roomId: string): Promise<number> {
    const { rows } = await this.pool.query<{ last_rev: string }>('SELECT last_rev FROM chat_rooms WHERE id = $1', [roomId]);
    return rows[0] ? Number(rows[0].last_rev) : 0;
  }

  async addMembers(roomId: string, users: UserRef[]): Promise<void> {
    const unique = uniqueUsers(users);
    if (unique.length === 0) return;
    try {
      await this.pool.query(ADD_MEMBERS_SQL, [
        roomId,
        unique.map((u) => u.id),
        unique.map((u) => u.name),
        unique.map((u) => u.avatarUrl ?? null),
      ]);
    } catch (error) {
      const { code, constraint } = error as { code?: string; constraint?: string };
      if (code === FOREIGN_KEY_VIOLATION && constraint === MEMBER_ROOM_FK)
        throw builtInError('ROOM_NOT_FOUND', `There is no room "${roomId}".`);
      throw error;
    }
  }

  async removeMembers(roomId: string, userIds: string[]): Promise<void> {
    if (userIds.length > 0) await this.pool.query(REMOVE_MEMBERS_SQL, [roomId, userIds]);
  }

  async listMembers(roomId: string): Promise<RoomMember[]> {
    const { rows } = await this.pool.query<MemberRow>(LIST_MEMBERS_SQL, [roomId]);
    return rows.map(toMember);
  }

  async isMember(roomId: string, userId: string): Promise<boolean> {
    return (await this.pool.query(MEMBER_SQL, [roomId, userId])).rowCount === 1;
  }

  async memberLevels(roomId: string, userIds: string[]): Promise<Map<string, NotificationLevel>> {
    const { rows } = await this.pool.query<{ user_id: string; notifications: NotificationLevel }>(MEMBER_LEVELS_SQL, [roomId, userIds]);
    return new Map(rows.map((row) => [row.user_id, row.notifications]));
  }

  async markRead(roomId: string, userId: string, seq: number): Promise<ReadMarkResult> {
    checkReadSeq(seq);
    const moved = await this.pool.query<{ read_seq: string }>(MARK_READ_SQL, [roomId, userId, seq]);
    if (moved.rows[0]) return { seq: Number(moved.rows[0].read_seq), changed: true };
    const { rows } = await this.pool.query<{ read_seq: string }>(MEMBER_SQL, [roomId, userId]);
    if (!rows[0]) throw notAMember(roomId, userId);
    return { seq: Number(rows[0].read_seq), changed: false };
  }

  markThreadRead(roomId: string, userId: string, threadOf: string, seq: number): Promise<ReadMarkResult> {
    return markThreadRead(this.pool, roomId, userId, threadOf, seq);
  }

  threadReads(roomId: string, userId: string, limit: number): Promise<ThreadRead[]> {
    return threadReads(this.pool, roomId, userId, limit);
  }

  mainLogCount(roomId: string, after: number, upTo: number): Promise<number> {
    return mainLogCount(this.pool, roomId, after, upTo);
  }

  async setNotifications(roomId: string, userId: string, level: NotificationLevel): Promise<void> {
    checkLevel(level);
    const { rowCount } = await this.pool.query(SET_NOTIFICATIONS_SQL, [roomId, userId, level]);
    if (rowCount !== 1) throw notAMember(roomId, userId);
  }

  /** See `conversationsPostgres`: one query, and one more for the members of the page's direct rooms. */
  conversations(userId: string, options: { limit: number }): Promise<ConversationRow[]> {
    return conversationsPostgres(this.pool, userId, options.limit);
  }

  memberRooms(userId: string, options: { limit: number }): Promise<MemberRoom[]> {
    return memberRoomsPostgres(this.pool, userId, options.limit);
  }

  async saveUser(user: UserRef, lastSeenAt?: string): Promise<void> {
    await this.pool.query(SAVE_USER_SQL, [user.id, user.name, user.avatarUrl ?? null, lastSeenAt ?? null]);
  }

  async getUsers(ids: string[]): Promise<StoredUser[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.pool.query<UserRow>(GET_USERS_SQL, [ids]);
    const byId = new Map(rows.map((r) => [r.id, toStoredUser(r)]));
    return [...new Set(ids)].flatMap((id) => byId.get(id) ?? []);
  }

  getStanding(roomId: string, userId: string): Promise<RoomStanding | null> {
    return this.#moderation.getStanding(roomId, userId);
  }

  listStandings(roomId: string): Promise<RoomStanding[]> {
    return this.#moderation.listStandings(roomId);
  }

  setStanding(roomId: string, userId: string, patch: StandingPatch): Promise<RoomStanding | null> {
    return this.#moderation.setStanding(roomId, userId, patch);
  }

  appendAudit(draft: AuditDraft): Promise<AuditEntry> {
    return this.#moderation.appendAudit(draft);
  }

  listAudit(roomId: string, query: LogQuery): Promise<AuditPage> {
    return this.#moderation.listAudit(roomId, query);
  }

  appendReport(draft: ReportDraft): Promise<ReportResult> {
    return this.#moderation.appendReport(draft);
  }

  listReports(roomId: string, query: LogQuery): Promise<ReportPage> {
    return this.#moderation.listReports(roomId, query);
  }

  savePushSubscription(userId: string, subscription: WebPushSubscription, options: { max: number }): Promise<void> {
    return this.#push.save(userId, subscription, options.max);
  }

  listPushSubscriptions(userIds: string[]): Promise<StoredPushSubscription[]> {
    return this.#push.list(userIds);
  }

  removePushSubscription(userId: string, endpoint: string): Promise<PushRemoval> {
    return this.#push.remove(userId, endpoint);
  }

  /** A plugin's store part: its `postgres()` implementation on this pool, its migrations applied before its first query. */
  part<Part>(spec: StorePart<Part>): Part | undefined {
    return this.#parts.part(spec);
  }

  /** Ends the pool if this store created it. */
  async close(): Promise<void> {
    this.#appends.late.close();
    await this.#merger.close();
    if (this.#appendPool && !this.#appendPool.ending) await this.#appendPool.end();
    if (this.#ownsPool && !this.pool.ending) await this.pool.end();
  }

  searchMessages(query: MessageSearchQuery): Promise<MessageSearchPage> {
    return searchPostgres(this.pool, query, undefined, this.#lexemes);
  }

  async scanRooms(after: string | undefined, limit: number): Promise<Room[]> {
    const { rows } = await this.pool.query<RoomRow>(
      `SELECT ${ROOM_COLUMNS} FROM chat_rooms WHERE ($1::text IS NULL OR id > $1) ORDER BY id COLLATE "C" LIMIT $2`,
      [after ?? null, Math.max(0, limit)],
    );
    return rows.map(toRoom);
  }

  /** Each step its own short transaction (retention-sql.ts). */
  expireMessages(roomId: string, before: string, limit: number): Promise<ExpiredBatch> {
    return expireMessages(this.pool, roomId, before, limit);
  }

  /** A session advisory lock of this schema (retention-sql.ts): one process of a cluster at a time. */
  exclusive(name: string, task: () => Promise<void>): Promise<boolean> {
    return exclusive(this.pool, name, task);
  }

  userMessages(userId: string, query: { after?: string; limit: number }): Promise<Message[]> {
    return userMessages(this.pool, userId, query);
  }

  async userRecords(userId: string): Promise<UserRecords> {
    const [[user], memberships, reactions, threadReads, endedReads, reports, pushSubscriptions] = await Promise.all([
      this.getUsers([userId]),
      userMemberships(this.pool, userId),
      userReactions(this.pool, userId),
      userThreadReads(this.pool, userId),
      userEndedReads(this.pool, userId),
      this.#moderation.reportsBy(userId),
      this.#push.list([userId]),
    ]);
    return { ...(user && { user }), memberships, reactions, threadReads, endedReads, reports, pushSubscriptions };
  }

  eraseUserRecords(userId: string): Promise<void> {
    return eraseUserRecords(this.pool, userId);
  }

  async #roomRow(id: string): Promise<RoomRow | undefined> {
    // A named statement: the room cache reads every room on the send path twice a second, and
    // parsing and planning the read cost PostgreSQL more than running it (docs/performance.md,
    // "Where PostgreSQL's CPU per stored message goes").
    const { rows } = await this.pool.query<RoomRow>({ name: 'chat_room_by_id', text: ROOM_BY_ID_SQL, values: [id] });
    return rows[0];
  }
}

const ROOM_BY_ID_SQL = `SELECT ${ROOM_COLUMNS} FROM chat_rooms WHERE id = $1`;
