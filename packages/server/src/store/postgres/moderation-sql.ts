import { builtInError } from '@chat/protocol';
import type pg from 'pg';
import type { AuditAction, AuditEntry, MemberRole, Report, Restriction, UserRef } from '@chat/protocol';
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
import { applyStandingPatch, logCursor } from '../moderation-log.js';

// Standings, the audit log and reports of PostgresStore (migration 7).

const FOREIGN_KEY_VIOLATION = '23503';

interface StandingRow {
  user_id: string;
  role: MemberRole | null;
  ban: Restriction | null;
  mute: Restriction | null;
}

interface AuditRow {
  id: string;
  room_id: string;
  action: AuditAction;
  actor: UserRef;
  target_user_id: string | null;
  message_id: string | null;
  reason: string | null;
  until: string | null;
  detail: Record<string, unknown> | null;
  at: Date;
}

interface ReportRow {
  id: string;
  room_id: string;
  message_id: string;
  reporter: UserRef;
  reason: string;
  at: Date;
}

const STANDING_COLUMNS = 'user_id, role, ban, mute';
const STANDINGS_OF_ROOM_SQL = `SELECT ${STANDING_COLUMNS} FROM chat_standings WHERE room_id = $1 ORDER BY user_id COLLATE "C"`;
const AUDIT_COLUMNS = 'id, room_id, action, actor, target_user_id, message_id, reason, until, detail, at';
const REPORT_COLUMNS = 'id, room_id, message_id, reporter, reason, at';

/**
 * $1 room, $2 user, then per field its value and whether to set it: $3/$4 role, $5/$6 ban,
 * $7/$8 mute. One statement: concurrent changes of one user's standing apply one after another
 * on the row, each keeping the fields it does not set.
 */
const SET_STANDING_SQL = `
  INSERT INTO chat_standings (room_id, user_id, role, ban, mute) VALUES ($1, $2, $3, $5::jsonb, $7::jsonb)
  ON CONFLICT (room_id, user_id) DO UPDATE SET
    role = CASE WHEN $4::boolean THEN EXCLUDED.role ELSE chat_standings.role END,
    ban = CASE WHEN $6::boolean THEN EXCLUDED.ban ELSE chat_standings.ban END,
    mute = CASE WHEN $8::boolean THEN EXCLUDED.mute ELSE chat_standings.mute END
  RETURNING ${STANDING_COLUMNS}`;

/** A row with nothing set is no standing: deleted (only if nothing was set meanwhile). */
const DROP_EMPTY_STANDING_SQL = `
  DELETE FROM chat_standings WHERE room_id = $1 AND user_id = $2 AND role IS NULL AND ban IS NULL AND mute IS NULL`;

/** The moderation part of `PostgresStore`, on its pool. */
export class PostgresModeration {
  constructor(private readonly pool: pg.Pool) {}

  async getStanding(roomId: string, userId: string): Promise<RoomStanding | null> {
    const { rows } = await this.pool.query<StandingRow>(
      `SELECT ${STANDING_COLUMNS} FROM chat_standings WHERE room_id = $1 AND user_id = $2`,
      [roomId, userId],
    );
    return rows[0] ? toStanding(rows[0]) : null;
  }

  async listStandings(roomId: string): Promise<RoomStanding[]> {
    // A named statement, parsed and planned once per connection: the standings cache reads each
    // room's on the send path twice a second (as the room cache reads rooms, postgres-store.ts).
    const { rows } = await this.pool.query<StandingRow>({ name: 'chat_standings_of_room', text: STANDINGS_OF_ROOM_SQL, values: [roomId] });
    return rows.flatMap((row) => toStanding(row) ?? []);
  }

  async setStanding(roomId: string, userId: string, patch: StandingPatch): Promise<RoomStanding | null> {
    const field = (value: unknown, json: boolean) => [
      value === undefined || value === null ? null : json ? JSON.stringify(value) : value,
      value !== undefined,
    ];
    const params = [roomId, userId, ...field(patch.role, false), ...field(patch.ban, true), ...field(patch.mute, true)];
    const { rows } = await this.#write(() => this.pool.query<StandingRow>(SET_STANDING_SQL, params), roomId);
    const standing = rows[0] ? toStanding(rows[0]) : null;
    if (!standing) await this.pool.query(DROP_EMPTY_STANDING_SQL, [roomId, userId]);
    return standing;
  }

