// The questions of one server (its tools): a question posted as a message, upvotes checked and
// stored, answered and hidden by moderators, listed by upvotes or newest, and each question's
// message kept to its exact count by the tally's coalesced refreshes.
import {
  builtInError,
  ChatError,
  type ChatUser,
  type Message,
  type Question,
  type QuestionAskPayload,
  type QuestionMyUpvote,
  type QuestionSort,
  type Room,
} from '@chat/protocol';
import type { ChatHandshake } from '../../core/handshake.js';
import type { PluginMessageEvent, PluginTools } from '../../core/plugin.js';
import { ChatAction } from '../../core/policy.js';
import type { CountedQuestion, QuestionStore } from './question-store.js';
import { MessageTally } from '../../core/message-tally.js';

/** Who asks: a socket's or REST caller's user, its handshake and the socket (it gets the new question in its ack). */
export interface QuestionActor {
  user: ChatUser;
  handshake?: ChatHandshake;
  socketId?: string;
}

/** A page of a room's questions, as asked. */
export interface QuestionPage {
  sort: QuestionSort;
  limit: number;
  offset: number;
}

/** Questions a join answer gives the joining user's upvotes of, newest upvote first. */
const JOIN_UPVOTES = 500;

/** The question as the whole room sees it. */
const view = (q: CountedQuestion): Question => ({ upvotes: q.upvotes, answered: q.answered, hidden: q.hidden });
const sameView = (a: Question, b: Question) => a.upvotes === b.upvotes && a.answered === b.answered && a.hidden === b.hidden;

/** Whether a room may have questions: not a direct, encrypted or ephemeral one (`checkRoom` says why). */
export function offersQuestions(room: Room | null): boolean {
  const { direct, encrypted, ephemeral } = room?.options ?? {};
  return direct !== true && encrypted !== true && ephemeral !== true;
}

/** The questions of one server. */
export class QuestionBoard {
  readonly tally: MessageTally;

  constructor(
    private readonly tools: PluginTools<QuestionStore>,
    updatesPerSecond: number,
  ) {
    const refresh = async (roomId: string, messageId: string) => void (await this.refresh(roomId, messageId));
    this.tally = new MessageTally(refresh, (error) => tools.report(error), updatesPerSecond);
  }

  /** Refuses a room where questions cannot be (direct, encrypted, ephemeral) with a sentence that says why. */
  async checkRoom(roomId: string): Promise<void> {
    const room = await this.tools.getRoom(roomId);
    if (room?.options.direct === true) {
      throw builtInError(
        'VALIDATION_FAILED',
        'Questions are not available in direct conversations: a Q&A is for the audience of a room, not for the people of a conversation.',
      );
    }
    if (room?.options.encrypted === true) {
      throw builtInError(
        'VALIDATION_FAILED',
        'Questions are not available in end-to-end encrypted rooms: the server would have to read them to list and sort them.',
      );
    }
    if (room?.options.ephemeral === true) {
      throw builtInError(
        'VALIDATION_FAILED',
        'Questions are not available in ephemeral rooms: their messages and upvotes are never stored.',
      );
    }
  }

  /**
   * Posts a question as the actor's message; the room gets it with its `question`. `reviewed`: a
   * question that waited, approved now (the actor is its asker; see `PluginMessageInput.reviewed`).
   */
  async ask(payload: QuestionAskPayload, actor: QuestionActor, reviewed = false): Promise<Message> {
    const { roomId, clientId } = payload;
    const text = payload.text.trim();
    await this.checkRoom(roomId);
    const fresh: Question = { upvotes: 0, answered: false, hidden: false };
    const message = await this.tools.postMessage(roomId, {
      user: actor.user,
      ...(actor.handshake && { handshake: actor.handshake }),
      clientId,
      text,
      action: ChatAction.MESSAGE_SEND,
      ...(actor.socketId !== undefined && { exceptSocketId: actor.socketId }),
      question: fresh,
      ...(reviewed && { reviewed }),
    });
    // A resend of an ask whose message was stored without its question (a crash in between)
    // finishes it; a clientId of another message is refused.
    if (message.question === undefined && message.text !== text) {
      throw builtInError('VALIDATION_FAILED', 'This clientId is already used by another message.');
    }
    await this.tools.store.create({
      roomId,
      messageId: message.id,
      seq: message.seq,
      askedBy: actor.user.id,
      askedAt: message.createdAt,
      answered: false,
      hidden: false,
    });
    if (message.question !== undefined) return message;
    return (await this.refresh(roomId, message.id)) ?? message;
  }

