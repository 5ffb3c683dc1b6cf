import type { Message } from '@chat/protocol';
import type { RoomState } from '../core/room-state.js';
import type { MessageLog } from './message-log.js';
import type { ServerLink } from '../core/transport.js';

/** How long a hole in the seqs may last before the room fetches what is missing. */
const GAP_FILL_MS = 1500;

/** What {@link GapFiller} needs from its room. */
export interface GapHost {
  readonly roomId: string;
  readonly log: MessageLog;
  readonly link: ServerLink;
  /** Where the room stands: a hole is watched once joined, filled only while joined, forgotten once left or ended. */
  state(): RoomState;
  /** Messages fetched to fill a hole: the room applies (and announces) them. */
  fetched(messages: Message[]): void;
  /** The server has nothing to fill the hole with: the room stepped over it. */
  skipped(after: number, resumedAt: number): void;
}

/**
 * Seqs are gap-free, so a hole that lasts means a broadcast was lost while connected (a
 * reconnect would catch up anyway): fetch what is missing. If the server has nothing to fill
 * it with (ephemeral rooms), step over it instead of asking again. Seqs the server says were
 * removed (`historyStart`: retention, a trimmed memory store) are no hole at all.
 */
export class GapFiller {
  readonly #host: GapHost;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: GapHost) {
    this.#host = host;
  }

  /** Call after messages were added: starts the clock when the seqs show a hole. */
  watch(): void {
    const { log } = this.#host;
    const state = this.#host.state();
    if (closed(state)) return;
    const last = log._newestSeq ?? 0;
    if (last <= log._watermark || this.#timer || state === 'joining') return;
    const holeAt = log._watermark;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (log._watermark !== holeAt || this.#host.state() !== 'joined' || !this.#host.link.connected) return this.watch();
      // No limit: the server's default page fits its own maxHistoryPage, whatever that is.
      this.#host.link.request('message:history', { roomId: this.#host.roomId, after: holeAt }).then(
        (page) => {
          if (closed(this.#host.state())) return;
          // Removed by retention, not lost: the hole closes without a discontinuity.
          log._startAt(page.historyStart);
          this.#host.fetched(page.messages);
          // The seqs the page lacks up to its last message are thread replies, not missing.
          log._covered(holeAt, page.messages.at(-1)?.seq);
          if (log._watermark === holeAt) {
            const next = log._skipHole();
            if (next !== undefined) this.#host.skipped(holeAt, next);
          }
          this.watch();
        },
        () => this.watch(),
      );
    }, GAP_FILL_MS);
  }

  /** Stops watching (the room closed, or its history started over). */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

function closed(state: RoomState): boolean {
  return state === 'left' || state === 'ended';
}
