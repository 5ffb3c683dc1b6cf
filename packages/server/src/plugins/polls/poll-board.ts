// The polls of one server (its tools): a poll posted as a message, votes checked and stored, a
// poll closed by its creator, a moderator or its time, and each poll's message kept to its exact
// counts by the tally's coalesced refreshes.
import {
  builtInError,
  ChatError,
  type ChatUser,
  type Message,
  type PollCreatePayload,
  type PollMyVotes,
  type PollVotePayload,
} from '@chat/protocol';
import type { ChatHandshake } from '../../core/handshake.js';
import type { PluginMessageEvent, PluginTools } from '../../core/plugin.js';
import { ChatAction } from '../../core/policy.js';
import type { PollStore, StoredPoll } from './poll-store.js';
import { MessageTally } from '../../core/message-tally.js';
import { optionIds, pollView, samePoll, voterIdsShown } from './poll-view.js';

/** Who asks: a socket's user, its handshake and the socket (it gets the new poll in its ack). */
export interface PollActor {
  user: ChatUser;
  handshake?: ChatHandshake;
  socketId?: string;
}

/** Polls a join answer gives the joining user's choices in, newest vote first. */
const JOIN_VOTES = 200;

const closedError = () => builtInError('POLL_CLOSED', 'This poll is closed: it takes no more votes.');
const noPoll = (messageId: string) => builtInError('MESSAGE_NOT_FOUND', `There is no poll "${messageId}" in this room.`);

/** The polls of one server. */
export class PollBoard {
  readonly tally: MessageTally;

  constructor(
    private readonly tools: PluginTools<PollStore>,
    updatesPerSecond: number,
  ) {
    const refresh = async (roomId: string, messageId: string) => void (await this.refresh(roomId, messageId));
    this.tally = new MessageTally(refresh, (error) => tools.report(error), updatesPerSecond);
  }

  /** Posts a poll as the actor's message; the room gets it with the poll (`message`). */
  async create(payload: PollCreatePayload, actor: PollActor): Promise<Message> {
    const { roomId, clientId, question, options } = payload;
    const room = await this.tools.getRoom(roomId);
    if (room?.options.encrypted === true) {
      throw builtInError(
        'VALIDATION_FAILED',
        'Polls are not available in end-to-end encrypted rooms: the server would have to read the question and the votes.',
      );
    }
    if (room?.options.ephemeral === true) {
      throw builtInError('VALIDATION_FAILED', 'Polls are not available in ephemeral rooms: their messages and votes are never stored.');
    }
    const stored: StoredPoll = {
      roomId,
      messageId: '',
      createdBy: actor.user.id,
      question: question.trim(),
      options: options.map((text) => text.trim()),
      multiple: payload.multiple === true,
      anonymous: payload.anonymous === true,
      ...(payload.closesAt !== undefined && { closesAt: new Date(payload.closesAt).toISOString() }),
      closed: false,
    };
    const message = await this.tools.postMessage(roomId, {
      user: actor.user,
      ...(actor.handshake && { handshake: actor.handshake }),
      clientId,
      text: stored.question,
      action: ChatAction.POLL,
      ...(actor.socketId !== undefined && { exceptSocketId: actor.socketId }),
      poll: pollView(stored, []),
    });
    // A resend of a create whose message was stored without its poll or its votes' row (a crash
    // in between) finishes it; a clientId of another message is refused.
    if (message.poll === undefined && message.text !== stored.question) {
      throw builtInError('VALIDATION_FAILED', 'This clientId is already used by another message.');
    }
    await this.tools.store.create({ ...stored, messageId: message.id });
    if (message.poll !== undefined) return message;
    return this.tools.setPoll(roomId, message.id, pollView({ ...stored, messageId: message.id }, []));
  }

