// The place in `<chat-room>` of a feature of the server's plugins (live reactions, pins, link
// previews, polls): its UI is a chunk of its own, fetched the first time the room shown needs it.
import { nothing } from 'lit';
import type { ChatRoom } from '@chat/client';
import { LazyPart, type LazyPartHost } from './lazy-part.js';

/** A feature's chunk, drawn for the room shown once it is here. */
export class FeatureSlot<U> {
  readonly #host: { room(): ChatRoom | undefined };
  readonly #chunk: LazyPart<U>;

  /**
   * @param host - Whose room is shown.
   * @param what - What could not be loaded, for the error ("Polls").
   * @param file - The chunk, next to chat-room.min.js ("chat-room.polls.js").
   */
  constructor(host: { room(): ChatRoom | undefined }, part: LazyPartHost, load: () => Promise<U>, what: string, file: string) {
    this.#host = host;
    this.#chunk = new LazyPart(part, load, what, file);
  }

  /**
   * What `draw` makes with the chunk's UI for the room shown, where `wanted(room)` holds: the
   * chunk is fetched then, and nothing is drawn until it is here.
   */
  draw(wanted: (room: ChatRoom) => unknown, draw: (room: ChatRoom, ui: U) => unknown): unknown {
    const room = this.#host.room();
    if (!room || !wanted(room)) return nothing;
    const ui = this.#chunk.module;
    if (!ui) void this.#chunk.load();
    return ui ? draw(room, ui) : nothing;
  }
}