  /** Adds the actor's upvote (once per person: a second one changes nothing); the count follows within a tick. */
  async upvote(roomId: string, messageId: string, actor: QuestionActor): Promise<QuestionMyUpvote> {
    const question = await this.#question(roomId, messageId);
    if (question.hidden)
      throw builtInError('VALIDATION_FAILED', '"question:upvote": messageId: this question is hidden: it takes no upvotes.');
    await this.tools.checkWrite(actor.user, roomId, 'react');
    const outcome = await this.tools.store.upvote({ roomId, messageId, userId: actor.user.id, upvotedAt: new Date().toISOString() });
    if (outcome === 'missing') throw await this.#notQuestion(roomId, messageId, 'question:upvote');
    if (outcome === 'upvoted') await this.#changed(roomId, messageId, actor.user.id);
    return { roomId, messageId, upvoted: true };
  }

  /** Takes the actor's upvote back (nothing when there is none). */
  async unvote(roomId: string, messageId: string, actor: QuestionActor): Promise<QuestionMyUpvote> {
    await this.#question(roomId, messageId, 'question:unvote');
    if (await this.tools.store.unvote(messageId, actor.user.id)) await this.#changed(roomId, messageId, actor.user.id);
    return { roomId, messageId, upvoted: false };
  }

  /**
   * Marks a question answered or not (whom `authorize` allows `'question'`); the room gets it at
   * once. With `reply`, the answer is posted first as the actor's reply in the question's thread
   * (on the path of every message: a muted moderator's is refused, and nothing is marked).
   */
  async answer(
    roomId: string,
    messageId: string,
    answered: boolean,
    actor: QuestionActor,
    reply?: { clientId: string; text: string },
  ): Promise<{ message: Message; reply?: Message }> {
    await this.#moderate(roomId, messageId, actor, 'question:answer', 'mark a question answered');
    const posted =
      reply &&
      (await this.tools.postMessage(roomId, {
        user: actor.user,
        ...(actor.handshake && { handshake: actor.handshake }),
        clientId: reply.clientId,
        text: reply.text.trim(),
        action: ChatAction.MESSAGE_SEND,
        // Every socket of the room gets the reply as any thread reply, the moderator's too.
        threadOf: messageId,
      }));
    await this.tools.store.setAnswered(messageId, answered);
    const message = await this.#refreshed(roomId, messageId);
    return posted ? { message, reply: posted } : { message };
  }

  /** Hides a question or shows it again (whom `authorize` allows `'question'`); the room gets it at once. */
  async hide(roomId: string, messageId: string, hidden: boolean, actor: QuestionActor): Promise<Message> {
    await this.#moderate(roomId, messageId, actor, 'question:hide', 'hide a question');
    await this.tools.store.setHidden(messageId, hidden);
    return this.#refreshed(roomId, messageId);
  }

  /** A page of the room's questions with their exact counts; hidden ones only for whom `authorize` allows `'question'`. */
  async list(roomId: string, page: QuestionPage, actor: QuestionActor): Promise<Message[]> {
    const { user, handshake } = actor;
    const hidden = await this.tools.authorize(ChatAction.QUESTION, { user, roomId, ...(handshake && { handshake }) });
    const questions = await this.tools.store.list(roomId, { ...page, hidden });
    const messages = await Promise.all(
      questions.map(async (question): Promise<Message | undefined> => {
        const message = await this.tools.getMessage(roomId, question.messageId);
        // Its message deleted (the store's drop may not have run yet): no question any more.
        if (!message || message.deletedAt !== undefined) return undefined;
        return { ...message, question: view(question) };
      }),
    );
    return messages.filter((m): m is Message => m !== undefined);
  }

