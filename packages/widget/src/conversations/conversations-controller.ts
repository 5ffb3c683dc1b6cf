import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  ChatError,
  ConnectionState,
  type ChatClient,
  type ChatRoom,
  type RoomSummary,
  type UserPresence,
  type UserRef,
} from '@chat/client';
import type { ChatStrings } from '../i18n/strings.js';
import type { ConversationRowView } from '../parts/conversation-row.js';
import { learnPeople, peopleOf } from './direct-people.js';
import { Notifier } from './notifier.js';

/** What the controller asks of its element. */
export interface ConversationsView {
  strings(): ChatStrings;
  /** The language of what people write when it is not the widget's (the page's): marks the previews. */
  _textLang(): string | undefined;
  /** A notification was clicked: show this conversation. */
  open(roomId: string): void;
  /** Which conversations may notify (default: all of them). */
  notifies?(summary: RoomSummary): boolean;
  /** Fires `chat-error`, and shows the error (a part that could not be loaded) unless `line` is false. */
  fail(error: ChatError, line?: boolean): void;
}

/**
 * The user's conversations as the server counts them (`client.conversations()`, kept live by
 * the SDK), shared by `<chat-room>` (its private conversations, `chat-unread`) and `<chat-inbox>`:
 * names of direct rooms, the status of their people (`presenceOf`), and browser notifications
 * for new messages while the page is hidden.
 */
export class ConversationsController implements ReactiveController {
  /** Newest activity first; empty until the server answered. */
  list: RoomSummary[] = [];
  /** Where the people of direct rooms are (online, status, last seen), by user id. */
  readonly presence = new Map<string, UserPresence>();
  readonly #host: ReactiveControllerHost;
  readonly #view: ConversationsView;
  readonly #notifier = new Notifier({ requestUpdate: () => undefined, fail: (error) => this.#view.fail(error) });
  #client: ChatClient | undefined;
  #offs: Array<() => void> = [];
  /** The ids whose presence was asked last. */
  #asked = '';
  /** The list's code could not be fetched: said once, and kept for the banner (the join that follows takes `fail`'s line away). */
  _lost: ChatError | undefined;

  constructor(host: ReactiveControllerHost, view: ConversationsView) {
    this.#host = host;
    this.#view = view;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.follow(undefined);
  }

  /** Uses `client` (none: nothing): asks for the list once, and again after a connection came back without it. */
  follow(client: ChatClient | undefined): void {
    if (client === this.#client) return;
    for (const off of this.#offs.splice(0)) off();
    this.#client = client;
    this.list = [];
    this.#asked = '';
    this._lost = undefined;
    this.#notifier.reset();
    if (!client) return;
    // A server's refusal is tried again by the SDK on reconnect. Anything else is the list's code,
    // chat-room.conversations.js, not fetched: said once, connected (connecting clears the banner),
    // as the list is asked for again then.
    const load = () =>
      void client.conversations().catch((error: unknown) => {
        if (error instanceof ChatError || this._lost || client.state !== ConnectionState.CONNECTED) return;
        const message =
          'The list of conversations could not be loaded (chat-room.conversations.js must be served next to chat-room.min.js).';
        // Fired, and shown below any other error (`_lost`): a missing language changes more of what is seen.
        this.#view.fail((this._lost = new ChatError('INTERNAL', message, { cause: error })), false);
        this.#host.requestUpdate();
      });
    this.#offs.push(
      client.on('conversations', (list) => this.#changed(list)),
      client.on('state', (state) => state === ConnectionState.CONNECTED && this.list.length === 0 && load()),
    );
    load();
  }

  /** The conversation of `roomId`, if the list has it. */
  get(roomId: string | undefined): RoomSummary | undefined {
    return this.list.find((s) => s.room.id === roomId);
  }

  /** The other people of a direct room: as the server's list names them, else as this browser saw them. */
  people(roomId: string): UserRef[] {
    return peopleOf(roomId, this.get(roomId)?.members, this.#client?.user?.id);
  }

  /** A conversation's name: the room's title, the other people's names for a direct room, else its id. */
  name(summary: Pick<RoomSummary, 'room'>): string {
    const { room } = summary;
    if (room.title) return room.title;
    if (!room.options.direct) return room.id;
    return (
      this.people(room.id)
        .map((p) => p.name)
        .join(', ') || this.#view.strings().privateChat
    );
  }

  /** What a row of the conversation shows besides the summary (see `conversationRow`). */
  row(summary: RoomSummary, when: (iso: string | undefined) => string): ConversationRowView {
    const people = this.people(summary.room.id);
    const presence = people[0] && this.presence.get(people[0].id);
    return {
      name: this.name(summary),
      people,
      presence,
      strings: this.#view.strings(),
      when: when(summary.lastMessage?.createdAt),
      selfId: this.#client?.user?.id,
      _textLang: this.#view._textLang(),
    };
  }

  /** Remembers who is in a joined direct room: its people present, and the senders of its latest messages. */
  _learn(room: ChatRoom): void {
    if (room.room?.options.direct) learnPeople(room.id, [...room.members, ...room.messages.slice(-20).map((m) => m.user)], room.self?.id);
  }

  /** Asks the server where these people are (for last seen, and the dots of direct rooms). */
  async ask(userIds: string[]): Promise<void> {
    const client = this.#client;
    if (!client || userIds.length === 0) return;
    try {
      for (const p of await client.presenceOf(userIds.slice(0, 100))) this.presence.set(p.id, p);
      this.#host.requestUpdate();
    } catch {
      /* the dots stay as they were */
    }
  }

  #changed(list: RoomSummary[]): void {
    // An unread newest message is someone else's: in a direct room, one of its people.
    for (const s of list) if (s.room.options.direct && s.unread > 0 && s.lastMessage) learnPeople(s.room.id, [s.lastMessage.user]);
    this.list = list;
    const view = this.#view;
    void this.#notifier.check(
      view.notifies ? list.filter((summary) => view.notifies?.(summary)) : list,
      (s) => this.name(s),
      view.strings(),
      (roomId) => view.open(roomId),
    );
    const ids = [...new Set(list.flatMap((s) => (s.room.options.direct ? this.people(s.room.id).map((p) => p.id) : [])))];
    if (ids.join() !== this.#asked) {
      this.#asked = ids.join();
      void this.ask(ids);
    }
    this.#host.requestUpdate();
  }
}
