import { builtInError } from '@chat/protocol';
import type { ChatUser, Room } from '@chat/protocol';
import type { ChatAction, ChatContext, CreateRoomsOnJoin } from '../../core/policy.js';
import type { ServerContext } from '../context.js';
import type { ChatHandshake } from '../../core/handshake.js';
import { isDirectRoomId } from '../../core/ids.js';
import { isStoredMember, noRoom, roomEnded } from './membership.js';

/**
 * Finds the room (creating it when the `create` policy allows this id), refuses ended rooms,
 * then asks `authorize`. Returns the room and the context later hooks see. A room a member's
 * join creates has no creator, so no owner (`ownerOnJoin` gives it the joining user, as before);
 * the host's own sends (`owner: true`) make their user its creator.
 */
export async function openRoom(
  ctx: ServerContext,
  action: ChatAction,
  roomId: string,
  user: ChatUser,
  handshake: ChatHandshake | undefined,
  create: CreateRoomsOnJoin,
  owner = ctx.ownerOnJoin,
  thread?: (room: Room) => Promise<string>,
): Promise<{ room: Room; chatContext: ChatContext }> {
  // Sends read the room through a short cache (one store read per room per second, not per
  // message), taken without a wait while fresh; joins and the rest read it fresh.
  let room = action === 'message:send' ? (ctx.rooms.peek(roomId) ?? (await ctx.rooms.get(roomId))) : await ctx.store.getRoom(roomId);
  if (!room) {
    // Direct rooms are opened by `room:direct` only: a join must not take the id of one first.
    if (isDirectRoomId(roomId) || !(await mayCreate(create, roomId, user))) {
      throw builtInError('ROOM_NOT_FOUND', `There is no room "${roomId}".`);
    }
    // Another join may have created it meanwhile: then this is that room (`created: false`).
    ({ room } = await ctx.store.createRoom({ id: roomId, ...(owner && { createdBy: user.id }) }));
  }
  if (room.endedAt) throw roomEnded();
  const chatContext: ChatContext = { user, roomId, room };
  if (handshake) chatContext.handshake = handshake;
  // A thread reply: `authorize` sees the thread's top-level message.
  if (thread) chatContext.threadOf = await thread(room);
  const authorizing = authorizeOrThrow(ctx, action, chatContext);
  if (authorizing) await authorizing;
  return { room, chatContext };
}

/** Whether the `createRoomsOnJoin` policy lets `user` create the unknown room `roomId`. */
export async function mayCreate(policy: CreateRoomsOnJoin, roomId: string, user: ChatUser): Promise<boolean> {
  if (typeof policy === 'boolean') return policy;
  // search() ignores lastIndex, so a /g or /y RegExp gives the same answer every time.
  if (policy instanceof RegExp) return roomId.search(policy) !== -1;
  return (await policy(roomId, user)) === true;
}

/**
 * Asks `authorize` (or the default policy); throws `FORBIDDEN` when it says no. A direct room is
 * for its stored members only, whatever `authorize` says; without `authorize`, a private room
 * lets in its creator and its stored members. `member`: whether the user is a stored member, when
 * the caller has read it already (search reads all of a user's rooms at once); else read here.
 */
export function authorizeOrThrow(ctx: ServerContext, action: ChatAction, chatContext: ChatContext, member?: boolean): void | Promise<void> {
  const { room, user } = chatContext;
  const direct = room?.options.direct === true && action !== 'room:direct';
  // Membership is read only where it can change the answer.
  const asks = direct || (!ctx.authorize && room?.options.private === true && room.createdBy !== user.id);
  // Without a hook or a membership to read, the answer is at hand: no promise (a send waits no
  // turn of the microtask queue for it before its broadcast).
  if ((!asks || member !== undefined) && !ctx.authorize) {
    if (direct && member === false) throw noRoom(chatContext.roomId);
    return decide(ctx, action, chatContext, defaultPolicy(action, chatContext, member ?? false));
  }
  return askAuthorize(ctx, action, chatContext, direct, room !== undefined && asks, member);
}

async function askAuthorize(
  ctx: ServerContext,
  action: ChatAction,
  chatContext: ChatContext,
  direct: boolean,
  asks: boolean,
  known: boolean | undefined,
): Promise<void> {
  const { room, user } = chatContext;
  const member = known ?? (room !== undefined && asks ? await isStoredMember(ctx, room, user.id) : false);
  // The same answer as for a room that does not exist: a stranger cannot tell whether it does.
  if (direct && !member) throw noRoom(chatContext.roomId);
  const allowed = ctx.authorize ? (await ctx.authorize(action, chatContext)) === true : defaultPolicy(action, chatContext, member);
  decide(ctx, action, chatContext, allowed);
}

function decide(ctx: ServerContext, action: ChatAction, chatContext: ChatContext, allowed: boolean): void {
  if (allowed) return;
  if (!ctx.authorize && !isAuthor(action, chatContext)) {
    throw builtInError('FORBIDDEN', `You can only ${action === 'message:edit' ? 'edit' : 'delete'} your own messages.`);
  }
  if (chatContext.room?.options.private && !ctx.authorize) throw builtInError('FORBIDDEN', 'This room is private.');
  throw builtInError('FORBIDDEN', `You are not allowed to do this here (${action}).`);
}

/**
 * Without `authorize`: private rooms are for the creator and the stored members (`member`), a
 * direct room for its members only; ending a room is for the creator; a message is edited by its
 * author only and deleted by its author or the room's owners and moderators; pins, closing
 * others' polls and moderating questions are for the room's owners and moderators; all else is allowed.
 */
function defaultPolicy(action: ChatAction, chatContext: ChatContext, member = false): boolean {
  const { user, room } = chatContext;
  const isCreator = room?.createdBy !== undefined && room.createdBy === user.id;
  if (action === 'room:end') return isCreator;
  // Pins and question moderation are the room's owners' and moderators' (`role`, set by whoever asks).
  if (action === 'pin' || action === 'question') return chatContext.role === 'owner' || chatContext.role === 'moderator';
  // Closing someone else's poll (`message` is the poll) is theirs too; creating one is a write.
  if (action === 'poll' && chatContext.message) return chatContext.role === 'owner' || chatContext.role === 'moderator';
  // Owners and moderators delete anyone's message (`role` is set only for others' messages).
  if (action === 'message:delete' && (chatContext.role === 'owner' || chatContext.role === 'moderator')) return true;
  if (!isAuthor(action, chatContext)) return false;
  if (action === 'room:direct' || action === 'presence:of') return true;
  if (room?.options.direct) return member;
  if (room?.options.private) return isCreator || member;
  return true;
}

// Edits and deletes need the author (true for every other action). A bot's message is the bot's
// alone: a person whose user id happens to be the bot's is not its author.
function isAuthor(action: ChatAction, { user, message, bot }: ChatContext): boolean {
  if (action !== 'message:edit' && action !== 'message:delete') return true;
  return message !== undefined && message.user.id === user.id && (message.user.bot === true) === (bot === true);
}
