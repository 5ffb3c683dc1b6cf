import { builtInError, ChatError, type MemberRole, type Member, type PublicRoom, type RoomRemovedEvent } from '@chat/protocol';
import type { ServerLink } from '../core/transport.js';

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

/**
 * The moderation requests of one room: each is refused with `FORBIDDEN` unless your role allows
 * it (see docs/moderation.md), and resolves once the server has done it on every process.
 */
export class RoomModeration {
  readonly #link: ServerLink;
  readonly #roomId: string;

  constructor(link: ServerLink, roomId: string) {
    this.#link = link;
    this.#roomId = roomId;
  }

  async kick(userId: string, options: { reason?: string } = {}): Promise<void> {
    await this.#link.request('moderation:kick', { roomId: this.#roomId, userId, ...reasonOf(options) });
  }

  async ban(userId: string, options: RestrictionOptions = {}): Promise<void> {
    await this.#link.request('moderation:ban', { roomId: this.#roomId, userId, ...untilOf(options), ...reasonOf(options) });
  }

  async unban(userId: string): Promise<void> {
    await this.#link.request('moderation:unban', { roomId: this.#roomId, userId });
  }

  async mute(userId: string, options: RestrictionOptions = {}): Promise<void> {
    await this.#link.request('moderation:mute', { roomId: this.#roomId, userId, ...untilOf(options), ...reasonOf(options) });
  }

  async unmute(userId: string): Promise<void> {
    await this.#link.request('moderation:unmute', { roomId: this.#roomId, userId });
  }

  async setRole(userId: string, role: MemberRole): Promise<void> {
    await this.#link.request('moderation:role', { roomId: this.#roomId, userId, role });
  }

  async moderate(input: RoomModerationInput): Promise<PublicRoom> {
    const { room } = await this.#link.request('moderation:room', { roomId: this.#roomId, ...input });
    return room;
  }

  async report(messageId: string, reason: string): Promise<void> {
    await this.#link.request('message:report', { roomId: this.#roomId, messageId, reason });
  }
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

function untilOf(options: RestrictionOptions): { until?: string } {
  if (options.until === undefined) return {};
  return { until: options.until instanceof Date ? options.until.toISOString() : options.until };
}

function reasonOf(options: { reason?: string }): { reason?: string } {
  return options.reason === undefined ? {} : { reason: options.reason };
}
