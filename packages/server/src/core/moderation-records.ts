// What the store keeps for moderation: a user's standing in a room (role, ban, mute), the audit
// log and reports, and their pages.
import type { AuditEntry, MemberRole, Report, Restriction } from '@chat/protocol';

/**
 * A user's standing in one room beyond a plain member: a role given with `setRole`, a ban, a
 * mute. The store keeps what it was given; whether a ban or mute is still in force (its `until`
 * against the clock) is the server's to decide.
 */
export interface RoomStanding {
  userId: string;
  /** The role set for the user; absent: the default (`owner` for the room's creator, else `member`). */
  role?: MemberRole;
  ban?: Restriction;
  mute?: Restriction;
}

/** What `setStanding` changes: a value sets, `null` clears, absent keeps. */
export interface StandingPatch {
  role?: MemberRole | null;
  ban?: Restriction | null;
  mute?: Restriction | null;
}

/** An audit entry before the store gives it its id (and `at`, when not given). */
export type AuditDraft = Omit<AuditEntry, 'id' | 'at'> & { at?: string };

/** A report before the store gives it its id (and `at`, when not given). */
export type ReportDraft = Omit<Report, 'id' | 'at'> & { at?: string };

/** A page of the audit log or of reports: newest first. */
export interface LogQuery {
  /** At most this many. */
  limit: number;
  /** Only entries older than the entry with this id (the `id` of the last one of the previous page). */
  before?: string;
}

/** A page of audit entries, newest first; `hasMore` says older ones exist. */
export interface AuditPage {
  entries: AuditEntry[];
  hasMore: boolean;
}

/** A page of reports, newest first; `hasMore` says older ones exist. */
export interface ReportPage {
  reports: Report[];
  hasMore: boolean;
}

/** The result of `appendReport`: the report, and whether this reporter had reported this message already. */
export interface ReportResult {
  report: Report;
  /** True when the reporter had reported the message before: the first report is returned unchanged. */
  duplicate: boolean;
}
