import type { ReactiveControllerHost } from 'lit';
import type { ChatClient, ChatError, ChatRoom, Member } from '@chat/client';
import type { ConversationsController } from '../conversations/conversations-controller.js';
import { learnPeople } from '../conversations/direct-people.js';
import type { RoomUnread } from '../events.js';
import type { ChatStrings } from '../i18n/strings.js';
import { statusLine } from '../parts/status-line.js';

/** What switching conversations asks of the room view. */
export interface PrivateView {
  client(): ChatClient | undefined;
  /** The widget's own room (the `room` attribute). */
  home(): string | undefined;
  /** Shows the room now wanted (`shown`, else the widget's room). */
  show(): void;
  fail(error: ChatError): void;
}

/**
 * Private conversations inside `<chat-room>`: a person's card in the people panel, "Message
 * privately" (`client.direct`), the direct room shown in place of the widget's room, and the
 * way back. The widget's room stays joined meanwhile, so its messages and counts go on.
 */
export class PrivateController {
  /** The direct room shown instead of the widget's room, if any. */
  shown: string | undefined;
  /** The person whose card is open. */
  card: string | undefined;
  /** Fingerprints of people whose card was opened (`client.e2ee.fingerprint`), by user id. */
  readonly fingerprints = new Map<string, string>();
  readonly #host: ReactiveControllerHost;
  readonly #view: PrivateView;
  readonly #conversations: ConversationsController;

  constructor(host: ReactiveControllerHost, view: PrivateView, conversations: ConversationsController) {
    this.#host = host;
    this.#view = view;
    this.#conversations = conversations;
  }

  /** Opens (or closes) a person's card; where they are is asked for their last seen. */
  toggleCard(member: Member): void {
    if (this.card === member.id) this.card = undefined;
    else this._openCard(member.id);
    this.#host.requestUpdate();
  }

  /** Opens the card of `userId` (the people panel shows it, if they are here), with their fingerprint asked again. */
  _openCard(userId: string): void {
    this.card = userId;
    void this.#conversations.ask([userId]);
    // Their fingerprint, once this device shares an encrypted room with them, to compare.
    void this.#view
      .client()
      ?.e2ee?.fingerprint(userId)
      .then((fingerprint) => fingerprint && (this.fingerprints.set(userId, fingerprint), this.#host.requestUpdate()));
    this.#host.requestUpdate();
  }

  /** Their keys changed (`e2ee:keychange`): the fingerprint kept is old; an open card shows the new one. */
  _keyChanged(userId: string): void {
    this.fingerprints.delete(userId);
    if (this.card === userId) this._openCard(userId);
  }

  /** Opens the private conversation with `member` (the same room every time). */
  async message(member: Member): Promise<void> {
    const client = this.#view.client();
    if (!client) return;
    try {
      const room = await client.direct(member.id);
      learnPeople(room.id, [member]);
      this.open(room.id);
    } catch (error) {
      this.#view.fail(error as ChatError);
    }
  }

  /** Shows a conversation: a direct room, or the widget's own room. */
  open(roomId: string): void {
    this.shown = roomId === this.#view.home() ? undefined : roomId;
    this.card = undefined;
    // Where its people are now (the header says when someone offline was last seen).
    void this.#conversations.ask(this.#conversations.people(roomId).map((p) => p.id));
    this.#view.show();
  }

  /** Back to the widget's room. */
  back(): void {
    this.shown = undefined;
    this.#view.show();
  }

  /**
   * The header's view of the room shown (`room`): its title, and in a private conversation the way
   * back to the widget's room (`home`, with its counts) and the other person's status; else the
   * people toggle (`people`) with the counts of the private conversations.
   */
  header(
    room: ChatRoom | undefined,
    home: ChatRoom | undefined,
    heading: string | undefined,
    counts: RoomUnread[],
    strings: ChatStrings,
    when: (iso: string | undefined) => string,
    people: { count: number; open: boolean; onToggle: () => void },
  ) {
    const conversations = this.#conversations;
    const shown = this.shown;
    const direct = shown !== undefined && room?.id === shown ? room : undefined;
    // The widget's room by its title (a direct room: by its people), else its id.
    const homeName = heading ?? (home?.room ? conversations.name({ room: home.room }) : (this.#view.home() ?? ''));
    const title = direct?.room ? conversations.name({ room: direct.room }) : homeName;
    if (direct) conversations._learn(direct);
    const other = direct && conversations.people(direct.id)[0];
    const sum = (rooms: RoomUnread[], key: 'unread' | 'mentions') => rooms.reduce((n, r) => n + r[key], 0);
    return {
      direct,
      title,
      back: shown === undefined ? undefined : { name: homeName, ...(counts[0] ?? { unread: 0, mentions: 0 }), onBack: () => this.back() },
      status:
        other && direct
          ? statusLine(
              // Live where they are present (here, or in the widget's room); else as last asked.
              [...direct.members, ...(home?.members ?? [])].find((m) => m.id === other.id),
              conversations.presence.get(other.id),
              strings,
              when,
            )
          : undefined,
      people:
        shown === undefined ? { ...people, unread: sum(counts.slice(1), 'unread'), mentions: sum(counts.slice(1), 'mentions') } : undefined,
    };
  }
}
