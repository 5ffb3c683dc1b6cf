import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatRoom } from '@chat/client';
import type { ChatStrings } from '../i18n/strings.js';

/**
 * Why the composer is off for you in `room`, as a sentence, or nothing: muted (until a time, or
 * until lifted), or a frozen room you do not moderate.
 */
export function composerBlock(
  room: Pick<ChatRoom, 'self' | 'room' | 'canModerate'> | undefined,
  strings: ChatStrings,
  time: Intl.DateTimeFormat,
  now = Date.now(),
): string | undefined {
  const muted = room?.self?.muted;
  const until = muted?.until === undefined ? undefined : Date.parse(muted.until);
  if (muted && (until === undefined || until > now)) return until === undefined ? strings.mutedNow : strings.mutedUntil(time.format(until));
  if (room?.room?.options.frozen === true && !room.canModerate) return strings.frozenRoom;
  return undefined;
}

/**
 * The clocks of sending: slow mode's wait (after your message in a slow room, or a
 * `RATE_LIMITED` with `retryAfter`), counted down on the status line each second; and a render
 * when a mute's `until` passes, so that the composer comes back on by itself.
 */
export class SendLimits implements ReactiveController {
  #waitUntil = 0;
  #tick: ReturnType<typeof setInterval> | undefined;
  #wake: ReturnType<typeof setTimeout> | undefined;
  #wakeAt = 0;
  readonly #host: ReactiveControllerHost;
  readonly #note: (text: string) => void;
  readonly #strings: () => ChatStrings;

  constructor(host: ReactiveControllerHost, note: (text: string) => void, strings: () => ChatStrings) {
    this.#host = host;
    this.#note = note;
    this.#strings = strings;
    host.addController(this);
  }

  /** Seconds left to wait before sending again (0: you may send). */
  get wait(): number {
    return Math.max(0, Math.ceil((this.#waitUntil - Date.now()) / 1000));
  }

  /** You sent in `room`: in slow mode, and not a moderator, the next message waits. */
  sent(room: ChatRoom): void {
    const slow = room.room?.options.slowModeMs ?? 0;
    if (slow > 0 && !room.canModerate) this._waitFor(slow, false);
  }

  /** Sending is refused for `ms`: say so now (`say`), or when the user tries. */
  _waitFor(ms: number, say = true): void {
    this.#waitUntil = Math.max(this.#waitUntil, Date.now() + ms);
    if (say) this.#say();
  }

  /** Whether a message may go now; if not, the status line says how long to wait. */
  check(): boolean {
    if (this.wait === 0) return true;
    this.#say();
    return false;
  }

  /** Renders again when `iso` (a mute's end) passes. */
  wakeAt(iso: string | undefined): void {
    const at = iso === undefined ? 0 : Date.parse(iso);
    if (!(at > Date.now()) || at === this.#wakeAt) return;
    this.#wakeAt = at;
    clearTimeout(this.#wake);
    // Timers take at most about 24.8 days; a longer mute is checked again then.
    this.#wake = setTimeout(
      () => {
        this.#wakeAt = 0;
        this.#host.requestUpdate();
      },
      Math.min(at - Date.now() + 50, 2 ** 31 - 1),
    );
  }

  /** Another room: its waits are not this one's. */
  reset(): void {
    this.#waitUntil = 0;
    this.hostDisconnected();
  }

  hostDisconnected(): void {
    clearInterval(this.#tick);
    clearTimeout(this.#wake);
    this.#tick = undefined;
    this.#wakeAt = 0;
  }

  #say(): void {
    const show = () => {
      const wait = this.wait;
      this.#note(wait > 0 ? this.#strings().slowWait(wait) : '');
      if (wait === 0) {
        clearInterval(this.#tick);
        this.#tick = undefined;
      }
    };
    show();
    this.#tick ??= setInterval(show, 1000);
  }
}