  /** Replaces the voter's choices; the room's counts follow within a tick. */
  async vote(payload: PollVotePayload, actor: PollActor): Promise<PollMyVotes> {
    const { roomId, messageId, optionIds: chosen } = payload;
    const poll = await this.#poll(roomId, messageId);
    if (pollView(poll, []).closed) {
      this.tally.mark(roomId, messageId);
      throw closedError();
    }
    const known = new Set(optionIds(poll.options.length));
    const unknown = chosen.find((id) => !known.has(id));
    if (unknown !== undefined) {
      throw builtInError('VALIDATION_FAILED', `"poll:vote": optionIds: "${unknown}" is not an option of this poll.`);
    }
    if (!poll.multiple && chosen.length > 1) {
      throw builtInError('VALIDATION_FAILED', '"poll:vote": optionIds: this poll takes one option (it is not multiple choice).');
    }
    await this.tools.checkWrite(actor.user, roomId, 'react');
    const outcome = await this.tools.store.vote({
      roomId,
      messageId,
      userId: actor.user.id,
      optionIds: [...chosen],
      votedAt: new Date().toISOString(),
    });
    if (outcome === 'missing') throw noPoll(messageId);
    if (outcome === 'closed') {
      // Its message may not say so yet (its time passed, a process closing it went away).
      this.tally.mark(roomId, messageId);
      throw closedError();
    }
    this.tally.mark(roomId, messageId);
    // Every device of the voter, on every process: their choices in the room's polls, as a join
    // answer has them, so that `myVotes` stays right on each.
    this.tools.emitToUser(actor.user.id, 'polls:updated', { roomId, myVotes: await this.myVotes(roomId, actor.user.id) });
    return { roomId, messageId, myVotes: [...chosen] };
  }

  /** Closes a poll (its creator, or whom `authorize` allows `'poll'` on it); the room gets the final counts. */
  async close(roomId: string, messageId: string, actor: PollActor): Promise<Message> {
    const poll = await this.#poll(roomId, messageId);
    if (poll.createdBy !== actor.user.id) {
      const message = await this.tools.getMessage(roomId, messageId);
      if (!message) throw noPoll(messageId);
      const { user, handshake } = actor;
      const allowed = await this.tools.authorize(ChatAction.POLL, { user, roomId, message, ...(handshake && { handshake }) });
      if (!allowed) throw builtInError('FORBIDDEN', 'Only its creator and the room’s owners and moderators can close this poll.');
    }
    await this.tools.store.close(messageId);
    return (await this.refresh(roomId, messageId)) ?? this.#message(roomId, messageId);
  }

  /** The joining user's choices in the room's polls, by message id. */
  async myVotes(roomId: string, userId: string): Promise<Record<string, string[]>> {
    return this.tools.store.myVotes(roomId, userId, JOIN_VOTES);
  }

  /**
   * Sets the poll's message from the store's counts. Another process may set it at the same time
   * from counts read a moment earlier, after this: so the counts are read again once it is set, and
   * a difference refreshes it on the next tick. The last message set is thus always the exact one.
   */
  async refresh(roomId: string, messageId: string): Promise<Message | undefined> {
    const poll = await this.tools.store.get(messageId);
    if (!poll) return undefined;
    const view = pollView(poll, await this.tools.store.counts(messageId, voterIdsShown(poll)));
    let message: Message;
    try {
      message = await this.tools.setPoll(roomId, messageId, view);
    } catch (error) {
      // Its message was deleted (the deletion heard by another process): the poll goes with it.
      if (error instanceof ChatError && error.code === 'MESSAGE_NOT_FOUND') await this.tools.store.drop(messageId);
      else throw error;
      return undefined;
    }
    const again = await this.tools.store.get(messageId);
    if (again) {
      const now = pollView(again, await this.tools.store.counts(messageId, voterIdsShown(again)));
      if (!samePoll(view, now)) this.tally.mark(roomId, messageId);
    }
    return message;
  }

  /** Closes the polls whose time passed (each on one process only) and refreshes them. */
  async closeDue(): Promise<void> {
    for (const poll of await this.tools.store.closeDue()) this.tally.mark(poll.roomId, poll.messageId);
  }

  /** A deleted message's poll goes, with its votes. */
  async heard({ kind, message }: PluginMessageEvent): Promise<void> {
    if (kind === 'deleted') await this.tools.store.drop(message.id);
  }

  /** Removes a person's votes (the counts of their polls follow) and the polls they made. */
  async erase(userId: string): Promise<void> {
    // The counts set before the erase answers (not on the next tick): whoever reads after it reads them.
    for (const { roomId, messageId } of await this.tools.store.eraseVoter(userId)) await this.refresh(roomId, messageId);
    await this.tools.store.eraseCreator(userId);
  }

  // The room's poll, or MESSAGE_NOT_FOUND (another room's poll is no poll here).
  async #poll(roomId: string, messageId: string): Promise<StoredPoll> {
    const poll = await this.tools.store.get(messageId);
    if (!poll || poll.roomId !== roomId) throw noPoll(messageId);
    return poll;
  }

  async #message(roomId: string, messageId: string): Promise<Message> {
    const message = await this.tools.getMessage(roomId, messageId);
    if (!message) throw noPoll(messageId);
    return message;
  }
}
