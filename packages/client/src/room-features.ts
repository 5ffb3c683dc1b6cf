// A room's features of the server's plugins: `room.liveReactions`, `room.pins`, `room.polls`,
// `room.questions`, each made the first time a page asks for it, over the room's plugin state
// (`room.plugins`).
import type { Message } from '@chat/protocol';
import type { ChatRoomEvents } from './chat-room-events.js';
import type { PluginLink } from './core/plugin-link.js';
import { Subscribable } from './core/subscribable.js';
import { LiveReactions } from './live-reactions/live-reactions.js';
import { RoomPins } from './pins/room-pins.js';
import { RoomPolls } from './polls/room-polls.js';
import { RoomQuestions } from './questions/room-questions.js';

/** What `ChatRoom` is besides: the features of its server's plugins. */
export abstract class RoomFeatures extends Subscribable<ChatRoomEvents> {
  abstract readonly id: string;
  #liveReactions: LiveReactions | undefined;
  #pins: RoomPins | undefined;
  #polls: RoomPolls | undefined;
  #questions: RoomQuestions | undefined;

  /** What the server's plugins add to the room's join answer, by plugin name (brought again by every re-join). */
  abstract get plugins(): Readonly<Record<string, unknown>>;
  /** @internal A plugin's state for this room changed (`<plugin>:updated { roomId, ...state }`, or a request's answer). */
  abstract _pluginState(plugin: string, state: unknown): void;
  /** @internal A message of the room arrived. */
  abstract _receiveMessage(message: Message): void;
  /** @internal The client's plugin requests and events. */
  protected abstract get _pluginLink(): PluginLink;

  /** The room's live reactions (the server's `liveReactions()` plugin): `send(emoji)`, `on('burst', fn)`, `emojis`. */
  get liveReactions(): LiveReactions {
    return (this.#liveReactions ??= new LiveReactions(this.id, () => this.plugins['live-reactions'], this._pluginLink));
  }

  /** The room's pinned messages (the server's `pins()` plugin): `list`, `add(id)`, `remove(id)`; a change fires `updated`. */
  get pins(): RoomPins {
    return (this.#pins ??= new RoomPins(this.id, this, this._pluginLink));
  }

  /** The room's polls (the server's `polls()` plugin): `create`, `vote`, `close`, your `myVotes(id)`; a change of yours fires `updated`. */
  get polls(): RoomPolls {
    return (this.#polls ??= new RoomPolls(this.id, this, this._pluginLink));
  }

  /** The room's questions (the server's `questions()` plugin): `ask`, `upvote`, `answer`, `hide`, `list`, your `myUpvotes`. */
  get questions(): RoomQuestions {
    return (this.#questions ??= new RoomQuestions(this.id, this, this._pluginLink));
  }

  /** @internal The room was left for good: its features stop hearing the server. */
  protected _closeFeatures(): void {
    this.#liveReactions?._close();
  }
}
