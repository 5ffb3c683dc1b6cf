// Who hears of a stored message while away: the rule the `notify` hook and push notifications
// share (capabilities/conversations, plugins/push), decided on the process that stored it.
import type { Message, NotificationLevel, Room } from '@chat/protocol';
import type { ChatStore, ConversationRow, RoomMember } from '../../core/chat-store.js';
import type { AwayLookup, AwayReason } from '../../core/notify.js';
import type { ServerContext } from '../context.js';

/** The most rooms `conversations:list`, `GET /me/rooms` and `chat.conversations` return (the newest). */
export const MAX_CONVERSATIONS = 500;

/**
 * One room's row of a user's list. The rooms that just had a message are at the top of it, so a
 * short list is read first, and the whole one only when the room is further down.
 */
export async function conversationRow(store: ChatStore, userId: string, roomId: string): Promise<ConversationRow | undefined> {
  const top = await store.conversations(userId, { limit: 10 });
  const found = top.find((row) => row.room.id === roomId);
  if (found || top.length < 10) return found;
  return (await store.conversations(userId, { limit: MAX_CONVERSATIONS })).find((row) => row.room.id === roomId);
}

/** Who of a room's stored members follows it at level `all`, per cached member list (see {@link MemberDirectory}). */
const allLevelOf = new WeakMap<readonly RoomMember[], RoomMember[]>();
function atLevelAll(members: readonly RoomMember[]): RoomMember[] {
  let found = allLevelOf.get(members);
  if (!found) {
    found = members.filter((m) => m.notifications === 'all');
    allLevelOf.set(members, found);
  }
  return found;
}

/**
 * The users to tell of a stored message, with why: the stored members of a direct room, the
 * users it mentions, the participants of the thread a reply is in, and with `everyMessage` the members at level `all` of a room of at most
 * the member directory's small size (a bigger room tells only those it mentions). Never its
 * sender, nor anyone at level `none` there, nor anyone with a socket connected on any process.
 * Members and their levels come from the member directory (cached for a moment, forgotten on
 * this process when they change), as `room:activity`'s do; the levels of a big room's recipients,
 * and of those a small room's cached list lacks, are read from the store, in one read. Who is
 * connected is always asked. Anyone who is
 * not a stored member now (banned, removed, refused by `authorize`) is left out, whatever the reason.
 */
async function awayRecipients(ctx: ServerContext, room: Room, message: Message, everyMessage: boolean): Promise<Map<string, AwayReason>> {
  const reasons = new Map<string, AwayReason>();
  if (room.options.ephemeral === true) return reasons;
  const sender = message.user.id;
  const members = await ctx.members.small(room.id);
  if (room.options.direct === true) {
    for (const member of members ?? (await ctx.store.listMembers(room.id))) {
      if (member.user.id !== sender) reasons.set(member.user.id, 'direct');
    }
  } else if (everyMessage && members && (message.threadOf === undefined || message.alsoInRoom === true)) {
    for (const member of atLevelAll(members)) if (member.user.id !== sender) reasons.set(member.user.id, 'message');
  }
  // A thread reply: its thread's participants (a thread-only reply tells no one else at level `all`).
  if (message.threadOf !== undefined && room.options.direct !== true) {
    for (const id of await ctx.store.threadParticipants(room.id, message.threadOf)) if (id !== sender) reasons.set(id, 'thread');
  }
  for (const id of message.mentions ?? []) if (id !== sender && reasons.get(id) !== 'direct') reasons.set(id, 'mention');
  if (reasons.size === 0) return reasons;

  const online = await ctx.presence.online([...reasons.keys()]);
  for (const id of online.keys()) reasons.delete(id);
  if (reasons.size === 0) return reasons;
  const levels = new Map<string, NotificationLevel>();
  for (const member of members ?? []) if (reasons.has(member.user.id)) levels.set(member.user.id, member.notifications);
  // A big room's recipients: their levels in one read however many were mentioned. One found in
  // neither the small room's list nor the store is no member.
  const unknown = [...reasons.keys()].filter((id) => !levels.has(id));
  // Those a small room's cached list does not have (a member who joined through another process
  // a moment ago, or none) are asked of the store too, in the same one read.
  if (unknown.length > 0) for (const [id, level] of await ctx.store.memberLevels(room.id, unknown)) levels.set(id, level);
  // The audience (kernel/rooms/audience.ts): only the room's stored members hear of its words while
  // away. A ban, a removal or an `authorize` refusal ends the membership; a thread's participants
  // and a message's mentions are kept by the store without it, and are asked here.
  for (const id of reasons.keys()) if (!levels.has(id)) reasons.delete(id);
  for (const [id, level] of levels) if (level === 'none') reasons.delete(id);
  return reasons;
}

/**
 * Who hears of each stored message while away, looked up once per message for every listener
 * (the `notify` hook, push, a plugin's `tools.awayRecipients`) and kept only as long as the message
 * object is. `everyMessage`: the listeners want the members at level `all` too (push; a plugin always
 * asks so); `notify` keeps the direct, thread and mention reasons of the same answer.
 */
export class AwayRecipients implements AwayLookup {
  /** The answers with the members at level `all`, and those without (each looked up once per message). */
  readonly #byMessage = {
    every: new WeakMap<Message, Promise<Map<string, AwayReason>>>(),
    some: new WeakMap<Message, Promise<Map<string, AwayReason>>>(),
  };

  constructor(
    private readonly ctx: () => ServerContext,
    private readonly everyMessage: boolean,
  ) {}

  /** The users to tell of `message`, stored in `room`, with why (one lookup per message and kind of answer). */
  of(room: Room, message: Message, everyMessage = this.everyMessage): Promise<Map<string, AwayReason>> {
    const cache = everyMessage ? this.#byMessage.every : this.#byMessage.some;
    let found = cache.get(message);
    if (!found) {
      found = awayRecipients(this.ctx(), room, message, everyMessage);
      cache.set(message, found);
    }
    return found;
  }
}
