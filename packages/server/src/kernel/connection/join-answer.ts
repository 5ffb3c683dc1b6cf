import { builtInError, type ChatUser, type Member, type Room, type RoomJoinResult } from '@chat/protocol';
import { messagesCost, type UserBudget } from '../../limits/user-budget.js';
import { roomEpoch } from '../rooms/room-epoch.js';
import { publicRoom } from '../../core/public-room.js';
import type { ServerContext } from '../context.js';
import { readsForJoin } from '../rooms/join-reads.js';
import { unreadInJoin } from '../rooms/join-unread.js';
import { membersForJoin } from '../presence/member-pages.js';

// The answer to a join of `rooms`' socket (`user`'s): the room, who is here and a page of history: the latest page, or with `since` what came after
// it. A client whose seqs belong to another history (the store started over) gets the latest
// page, as on a first join, and starts again from it.
export async function joinAnswer(
  ctx: ServerContext,
  rooms: ReadonlySet<string>,
  user: ChatUser,
  room: Room,
  member: Member,
  since: number | undefined,
  epoch: string | undefined,
  budget: UserBudget,
): Promise<RoomJoinResult> {
  const currentEpoch = await roomEpoch(ctx, room);
  const catchUp = since !== undefined && (epoch === undefined || epoch === currentEpoch);
  const query = catchUp ? { after: since, limit: ctx.limits.maxHistoryPage } : { limit: ctx.limits.defaultHistoryPage };
  // The socket is in the room's broadcast already: a change counted in `rev` is in what the
  // client reads next, and every later one reaches it live. So `rev` is read first: read in
  // parallel, it could count a change the page was read too early to show, and a client that
  // then lost that change's broadcast would never ask for it again.
  const rev = await (room.options.ephemeral === true ? ctx.ephemeral.rev(room.id) : ctx.store.roomRev(room.id));
  const [page, { members, ...occupancy }, read, parts] = await Promise.all([
    ctx.store.listMessages(room.id, query),
    membersForJoin(ctx, room.id),
    readsForJoin(ctx, room, user.id),
    ctx.joinParts(user, room),
  ]);
  // Ephemeral rooms keep no marks.
  const unread = room.options.ephemeral === true ? undefined : await unreadInJoin(ctx.store, room.id, read.readSeq, page);
  if (!rooms.has(room.id)) throw builtInError('NOT_IN_ROOM', 'You left the room while joining it.');
  budget.readBytes.charge(messagesCost(page.messages));
  // Members as everyone sees them: with their roles in the room and mutes in force.
  const [shownSelf, ...shown] = await ctx.memberView(room, [member, ...members]);
  return {
    // What the capabilities and plugins add (the room's calls, the commands, `plugins`), first:
    // none of it can replace what the kernel answers below.
    commands: [],
    calls: [],
    ...parts,
    room: publicRoom(room),
    self: shownSelf ?? member,
    members: shown,
    ...occupancy,
    messages: page.messages,
    hasMore: page.hasMore,
    ...(page.historyStart !== undefined && { historyStart: page.historyStart }),
    epoch: currentEpoch,
    rev,
    readSeq: read.readSeq,
    ...(unread !== undefined && { unread }),
    reads: read.reads,
    ...(read.threads.length > 0 && { threads: read.threads }),
  };
}