  /** The joining user's upvotes in the room, by message id. */
  myUpvotes(roomId: string, userId: string): Promise<string[]> {
    return this.tools.store.myUpvotes(roomId, userId, JOIN_UPVOTES);
  }

  /**
   * Sets the question's message from the store. Another process may set it at the same time from
   * a count read a moment earlier, after this: so the store is read again once it is set, and a
   * difference refreshes it on the next tick. The last message set is thus always the exact one.
   */
  async refresh(roomId: string, messageId: string): Promise<Message | undefined> {
    const question = await this.tools.store.get(messageId);
    if (!question) return undefined;
    const shown = view(question);
    let message: Message;
    try {
      message = await this.tools.setQuestion(roomId, messageId, shown);
    } catch (error) {
      // Its message was deleted (the deletion heard by another process): the question goes with it.
      if (error instanceof ChatError && error.code === 'MESSAGE_NOT_FOUND') await this.tools.store.drop(messageId);
      else throw error;
      return undefined;
    }
    const again = await this.tools.store.get(messageId);
    if (again && !sameView(shown, view(again))) this.tally.mark(roomId, messageId);
    return message;
  }

  /** A deleted message's question goes, with its upvotes. */
  async heard({ kind, message }: PluginMessageEvent): Promise<void> {
    if (kind === 'deleted') await this.tools.store.drop(message.id);
  }

  /** Removes a person's upvotes (the counts of those questions follow) and the questions they asked. */
  async erase(userId: string): Promise<void> {
    // The counts set before the erase answers (not on the next tick): whoever reads after it reads them.
    for (const { roomId, messageId } of await this.tools.store.eraseVoter(userId)) await this.refresh(roomId, messageId);
    await this.tools.store.eraseAsker(userId);
  }

  // An upvote added or taken back: the count on the next tick, and the upvoter's devices told.
  async #changed(roomId: string, messageId: string, userId: string): Promise<void> {
    this.tally.mark(roomId, messageId);
    this.tools.emitToUser(userId, 'questions:updated', { roomId, myUpvotes: await this.myUpvotes(roomId, userId) });
  }

  // The room's question, or VALIDATION_FAILED naming messageId (another room's question is none here).
  async #question(roomId: string, messageId: string, event = 'question:upvote'): Promise<CountedQuestion> {
    const question = await this.tools.store.get(messageId);
    if (!question || question.roomId !== roomId) throw await this.#notQuestion(roomId, messageId, event);
    return question;
  }

  async #notQuestion(roomId: string, messageId: string, event: string): Promise<ChatError> {
    const message = await this.tools.getMessage(roomId, messageId);
    const why =
      message && message.deletedAt === undefined ? 'this message is not a question.' : `there is no message "${messageId}" in this room.`;
    return builtInError('VALIDATION_FAILED', `"${event}": messageId: ${why}`);
  }

  // The question exists in the room and the actor may moderate it, else a sentence.
  async #moderate(roomId: string, messageId: string, actor: QuestionActor, event: string, what: string): Promise<void> {
    await this.#question(roomId, messageId, event);
    const message = await this.tools.getMessage(roomId, messageId);
    if (!message) throw await this.#notQuestion(roomId, messageId, event);
    const { user, handshake } = actor;
    const allowed = await this.tools.authorize(ChatAction.QUESTION, { user, roomId, message, ...(handshake && { handshake }) });
    if (!allowed) throw builtInError('FORBIDDEN', `Only the room’s owners and moderators can ${what}.`);
  }

  async #refreshed(roomId: string, messageId: string): Promise<Message> {
    const message = (await this.refresh(roomId, messageId)) ?? (await this.tools.getMessage(roomId, messageId));
    if (!message) throw await this.#notQuestion(roomId, messageId, 'question');
    return message;
  }
}
