import type { TypingEvent } from '@chat/protocol';

/**
 * Holds back a room's typing events while it has more typists than an event names (the event then
 * carries `count`): in a room of thousands, every start and stop would otherwise go to everyone.
 * Such an event goes at once if the room's last one is older than the window; later ones within it
 * wait for its end, the newest replacing those held before (each event is the whole list, so only
 * the newest matters). Events of a few typists go at once, as they always did, unless one of a
 * crowd went out within the window (it must not be overtaken by an older list).
 */
export class TypingThrottle {
  /** When each room's last event went out, and whether it was a crowd's. */
  readonly #last = new Map<string, { at: number; crowded: boolean }>();
  readonly #held = new Map<string, { event: TypingEvent; timer: ReturnType<typeof setTimeout> }>();

  constructor(
    private readonly send: (event: TypingEvent) => void,
    private readonly windowMs: number,
  ) {}

  publish(event: TypingEvent): void {
    const { roomId } = event;
    const crowded = event.count !== undefined;
    const last = this.#last.get(roomId);
    const now = Date.now();
    const held = this.#held.get(roomId);
    if (!last || now - last.at >= this.windowMs || (!crowded && !last.crowded)) {
      if (held) clearTimeout(held.timer);
      this.#held.delete(roomId);
      this.#out(event, now);
    } else if (held) {
      held.event = event;
    } else {
      const timer = setTimeout(
        () => {
          const newest = this.#held.get(roomId)?.event ?? event;
          this.#held.delete(roomId);
          this.#out(newest, Date.now());
        },
        last.at + this.windowMs - now,
      );
      timer.unref?.();
      this.#held.set(roomId, { event, timer });
    }
  }

  close(): void {
    for (const { timer } of this.#held.values()) clearTimeout(timer);
    this.#held.clear();
    this.#last.clear();
  }

  #out(event: TypingEvent, at: number): void {
    // A room nobody types in is forgotten (rooms come and go for days).
    if (event.users.length === 0) this.#last.delete(event.roomId);
    else this.#last.set(event.roomId, { at, crowded: event.count !== undefined });
    this.send(event);
  }
}
