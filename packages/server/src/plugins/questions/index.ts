// Moderated Q&A as a plugin: `plugins: [questions()]`. Questions posted as messages, upvoted once
// per person with counts exact on every process, an upvote storm coalesced into a few
// `message:updated` frames, answered or hidden by moderators, listed by upvotes or newest
// (docs/live-events.md).
import {
  builtInError,
  QUESTION_LIMITS,
  questionAnswerPayloadSchema,
  questionAskPayloadSchema,
  questionHidePayloadSchema,
  questionListPayloadSchema,
  questionPendingPayloadSchema,
  questionReviewPayloadSchema,
  questionVotePayloadSchema,
  type QuestionAnswerResult,
  type QuestionAskResult,
  type QuestionList,
  type QuestionMessageResult,
  type QuestionPendingList,
  type QuestionReviewResult,
  type QuestionsJoin,
} from '@chat/protocol';
import { definePlugin, type DefinedPlugin, type PluginTools } from '../../core/plugin.js';
import { offersQuestions, QuestionBoard, type QuestionPage } from './question-board.js';
import { QuestionReview } from './question-review.js';
import { QUESTION_STORE } from './question-store-part.js';
import type { QuestionStore } from './question-store.js';
import { questionsConfig, type QuestionsOptions } from './questions-options.js';
import { questionsRoute } from './questions-route.js';

export { DEFAULT_QUESTION_UPDATES_PER_SECOND, type QuestionsOptions } from './questions-options.js';
export type {
  CountedQuestion,
  QuestionQuery,
  QuestionStore,
  StoredPendingQuestion,
  StoredQuestion,
  StoredUpvote,
  UpvoteOutcome,
} from './question-store.js';

/**
 * Moderated Q&A: `question:ask` posts a question (whoever may send a message), `question:upvote` /
 * `question:unvote` add and take back the asker's one upvote, `question:answer` and `question:hide`
 * for the room's owners and moderators (whom `authorize` allows `'question'`), `question:list` and
 * `GET /rooms/:id/questions` list them by upvotes or newest. Counts by `message:updated`, at most
 * `updatesPerSecond` a question; a user's own upvotes in the join answer (`plugins.questions.myUpvotes`)
 * and `questions:updated`. With `approval: true`, a question waits for a moderator (`question:pending`,
 * `question:review`) before the room sees it. Not in direct, encrypted or ephemeral rooms (their
 * join answers do not list the plugin).
 * @example createChatServer(httpServer, { plugins: [questions()] })
 */
