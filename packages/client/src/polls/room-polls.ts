// `room.polls`: a room's polls (the server's `polls()` plugin). A poll is a message (`message.poll`,
// its counts moved by `message:updated`); what the room keeps is the user's own choices, the plugin
// state `plugins.polls.myVotes`: brought by each join answer, replaced by `polls:updated` (a vote on
// any of the user's devices) and set by a vote's answer. The requests are loaded on first use.
import type { Message, PollsJoin } from '@chat/protocol';
import type { PluginLink } from '../core/plugin-link.js';
import type { PollInput, PollsStateHost } from './poll-types.js';

export type { PollInput, PollsStateHost } from './poll-types.js';

/**
 * A room's polls: post one, vote, close it, and your own choices in each, the same on all your
 * devices (a change fires the room's `updated`). Counts are on the message (`message.poll`).
 * @example const poll = await room.polls.create({ question: 'Lunch?', options: ['Pizza', 'Sushi'] });
 * await room.polls.vote(poll.id, [poll.poll!.options[0]!.id]);
 */
export class RoomPolls {
  constructor(
    private readonly roomId: string,
    private readonly room: PollsStateHost,
    private readonly link: PluginLink,
  ) {}

  /** Whether the server offers polls (its `polls()` plugin is listed). */
  get available(): boolean {
    return this.room.plugins['polls'] !== undefined;
  }

  /** Your choices in the poll of message `messageId` (option ids; none before you vote). */
  myVotes(messageId: string): readonly string[] {
    return (this.room.plugins['polls'] as PollsJoin | undefined)?.myVotes[messageId] ?? [];
  }

  /**
   * Posts a poll as a message of the room; resolves with the message (`message.poll`), in `messages` already. Rejects with
   * the server's `ChatError`: `VALIDATION_FAILED` naming the field, `FORBIDDEN` for whom may not.
   */
  create(input: PollInput): Promise<Message> {
    return this.#requests().then((sent) => sent.create(input));
  }

  /**
   * Votes in the poll of message `messageId`, replacing your earlier choices (`[]` takes your vote
   * back); resolves with your choices after it. `POLL_CLOSED` once the poll is closed.
   */
  vote(messageId: string, optionIds: string[]): Promise<readonly string[]> {
    return this.#requests().then((sent) => sent.vote(messageId, optionIds));
  }

  /** Closes the poll of message `messageId` (its creator, or a moderator); resolves with the message, closed. */
  close(messageId: string): Promise<Message> {
    return this.#requests().then((sent) => sent.close(messageId));
  }

  /** What the polls send, loaded on first use. */
  async #requests() {
    return (await import('./poll-requests.js')).pollRequests(this.roomId, this.room, this.link);
  }
}
