// `room.questions`: a room's moderated Q&A (the server's `questions()` plugin). A question is a
// message (`message.question`, its counts moved by `message:updated`); what the room keeps is the
// user's own upvotes, the plugin state `plugins.questions.myUpvotes`: brought by each join answer,
// replaced by `questions:updated` (an upvote on any of the user's devices) and set by an upvote's
// answer. Where questions wait for approval, the state also has the room's waiting count and the
// user's own waiting questions (`pending`, `myPending`). The requests are loaded on first use.
import type { Message, PendingQuestion, QuestionsJoin } from '@chat/protocol';
import type { PluginLink } from '../core/plugin-link.js';
import type { QuestionListOptions, QuestionsStateHost } from './question-types.js';

export type { QuestionListOptions, QuestionsStateHost } from './question-types.js';

/**
 * A room's questions: ask one, upvote, and (moderators) mark answered or hide; your own upvotes
 * are the same on all your devices (a change fires the room's `updated`). Counts are on the
 * message (`message.question`).
 * @example const q = await room.questions.ask('Will there be a recording?');
 * if (!('pending' in q)) await room.questions.upvote(q.id);
 */
export class RoomQuestions {
  constructor(
    private readonly roomId: string,
    private readonly room: QuestionsStateHost,
    private readonly link: PluginLink,
  ) {}

  /** Whether the room offers questions: the server's `questions()` plugin is listed in its join answer (never in a direct room). */
  get available(): boolean {
    return this.room.plugins['questions'] !== undefined;
  }

  /** The ids of the questions' messages you upvoted, newest upvote first (none where the server offers no questions). */
  get myUpvotes(): readonly string[] {
    return this.#state?.myUpvotes ?? [];
  }

  /** Whether questions wait for a moderator's approval before the room sees them (the server's `questions({ approval: true })`). */
  get approval(): boolean {
    return this.#state?.pending !== undefined;
  }

  /** How many questions wait for approval in the room now (0 where none wait or questions are not reviewed). */
  get pendingCount(): number {
    return this.#state?.pending ?? 0;
  }

  /** Your own questions waiting for approval, oldest first: an approved one becomes a message, a rejected one goes. */
  get myPending(): readonly PendingQuestion[] {
    return this.#state?.myPending ?? [];
  }

  get #state(): QuestionsJoin | undefined {
    return this.room.plugins['questions'] as QuestionsJoin | undefined;
  }

  /** Whether your upvote is on the question of message `messageId`. */
  upvoted(messageId: string): boolean {
    return this.myUpvotes.includes(messageId);
  }

  /**
   * Asks a question as a message of the room; resolves with the message (`message.question`), in
   * `messages` already, or, where questions wait for approval, with the question waiting
   * (`pending: true`, in `myPending` already). Rejects with the server's `ChatError`
   * (`VALIDATION_FAILED` naming the field).
   */
  ask(text: string): Promise<Message | PendingQuestion> {
    return this.#requests().then((sent) => sent.ask(text));
  }

  /** The room's questions waiting for approval, oldest first; the room's owners and moderators, else `FORBIDDEN`. */
  pending(): Promise<PendingQuestion[]> {
    return this.#requests().then((sent) => sent.pending());
  }

  /**
   * Approves a waiting question (it is posted as its asker's message, which resolves) or rejects it
   * (resolves undefined); the room's owners and moderators, else `FORBIDDEN`.
   */
  review(questionId: string, approve: boolean): Promise<Message | undefined> {
    return this.#requests().then((sent) => sent.review(questionId, approve));
  }

  /** Upvotes the question of message `messageId` (once: again changes nothing); resolves with whether your upvote is on it. */
  upvote(messageId: string): Promise<boolean> {
    return this.#requests().then((sent) => sent.upvote(messageId));
  }

  /** Takes your upvote back (none: nothing changes); resolves with whether your upvote is on it. */
  unvote(messageId: string): Promise<boolean> {
    return this.#requests().then((sent) => sent.unvote(messageId));
  }

  /**
   * Marks a question answered (`false`: not; a text: answered, with that text posted as your reply in
   * the question's thread); the room's owners and moderators, else `FORBIDDEN`. Resolves with its message.
   */
  answer(messageId: string, answered: boolean | string = true): Promise<Message> {
    return this.#requests().then((sent) => sent.answer(messageId, answered));
  }

  /** Hides a question from readers (`false`: shows it again); the room's owners and moderators, else `FORBIDDEN`. */
  hide(messageId: string, hidden = true): Promise<Message> {
    return this.#requests().then((sent) => sent.hide(messageId, hidden));
  }

  /** A page of the room's questions, by upvotes (`sort: 'top'`) or newest; hidden ones for moderators only. */
  list(options: QuestionListOptions = {}): Promise<Message[]> {
    return this.#requests().then((sent) => sent.list(options));
  }

  /** What the questions send, loaded on first use. */
  async #requests() {
    return (await import('./question-requests.js')).questionRequests(this.roomId, this.room, this.link);
  }
}