export function questions(options: QuestionsOptions = {}): DefinedPlugin {
  const { updatesPerSecond, approval } = questionsConfig(options);
  const schemas = {
    ask: questionAskPayloadSchema(),
    vote: questionVotePayloadSchema(),
    answer: questionAnswerPayloadSchema(),
    hide: questionHidePayloadSchema(),
    list: questionListPayloadSchema(),
    pending: questionPendingPayloadSchema(),
    review: questionReviewPayloadSchema(),
  };
  // Per server (its tools): one plugin value may serve several servers of one process.
  const boards = new WeakMap<PluginTools<QuestionStore>, QuestionBoard>();
  const running = new Map<PluginTools<QuestionStore>, { stop: () => void; work: Set<Promise<void>> }>();
  const of = (tools: PluginTools<QuestionStore>) => {
    let board = boards.get(tools);
    if (!board) boards.set(tools, (board = new QuestionBoard(tools, updatesPerSecond)));
    return board;
  };
  const reviews = new WeakMap<PluginTools<QuestionStore>, QuestionReview>();
  const review = (tools: PluginTools<QuestionStore>) => {
    let found = reviews.get(tools);
    if (!found) reviews.set(tools, (found = new QuestionReview(tools, of(tools))));
    return found;
  };
  /** Refuses the review events where questions do not wait for approval. */
  const reviewed = (tools: PluginTools<QuestionStore>) => {
    if (!approval)
      throw builtInError(
        'VALIDATION_FAILED',
        'Questions do not wait for approval on this server: questions() is listed without approval: true.',
      );
    return review(tools);
  };
  return definePlugin<QuestionStore>({
    name: 'questions',
    store: QUESTION_STORE,
    events: {
      'question:ask': {
        payload: schemas.ask,
        handle: async ({ user, payload, handshake, socketId }, tools): Promise<QuestionAskResult> =>
          approval
            ? { pending: await review(tools).ask(payload, { user, handshake }) }
            : { message: await of(tools).ask(payload, { user, handshake, socketId }) },
      },
      'question:upvote': {
        payload: schemas.vote,
        handle: ({ user, payload, handshake }, tools) => of(tools).upvote(payload.roomId, payload.messageId, { user, handshake }),
      },
      'question:unvote': {
        payload: schemas.vote,
        handle: ({ user, payload, handshake }, tools) => of(tools).unvote(payload.roomId, payload.messageId, { user, handshake }),
      },
      'question:answer': {
        payload: schemas.answer,
        handle: ({ user, payload, handshake, socketId }, tools): Promise<QuestionAnswerResult> => {
          const { roomId, messageId, answered, reply, clientId } = payload;
          const answer = reply !== undefined && clientId !== undefined ? { clientId, text: reply } : undefined;
          return of(tools).answer(roomId, messageId, answered ?? true, { user, handshake, socketId }, answer);
        },
      },
      'question:hide': {
        payload: schemas.hide,
        handle: async ({ user, payload, handshake }, tools): Promise<QuestionMessageResult> => ({
          message: await of(tools).hide(payload.roomId, payload.messageId, payload.hidden ?? true, { user, handshake }),
        }),
      },
      'question:pending': {
        payload: schemas.pending,
        handle: async ({ user, payload, handshake }, tools): Promise<QuestionPendingList> => ({
          pending: await reviewed(tools).list(payload.roomId, { user, handshake }),
        }),
      },
      'question:review': {
        payload: schemas.review,
        handle: ({ user, payload, handshake }, tools): Promise<QuestionReviewResult> =>
          reviewed(tools).review(payload.roomId, payload.questionId, payload.approve, { user, handshake }),
      },
      'question:list': {
        payload: schemas.list,
        handle: async ({ user, payload, handshake }, tools): Promise<QuestionList> => {
          const page: QuestionPage = {
            sort: payload.sort ?? 'top',
            limit: payload.limit ?? QUESTION_LIMITS.defaultList,
            offset: payload.offset ?? 0,
          };
          return { questions: await of(tools).list(payload.roomId, page, { user, handshake }) };
        },
      },
    },
    routes: (tools) => [questionsRoute(tools, () => of(tools))],
    // Not listed where asks are refused (a direct, encrypted or ephemeral room), so no client offers them there.
    joinAnswer: async ({ user, roomId }, tools): Promise<QuestionsJoin | undefined> =>
      !offersQuestions(await tools.getRoom(roomId))
        ? undefined
        : {
            myUpvotes: await of(tools).myUpvotes(roomId, user.id),
            ...(approval && (await review(tools).joinState(roomId, user.id))),
          },
    // A question, an upvote and a question waiting for approval are their person's: all exported to
    // them. Erased, their upvotes go and the counts of those questions drop by them; the questions
    // they asked go with their messages, and those waiting go too.
    personalData: {
      export: async (userId, tools) => ({
        questions: await tools.store.questionsByUser(userId),
        upvotes: await tools.store.upvotesByUser(userId),
        pending: await tools.store.pendingByUser(userId),
      }),
      erase: async (userId, tools) => {
        await of(tools).erase(userId);
        await review(tools).erase(userId);
      },
    },
    start: (tools) => {
      const board = of(tools);
      const work = new Set<Promise<void>>();
      const stop = tools.onMessage((event) => {
        const tracked = board.heard(event).catch((error: unknown) => tools.report(error));
        work.add(tracked);
        void tracked.finally(() => work.delete(tracked));
      });
      board.tally.start();
      running.set(tools, { stop, work });
    },
    close: async (tools) => {
      const server = running.get(tools);
      running.delete(tools);
      server?.stop();
      await Promise.allSettled([...(server?.work ?? [])]);
      await boards.get(tools)?.tally.stop();
    },
  });
}
