import { builtInError } from '@chat/protocol';

/**
 * Large rooms (issue 15): from `largeRoomThreshold` members a room stops sending everyone the
 * whole list. Joins get a first page and the exact count, presence deltas carry the count and
 * a few members' changes at most once a second, and the list is read in pages (`room:members`).
 * Below the threshold nothing changes. See docs/architecture.md ("Large rooms").
 */

/** The default of `ChatServerOptions.largeRoomThreshold`. */
const DEFAULT_LARGE_ROOM_THRESHOLD = 200;

/** The option as given, or the default; `VALIDATION_FAILED` for anything but a whole number of at least 1. */
export function largeRoomThreshold(value: number | undefined): number {
  if (value === undefined) return DEFAULT_LARGE_ROOM_THRESHOLD;
  if (!Number.isInteger(value) || value < 1) {
    throw builtInError('VALIDATION_FAILED', `largeRoomThreshold must be a whole number of members, at least 1 (got ${String(value)}).`);
  }
  return value;
}

/** A large room's presence window: one delta per second at most, whatever `presenceCoalesceMs` says. */
export const LARGE_ROOM_WINDOW_MS = 1000;

/**
 * The changes one large-room delta carries: status and role changes (`updated`) first, since a
 * member may be reading about themselves (a mute), then arrivals and departures in the order
 * they happened, `max` in all. The others are in the count only.
 */
export function boundedChanges(changed: string[], updated: string[], max: number): { changed: string[]; updated: string[] } {
  const keptUpdated = updated.slice(0, max);
  return { updated: keptUpdated, changed: changed.slice(0, Math.max(0, max - keptUpdated.length)) };
}
