import type { ReactiveControllerHost } from 'lit';
import type { ChatClient, ChatError, Member } from '@chat/client';
import type { ConversationsController } from '../conversations/conversations-controller.js';
import { learnPeople } from '../conversations/direct-people.js';

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
    this.card = this.card === member.id ? undefined : member.id;
    if (this.card) void this.#conversations.ask([member.id]);
    this.#host.requestUpdate();
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
}
