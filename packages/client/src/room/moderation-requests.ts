// What moderators send (`room.kick()`, `room.ban()`, `room.moderate()`...), apart from the room: the
// first such request loads it (in the widget, with its moderation chunk).
import type { MemberRole, PublicRoom } from '@chat/protocol';
import type { ServerLink } from '../core/transport.js';
import type { RestrictionOptions, RoomModerationInput } from './moderation.js';

/**
 * The moderation requests of one room, loaded by the first of them (`room.kick()`, `room.ban()`...):
 * a page whose visitor never moderates does not load them. Each is refused with `FORBIDDEN` unless your role allows
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
}

function untilOf(options: RestrictionOptions): { until?: string } {
  if (options.until === undefined) return {};
  return { until: options.until instanceof Date ? options.until.toISOString() : options.until };
}

function reasonOf(options: { reason?: string }): { reason?: string } {
  return options.reason === undefined ? {} : { reason: options.reason };
}
