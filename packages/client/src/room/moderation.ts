import { builtInError, ChatError, type Member, type RoomRemovedEvent } from '@chat/protocol';

/** What `room.ban()` and `room.mute()` take. */
export interface RestrictionOptions {
  /** When it ends (a Date or ISO 8601, in the future); absent: until a moderator lifts it. */
  until?: Date | string;
  /** Why: shown to the user and kept in the room's audit log. */
  reason?: string;
}

/** What `room.moderate()` changes: freeze the room (read-only for all but moderators) or set slow mode (0: off). */
export interface RoomModerationInput {
  frozen?: boolean;
  /** One message per this many milliseconds per member; 0 turns slow mode off. */
  slowModeMs?: number;
}

/** Whether a member may moderate the room (owners and moderators; admins are not shown as such). */
export function canModerate(member: Member | undefined): boolean {
  return member?.role === 'owner' || member?.role === 'moderator';
}

/** What messages still in the outbox fail with when the server took you out of the room. */
export function removalError(event: RoomRemovedEvent): ChatError {
  if (event.reason === 'banned') {
    const until = event.until === undefined ? '' : ` until ${event.until}`;
    return builtInError(
      'BANNED',
      `You were banned from this room${until} before this message was sent.`,
      event.until === undefined ? {} : { until: event.until },
    );
  }
  if (event.reason === 'kicked') return builtInError('FORBIDDEN', 'A moderator removed you from this room before this message was sent.');
  return builtInError('FORBIDDEN', 'You were removed from this room before this message was sent.');
}
