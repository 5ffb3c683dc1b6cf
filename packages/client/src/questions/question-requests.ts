// What `room.questions` sends, loaded the first time a page asks, upvotes, answers, hides or lists
// questions (the widget: with its questions chunk).
import {
  builtInError,
  ChatError,
  type CustomRequestName,
  type Message,
  type PendingQuestion,
  type QuestionsJoin,
  type RequestPayloadOf,
  type RequestResultOf,
} from '@chat/protocol';
import type { PluginLink } from '../core/plugin-link.js';
import { uuid } from '../core/uuid.js';
import type { QuestionListOptions, QuestionsStateHost } from './question-types.js';

/** The requests of one room's questions. */
export function questionRequests(roomId: string, room: QuestionsStateHost, link: PluginLink) {
  /**
   * Sends a request; where the server offers no questions (its answer to an event it does not
   * know is a bare "Unknown event"), rejects with a sentence that says so. Any other refusal is the
   * server's own (a direct room's: questions are not available there).
   */
  const send = async <E extends CustomRequestName>(event: E, payload: RequestPayloadOf<E>): Promise<RequestResultOf<E>> => {
    try {
      return await link.request(event, payload);
    } catch (error) {
      if (room.plugins['questions'] !== undefined || !(error instanceof ChatError) || !error.message.startsWith('Unknown event'))
        throw error;
      throw builtInError('VALIDATION_FAILED', 'This server does not offer questions: its questions() plugin is not listed.', {
        cause: error,
      });
    }
  };
  /** Sends an upvote or takes it back, and keeps the answer in the room's `plugins.questions` (the room's `updated` fires). */
  const vote = async (event: 'question:upvote' | 'question:unvote', messageId: string): Promise<boolean> => {
    const { upvoted } = await send(event, { roomId, messageId });
    const state = room.plugins['questions'] as QuestionsJoin | undefined;
    if (state) {
      const others = state.myUpvotes.filter((id) => id !== messageId);
      room._pluginState('questions', { myUpvotes: upvoted ? [messageId, ...others] : others });
    }
    return upvoted;
  };
  return {
    /** Asks a question; the asker's own copy comes in the answer (the room's goes to the others), or the question waiting for approval. */
    async ask(text: string): Promise<Message | PendingQuestion> {
      const asked = await send('question:ask', { roomId, clientId: uuid(), text });
      if ('pending' in asked) {
        const state = room.plugins['questions'] as QuestionsJoin | undefined;
        const mine = (state?.myPending ?? []).filter((q) => q.id !== asked.pending.id);
        room._pluginState('questions', { myPending: [...mine, asked.pending] });
        return asked.pending;
      }
      room._receiveMessage(asked.message);
      return asked.message;
    },
    /** The room's questions waiting for approval (moderators). */
    async pending(): Promise<PendingQuestion[]> {
      return (await send('question:pending', { roomId })).pending;
    },
    /** Approves (the posted message) or rejects (undefined) a waiting question. */
    async review(questionId: string, approve: boolean): Promise<Message | undefined> {
      return (await send('question:review', { roomId, questionId, approve })).message;
    },
    upvote: (messageId: string) => vote('question:upvote', messageId),
    unvote: (messageId: string) => vote('question:unvote', messageId),
    /** Marks a question answered or not, or answers it with a reply in its thread; resolves with its message as stored now. */
    async answer(messageId: string, answered: boolean | string): Promise<Message> {
      const payload = typeof answered === 'string' ? { reply: answered, clientId: uuid() } : { answered };
      return (await send('question:answer', { roomId, messageId, ...payload })).message;
    },
    /** Hides a question or shows it again; resolves with its message as stored now. */
    async hide(messageId: string, hidden: boolean): Promise<Message> {
      return (await send('question:hide', { roomId, messageId, hidden })).message;
    },
    /** A page of the room's questions. */
    async list(options: QuestionListOptions): Promise<Message[]> {
      return (await send('question:list', { ...options, roomId })).questions;
    },
  };
}
