import { builtInError } from '@chat/protocol';
import type { Restriction } from '@chat/protocol';
import type { LogQuery, RoomStanding, StandingPatch } from '../core/moderation-records.js';

// What both stores share about standings, audit entries and reports (migration 7 for PostgreSQL).

/** The `before` of a log page as a number: ids are whole numbers written as decimal strings. */
export function logCursor(query: LogQuery): number | undefined {
  if (query.before === undefined) return undefined;
  if (typeof query.before !== 'string' || !/^[1-9]\d{0,14}$/u.test(query.before)) {
    throw builtInError('VALIDATION_FAILED', 'before must be the id of an entry of an earlier page.');
  }
  return Number(query.before);
}

/** A copy of a restriction with only its own fields. */
function copyRestriction(r: Restriction): Restriction {
  const copy: Restriction = {};
  if (r.until !== undefined) copy.until = r.until;
  if (r.reason !== undefined) copy.reason = r.reason;
  return copy;
}

/** The standing after `patch`, or null when nothing is left set. */
export function applyStandingPatch(userId: string, current: RoomStanding | null, patch: StandingPatch): RoomStanding | null {
  const next: RoomStanding = { userId };
  const role = patch.role === undefined ? current?.role : patch.role;
  const ban = patch.ban === undefined ? current?.ban : patch.ban;
  const mute = patch.mute === undefined ? current?.mute : patch.mute;
  if (role) next.role = role;
  if (ban) next.ban = copyRestriction(ban);
  if (mute) next.mute = copyRestriction(mute);
  return next.role || next.ban || next.mute ? next : null;
}

/** A deep enough copy of a standing. */
export function copyStanding(s: RoomStanding): RoomStanding {
  return applyStandingPatch(s.userId, s, {}) ?? { userId: s.userId };
}
