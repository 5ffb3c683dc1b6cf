// Polls as a plugin: `plugins: [polls()]`. A question with 2 to 10 options posted as a message,
// votes stored and counted exactly on every process, a vote storm coalesced into a few
// `message:updated` frames, closed by its creator, a moderator or its time (docs/live-events.md).
import {
  pollClosePayloadSchema,
  pollCreatePayloadSchema,
  pollVotePayloadSchema,
  type PollMessageResult,
  type PollsJoin,
} from '@chat/protocol';
import { definePlugin, type DefinedPlugin, type PluginTools } from '../../core/plugin.js';
import { PollBoard } from './poll-board.js';
import { POLL_STORE } from './poll-store-part.js';
import type { PollStore } from './poll-store.js';
import { pollsConfig, type PollsOptions } from './polls-options.js';

export { DEFAULT_POLL_UPDATES_PER_SECOND, type PollsOptions } from './polls-options.js';
export type { OptionCount, PollStore, StoredPoll, StoredVote, VoteOutcome } from './poll-store.js';

/** How often each process closes the polls whose time passed (votes are refused from that time on already). */
const CLOSE_DUE_MS = 1000;

/**
 * Polls: `poll:create` posts a poll (whom `authorize` allows `'poll'`; by default whoever may
 * write in the room), `poll:vote` replaces the voter's choices, `poll:close` closes it (its
 * creator, the room's owners and moderators). Counts by `message:updated`, at most
 * `updatesPerSecond` a poll; a voter's own choices in the `poll:vote` ack, `polls:updated` and the
 * join answer (`plugins.polls.myVotes`). Not in encrypted or ephemeral rooms.
 * @example createChatServer(httpServer, { plugins: [polls()] })
 */
export function polls(options: PollsOptions = {}): DefinedPlugin {
  const { updatesPerSecond } = pollsConfig(options);
  const schemas = { create: pollCreatePayloadSchema(), vote: pollVotePayloadSchema(), close: pollClosePayloadSchema() };
  // Per server (its tools): one plugin value may serve several servers of one process.
  const boards = new WeakMap<PluginTools<PollStore>, PollBoard>();
  const running = new Map<PluginTools<PollStore>, { stop: () => void; sweep: NodeJS.Timeout; work: Set<Promise<void>> }>();
  const of = (tools: PluginTools<PollStore>) => {
    let board = boards.get(tools);
    if (!board) boards.set(tools, (board = new PollBoard(tools, updatesPerSecond)));
    return board;
  };
  return definePlugin<PollStore>({
    name: 'polls',
    store: POLL_STORE,
    events: {
      'poll:create': {
        payload: schemas.create,
        handle: async ({ user, payload, handshake, socketId }, tools): Promise<PollMessageResult> => ({
          message: await of(tools).create(payload, { user, handshake, socketId }),
        }),
      },
      'poll:vote': {
        payload: schemas.vote,
        handle: ({ user, payload, handshake }, tools) => of(tools).vote(payload, { user, handshake }),
      },
      'poll:close': {
        payload: schemas.close,
        handle: async ({ user, payload, handshake }, tools): Promise<PollMessageResult> => ({
          message: await of(tools).close(payload.roomId, payload.messageId, { user, handshake }),
        }),
      },
    },
    joinAnswer: async ({ user, roomId }, tools): Promise<PollsJoin> => ({ myVotes: await of(tools).myVotes(roomId, user.id) }),
    // A vote is its voter's, anonymous or not: exported to them alone. Erased, their votes go and
    // the counts of those polls drop by them; the polls they made go with their messages.
    personalData: {
      export: (userId, tools) => tools.store.votesByUser(userId),
      erase: (userId, tools) => of(tools).erase(userId),
    },
    start: (tools) => {
      const board = of(tools);
      const work = new Set<Promise<void>>();
      const track = (promise: Promise<void>) => {
        const tracked = promise.catch((error: unknown) => tools.report(error));
        work.add(tracked);
        void tracked.finally(() => work.delete(tracked));
      };
      const stop = tools.onMessage((event) => track(board.heard(event)));
      const sweep = setInterval(() => track(board.closeDue()), CLOSE_DUE_MS);
      sweep.unref();
      board.tally.start();
      running.set(tools, { stop, sweep, work });
    },
    close: async (tools) => {
      const server = running.get(tools);
      running.delete(tools);
      server?.stop();
      clearInterval(server?.sweep);
      await Promise.allSettled([...(server?.work ?? [])]);
      await boards.get(tools)?.tally.stop();
    },
  });
}
