import type { UserRef } from '@chat/protocol';
import { RoomState } from '../core/room-state.js';
import type { ServerLink } from '../core/transport.js';
import type { RoomSync } from './room-sync.js';

/** The room event typing tells (one of `ChatRoomEvents`): the room's emitter is one. */
export interface TypingEmitter {
  emit(event: 'typing', users: UserRef[], count: number): boolean;
}

/** Who is typing in a room (yourself left out), and your own typing signals, throttled. */
export class RoomTyping {
  users: UserRef[] = [];
  count = 0;
  /** When the last `typing: true` went out (0: none standing). */
  sentAt = 0;
  readonly #link: ServerLink & { readonly typingThrottleMs: number };
  readonly #sync: RoomSync;
  readonly #emitter: TypingEmitter;

  constructor(link: ServerLink & { readonly typingThrottleMs: number }, sync: RoomSync, emitter: TypingEmitter) {
    this.#link = link;
    this.#sync = sync;
    this.#emitter = emitter;
  }

  /** Your typing (see `ChatRoom.typing`). */
  send(active: boolean): void {
    if (this.#sync.state !== RoomState.JOINED || !this.#link.connected) return;
    const now = Date.now();
    if (active && now - this.sentAt < this.#link.typingThrottleMs) return;
    if (!active && this.sentAt === 0) return;
    this.sentAt = active ? now : 0;
    this.#link.request('typing', { roomId: this.#sync.id, typing: active }).catch(() => {
      // Typing is a hint: a lost or refused signal is not worth an error.
    });
  }

  /** Forgets who types (the room was left), without telling anyone. */
  forget(): void {
    this.users = [];
    this.count = 0;
  }

  /** The connection dropped: the typists shown are stale (cleared and told), and your own signal is gone. */
  connectionLost(): void {
    if (this.count > 0) this.receive([]);
    this.sentAt = 0;
  }

  /** The server's list of typists. */
  receive(users: UserRef[], count?: number): void {
    this.users = users.filter((u) => u.id !== this.#sync.self?.id);
    // Past a few typists, you may be among those not named: counted out only when named.
    this.count = count === undefined ? this.users.length : Math.max(this.users.length, count - (users.length - this.users.length));
    this.#emitter.emit('typing', this.users, this.count);
  }
}
