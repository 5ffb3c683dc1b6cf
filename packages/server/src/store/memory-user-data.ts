import type { Message } from '@chat/protocol';
import type { UserReaction } from '../core/chat-store.js';
import type { ReactionSets } from './message-changes.js';

/** What the user-data reads need of one room of `MemoryStore`. */
interface HeldRoom {
  room: { id: string };
  messages: readonly Message[];
  reactions: ReadonlyMap<string, ReactionSets>;
}

/** The user's messages over every room, ordered by id, after the id `after` (a scan: MemoryStore is for small apps). */
export function userMessagesIn(
  rooms: Iterable<HeldRoom>,
  userId: string,
  query: { after?: string; limit: number },
  copy: (message: Message) => Message,
): Message[] {
  const found: Message[] = [];
  for (const { messages } of rooms) {
    for (const message of messages) {
      if (message.user.id === userId && (query.after === undefined || message.id > query.after)) found.push(message);
    }
  }
  found.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return found.slice(0, Math.max(0, query.limit)).map(copy);
}

/** Every reaction the user gave, over every room. */
export function userReactionsIn(rooms: Iterable<HeldRoom>, userId: string): UserReaction[] {
  const found: UserReaction[] = [];
  for (const { room, reactions } of rooms) {
    for (const [messageId, byEmoji] of reactions) {
      for (const [emoji, users] of byEmoji) if (users.has(userId)) found.push({ roomId: room.id, messageId, emoji });
    }
  }
  return found;
}
