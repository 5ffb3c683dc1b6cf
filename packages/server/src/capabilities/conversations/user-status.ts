import type { PresenceStatus } from '@chat/protocol';
import type { UserStatus } from '../../core/presence-registry.js';
import type { CapabilityContext } from '../capability-context.js';
import { userRoom } from '../../core/ids.js';

/** Sent between processes when a user's status changed, so each updates the rooms its sockets are in. */
const STATUS_SIGNAL = 'chat:status';

type SignalTarget = { on(event: string, listener: (userId: string) => void): void };

/** What `presence:status` stores: a blank text is no text. */
export function toUserStatus(status: PresenceStatus, text: string | undefined): UserStatus {
  const trimmed = text?.trim();
  return trimmed ? { status, statusText: trimmed } : { status };
}

/**
 * A user's status, set on every socket and room of theirs, on every process. It lives in the
 * presence registry while the user is online (in Redis with a cluster); rooms hear of it as an
 * `updated` presence delta from each process that has a socket of the user in them.
 */
export class StatusSignals {
  constructor(
    private readonly ctx: CapabilityContext,
    private readonly roomsOf: (socketId: string) => ReadonlySet<string> | undefined,
  ) {}

  /** Listens to the other processes' signals (once the cluster's adapter is in place). */
  listen(): void {
    (this.ctx.nsp as unknown as SignalTarget).on(STATUS_SIGNAL, (userId) => this.#changed(userId));
  }

  /** The user's status changed (in the registry): every room the user is in hears of it, on every process. */
  changed(userId: string): void {
    this.#changed(userId);
    if (this.ctx.clustered()) this.ctx.nsp.serverSideEmit(STATUS_SIGNAL, userId);
  }

  // This process's sockets of the user: each room they are in gets the user's new entry.
  #changed(userId: string): void {
    const rooms = new Set<string>();
    for (const socketId of this.ctx.nsp.adapter.rooms.get(userRoom(userId)) ?? []) {
      for (const roomId of this.roomsOf(socketId) ?? []) rooms.add(roomId);
    }
    for (const roomId of rooms) this.ctx.presenceDeltas.updated(roomId, userId);
  }
}
