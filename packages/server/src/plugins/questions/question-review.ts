// Questions that wait for a moderator (`questions({ approval: true })`): an ask is checked as a
// message would be and kept apart; its asker's devices and the room's count learn of it, the
// moderators list the waiting ones and approve (posted then as the asker's message, as any
// question) or reject (dropped). Nobody else ever receives a waiting question's text.
import { randomUUID } from 'node:crypto';
import {
  builtInError,
  ChatError,
  QUESTION_LIMITS,
  type Message,
  type PendingQuestion,
  type QuestionAskPayload,
  type QuestionsJoin,
} from '@chat/protocol';
import type { PluginTools } from '../../core/plugin.js';
import { ChatAction } from '../../core/policy.js';
import type { QuestionActor, QuestionBoard } from './question-board.js';
import type { QuestionStore, StoredPendingQuestion } from './question-store.js';

/** A waiting question as its asker and the moderators see it (the asker's roles stay on the server). */
const view = (q: StoredPendingQuestion): PendingQuestion => ({
  pending: true,
  id: q.id,
  roomId: q.roomId,
  user: { id: q.user.id, name: q.user.name, ...(q.user.avatarUrl !== undefined && { avatarUrl: q.user.avatarUrl }) },
  text: q.text,
  askedAt: q.askedAt,
});

/** The waiting questions of one server. */
export class QuestionReview {
  constructor(
    private readonly tools: PluginTools<QuestionStore>,
    private readonly board: QuestionBoard,
  ) {}

  /**
   * Keeps a question to wait for approval, after the checks a message gets when it is sent (the
   * room, `authorize`'s `message:send`, a ban, a mute, a frozen room, slow mode) and the asker's
   * most waiting at once. A resend with the same `clientId` answers the one kept, checked and told
   * of once.
   */
  async ask(payload: QuestionAskPayload, actor: QuestionActor): Promise<PendingQuestion> {
    const { roomId, clientId } = payload;
    const { user, handshake } = actor;
    const mine = await this.tools.store.pendingIn(roomId, QUESTION_LIMITS.pendingPerUser, user.id);
    const resent = mine.find((q) => q.clientId === clientId);
    if (resent) return view(resent);
    await this.board.checkRoom(roomId);
    if (!(await this.tools.authorize(ChatAction.MESSAGE_SEND, { user, roomId, ...(handshake && { handshake }) }))) {
      throw builtInError('FORBIDDEN', 'You may not send messages in this room, so you may not ask questions in it.');
    }
    await this.tools.checkWrite(user, roomId, 'send');
    // Two asks at the same moment may both pass: the most is kept within one or two.
    if (mine.length >= QUESTION_LIMITS.pendingPerUser) {
      throw builtInError(
        'PAYLOAD_TOO_LARGE',
        `You have ${QUESTION_LIMITS.pendingPerUser} questions waiting for a moderator in this room: ask again once some are reviewed.`,
      );
    }
    // Who asked, as `authorize` will see them at the approval; nothing else of what `authenticate` gave.
    const asker = {
      id: user.id,
      name: user.name,
      ...(user.avatarUrl !== undefined && { avatarUrl: user.avatarUrl }),
      ...(user.roles && { roles: user.roles }),
    };
    const id = randomUUID();
    const kept = await this.tools.store.addPending({
      id,
      roomId,
      user: asker,
      clientId,
      text: payload.text.trim(),
      askedAt: new Date().toISOString(),
    });
    if (kept.id === id) await this.#changed(roomId, user.id);
    return view(kept);
  }

  /** The room's waiting questions, oldest first (at most `QUESTION_LIMITS.pending`); moderators only. */
  async list(roomId: string, actor: QuestionActor): Promise<PendingQuestion[]> {
    await this.#moderator(roomId, actor, 'see the questions waiting for approval');
    return (await this.tools.store.pendingIn(roomId, QUESTION_LIMITS.pending)).map(view);
  }

  /**
   * Approves a waiting question (posted as its asker's message, as any question: the room gets it)
   * or rejects it; moderators only. A question reviewed already is `VALIDATION_FAILED` naming it.
   * When the post is refused for its asker (banned, muted or removed since, the room frozen or
   * ended, `beforeMessage`), the question no longer waits and the moderator gets the refusal's code
   * with a sentence saying so; another failure (the store) leaves it waiting.
   */
  async review(roomId: string, questionId: string, approve: boolean, actor: QuestionActor): Promise<{ message?: Message }> {
    await this.#moderator(roomId, actor, 'review questions');
    const question = await this.tools.store.takePending(roomId, questionId);
    if (!question) {
      throw builtInError(
        'VALIDATION_FAILED',
        `"question:review": questionId: no question "${questionId}" waits in this room (it may have been reviewed already).`,
      );
    }
    let message: Message | undefined;
    if (approve) {
      try {
        message = await this.board.ask({ roomId, clientId: question.clientId, text: question.text }, { user: question.user }, true);
      } catch (error) {
        if (!(error instanceof ChatError) || error.retryable) {
          await this.tools.store.addPending(question);
          throw error;
        }
        await this.#changed(roomId, question.user.id);
        throw builtInError(
          error.code,
          `This question cannot be posted as ${question.user.name}’s message (“${error.message}”), so it no longer waits.`,
        );
      }
    }
    await this.#changed(roomId, question.user.id);
    return message ? { message } : {};
  }

  /** What the join answer adds where questions wait: the room's count and the joining user's own. */
  async joinState(roomId: string, userId: string): Promise<Required<Pick<QuestionsJoin, 'pending' | 'myPending'>>> {
    const [pending, mine] = await Promise.all([
      this.tools.store.pendingCount(roomId),
      this.tools.store.pendingIn(roomId, QUESTION_LIMITS.pendingPerUser, userId),
    ]);
    return { pending, myPending: mine.map(view) };
  }

  /** Removes a person's waiting questions; the rooms' counts follow. */
  async erase(userId: string): Promise<void> {
    for (const roomId of await this.tools.store.erasePending(userId))
      this.tools.emitToRoom(roomId, 'questions:updated', { roomId, pending: await this.tools.store.pendingCount(roomId) });
  }

  // A waiting question came or went: its asker's devices get their own, the room the count.
  async #changed(roomId: string, userId: string): Promise<void> {
    const { pending, myPending } = await this.joinState(roomId, userId);
    this.tools.emitToUser(userId, 'questions:updated', { roomId, myPending });
    this.tools.emitToRoom(roomId, 'questions:updated', { roomId, pending });
  }

  async #moderator(roomId: string, actor: QuestionActor, what: string): Promise<void> {
    const { user, handshake } = actor;
    if (!(await this.tools.authorize(ChatAction.QUESTION, { user, roomId, ...(handshake && { handshake }) }))) {
      throw builtInError('FORBIDDEN', `Only the room’s owners and moderators can ${what}.`);
    }
  }
}