  async appendAudit(draft: AuditDraft): Promise<AuditEntry> {
    const { rows } = await this.#write(
      () =>
        this.pool.query<AuditRow>(
          `INSERT INTO chat_audit (room_id, action, actor, target_user_id, message_id, reason, until, detail, at)
           VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8::jsonb, COALESCE($9::timestamptz, now())) RETURNING ${AUDIT_COLUMNS}`,
          [
            draft.roomId,
            draft.action,
            JSON.stringify(draft.actor),
            draft.targetUserId ?? null,
            draft.messageId ?? null,
            draft.reason ?? null,
            draft.until ?? null,
            draft.detail === undefined ? null : JSON.stringify(draft.detail),
            draft.at ?? null,
          ],
        ),
      draft.roomId,
    );
    return toAuditEntry(rows[0] as AuditRow);
  }

  async listAudit(roomId: string, query: LogQuery): Promise<AuditPage> {
    const limit = Math.max(0, query.limit);
    const { rows } = await this.pool.query<AuditRow>(
      `SELECT ${AUDIT_COLUMNS} FROM chat_audit WHERE room_id = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
      [roomId, logCursor(query) ?? null, limit + 1],
    );
    return { entries: rows.slice(0, limit).map(toAuditEntry), hasMore: rows.length > limit };
  }

  async appendReport(draft: ReportDraft): Promise<ReportResult> {
    const { rows } = await this.#write(
      () =>
        this.pool.query<ReportRow>(
          `INSERT INTO chat_reports (room_id, message_id, reporter_id, reporter, reason, at)
           VALUES ($1, $2, $3, $4::jsonb, $5, COALESCE($6::timestamptz, now()))
           ON CONFLICT ON CONSTRAINT chat_reports_once DO NOTHING RETURNING ${REPORT_COLUMNS}`,
          [draft.roomId, draft.messageId, draft.reporter.id, JSON.stringify(draft.reporter), draft.reason, draft.at ?? null],
        ),
      draft.roomId,
    );
    if (rows[0]) return { report: toReport(rows[0]), duplicate: false };
    // ON CONFLICT DO NOTHING returns no row for the loser, even when the winner committed first.
    const first = await this.pool.query<ReportRow>(
      `SELECT ${REPORT_COLUMNS} FROM chat_reports WHERE room_id = $1 AND message_id = $2 AND reporter_id = $3`,
      [draft.roomId, draft.messageId, draft.reporter.id],
    );
    if (!first.rows[0]) throw builtInError('INTERNAL', 'The report could not be stored.');
    return { report: toReport(first.rows[0]), duplicate: true };
  }

  async listReports(roomId: string, query: LogQuery): Promise<ReportPage> {
    const limit = Math.max(0, query.limit);
    const { rows } = await this.pool.query<ReportRow>(
      `SELECT ${REPORT_COLUMNS} FROM chat_reports WHERE room_id = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
      [roomId, logCursor(query) ?? null, limit + 1],
    );
    return { reports: rows.slice(0, limit).map(toReport), hasMore: rows.length > limit };
  }

  /** Every report the user made, over every room, oldest first (a scan: reports are few). */
  async reportsBy(userId: string): Promise<Report[]> {
    const { rows } = await this.pool.query<ReportRow>(`SELECT ${REPORT_COLUMNS} FROM chat_reports WHERE reporter_id = $1 ORDER BY id`, [
      userId,
    ]);
    return rows.map(toReport);
  }

  // Writes that name a room: an unknown one breaks the foreign key.
  async #write<T>(write: () => Promise<T>, roomId: string): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if ((error as { code?: string }).code === FOREIGN_KEY_VIOLATION)
        throw builtInError('ROOM_NOT_FOUND', `There is no room "${roomId}".`);
      throw error;
    }
  }
}

function toStanding(row: StandingRow): RoomStanding | null {
  return applyStandingPatch(row.user_id, null, { role: row.role, ban: row.ban, mute: row.mute });
}

function toAuditEntry(row: AuditRow): AuditEntry {
  const entry: AuditEntry = { id: String(row.id), roomId: row.room_id, action: row.action, actor: row.actor, at: row.at.toISOString() };
  if (row.target_user_id !== null) entry.targetUserId = row.target_user_id;
  if (row.message_id !== null) entry.messageId = row.message_id;
  if (row.reason !== null) entry.reason = row.reason;
  if (row.until !== null) entry.until = row.until;
  if (row.detail !== null) entry.detail = row.detail;
  return entry;
}

function toReport(row: ReportRow): Report {
  return {
    id: String(row.id),
    roomId: row.room_id,
    messageId: row.message_id,
    reporter: row.reporter,
    reason: row.reason,
    at: row.at.toISOString(),
  };
}
