// What `room.polls` sends, loaded the first time a page posts a poll, votes or closes one (the
// widget: with its polls chunk, chat-room.polls.js).
import type { Message, PollsJoin } from '@chat/protocol';
import type { PluginLink } from '../core/plugin-link.js';
import { uuid } from '../core/uuid.js';
import type { PollInput, PollsStateHost } from './poll-types.js';

/** The requests of one room's polls. */
export function pollRequests(roomId: string, room: PollsStateHost, link: PluginLink) {
  return {
    /** Posts a poll; the poster's own copy comes in the answer (the room's goes to the others). */
    async create(input: PollInput): Promise<Message> {
      const { message } = await link.request('poll:create', { ...input, roomId, clientId: uuid() });
      room._receiveMessage(message);
      return message;
    },
    /** Votes, and keeps the answer's choices in the room's `plugins.polls` (the room's `updated` fires). */
    async vote(messageId: string, optionIds: string[]): Promise<readonly string[]> {
      const { myVotes } = await link.request('poll:vote', { roomId, messageId, optionIds });
      const state = room.plugins['polls'] as PollsJoin | undefined;
      if (state) room._pluginState('polls', { myVotes: { ...state.myVotes, [messageId]: myVotes } });
      return myVotes;
    },
    /** Closes a poll; resolves with its message, closed. */
    async close(messageId: string): Promise<Message> {
      return (await link.request('poll:close', { roomId, messageId })).message;
    },
  };
}
