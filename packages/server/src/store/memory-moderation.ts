import type { AuditEntry, Report } from '@chat/protocol';
import type {
  AuditDraft,
  AuditPage,
  LogQuery,
  ReportDraft,
  ReportPage,
  ReportResult,
  RoomStanding,
  StandingPatch,
} from '../core/moderation-records.js';
import { ERASED_USER } from '../core/chat-store.js';
import { applyStandingPatch, copyStanding, logCursor } from './moderation-log.js';

/** Standings, audit logs and reports of `MemoryStore` (it checks that rooms exist before calling). */
export class MemoryModeration {
  readonly #standings = new Map<string, Map<string, RoomStanding>>();
  readonly #audit = new Map<string, AuditEntry[]>();
  readonly #reports = new Map<string, Report[]>();
  /** Ids grow store-wide, as PostgreSQL's sequences do. */
  #nextId = 1;

  getStanding(roomId: string, userId: string): RoomStanding | null {
    const found = this.#standings.get(roomId)?.get(userId);
    return found ? copyStanding(found) : null;
  }

  listStandings(roomId: string): RoomStanding[] {
    const room = this.#standings.get(roomId);
    if (!room) return [];
    return [...room.values()].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0)).map(copyStanding);
  }

  setStanding(roomId: string, userId: string, patch: StandingPatch): RoomStanding | null {
    let room = this.#standings.get(roomId);
    const next = applyStandingPatch(userId, room?.get(userId) ?? null, patch);
    if (next) {
      if (!room) this.#standings.set(roomId, (room = new Map<string, RoomStanding>()));
      room.set(userId, next);
    } else if (room) {
      room.delete(userId);
      if (room.size === 0) this.#standings.delete(roomId);
    }
    return next ? copyStanding(next) : null;
  }

  appendAudit(draft: AuditDraft): AuditEntry {
    const entry = structuredClone<AuditEntry>({ ...draft, id: String(this.#nextId++), at: draft.at ?? new Date().toISOString() });
    listOf(this.#audit, draft.roomId).push(entry);
    return structuredClone(entry);
  }

  listAudit(roomId: string, query: LogQuery): AuditPage {
    const { items, hasMore } = newestFirst(this.#audit.get(roomId) ?? [], query);
    return { entries: items, hasMore };
  }

  appendReport(draft: ReportDraft): ReportResult {
    const reports = listOf(this.#reports, draft.roomId);
    const first = reports.find((r) => r.messageId === draft.messageId && r.reporter.id === draft.reporter.id);
    if (first) return { report: structuredClone(first), duplicate: true };
    const report = structuredClone<Report>({ ...draft, id: String(this.#nextId++), at: draft.at ?? new Date().toISOString() });
    reports.push(report);
    return { report: structuredClone(report), duplicate: false };
  }

  listReports(roomId: string, query: LogQuery): ReportPage {
    const { items, hasMore } = newestFirst(this.#reports.get(roomId) ?? [], query);
    return { reports: items, hasMore };
  }

  /** Every report the user made, over every room, oldest first. */
  reportsBy(userId: string): Report[] {
    return [...this.#reports.values()]
      .flat()
      .filter((r) => r.reporter.id === userId)
      .map((r) => structuredClone(r));
  }

  /**
   * Erasing a user: their standings go; audit entries and reports keep the action, naming
   * `ERASED_USER` instead, without the reason the user wrote (their words); so do the bans and
   * mutes they set that are still in force.
   */
  eraseUser(userId: string): void {
    for (const room of this.#standings.values()) room.delete(userId);
    // A ban or mute they set that is still in force keeps no reason of theirs either.
    for (const [roomId, entries] of this.#audit) {
      for (const { actor, action, targetUserId, reason } of entries) {
        if (actor.id !== userId || reason === undefined || targetUserId === undefined || (action !== 'ban' && action !== 'mute')) continue;
        const restriction = this.#standings.get(roomId)?.get(targetUserId)?.[action];
        if (restriction?.reason === reason) delete restriction.reason;
      }
    }
    for (const entries of this.#audit.values()) {
      for (const entry of entries) {
        if (entry.actor.id === userId) {
          entry.actor = { ...ERASED_USER };
          delete entry.reason;
        }
        if (entry.targetUserId === userId) entry.targetUserId = ERASED_USER.id;
      }
    }
    for (const reports of this.#reports.values()) {
      for (const r of reports) if (r.reporter.id === userId) Object.assign(r, { reporter: { ...ERASED_USER }, reason: '' });
    }
  }

  clear(): void {
    this.#standings.clear();
    this.#audit.clear();
    this.#reports.clear();
  }
}

function listOf<T>(map: Map<string, T[]>, roomId: string): T[] {
  let list = map.get(roomId);
  if (!list) map.set(roomId, (list = []));
  return list;
}

// Entries are kept oldest first with growing ids: a page is a walk back from the cursor.
function newestFirst<T extends { id: string }>(list: readonly T[], query: LogQuery): { items: T[]; hasMore: boolean } {
  const before = logCursor(query);
  const limit = Math.max(0, query.limit);
  const items: T[] = [];
  for (let i = list.length - 1; i >= 0; i--) {
    const item = list[i] as T;
    if (before !== undefined && Number(item.id) >= before) continue;
    if (items.length === limit) return { items, hasMore: true };
    items.push(structuredClone(item));
  }
  return { items, hasMore: false };
}
