// Conversations: direct rooms, read marks, status and last seen, the list of a user's rooms, and
// what members who are elsewhere hear of a new message (`room:activity`, the `notify` hook).
import { toChatError, type Message, type Room } from '@chat/protocol';
import type { Capability } from '../../core/capability.js';
import type { CapabilityContext } from '../capability-context.js';
import { conversationsOf } from './conversation-list.js';
import { conversationHandlers } from './conversation-events.js';
import { notifyRecipients } from './notify.js';
import { announceMessage } from './room-activity.js';

/** The conversations capability: its client events, `GET /me/rooms`, and the work after a message is stored. */
export function conversationsCapability(ctx: () => CapabilityContext): Capability {
  return {
    name: 'conversations',
    socketHandlers: (caller) => conversationHandlers(ctx(), caller),
    routes: [
      {
        prefix: 'me',
        method: 'GET',
        match: (s) => s.length === 2 && s[1] === 'rooms',
        handle: async (req) => ({ status: 200, body: await conversationsOf(ctx(), req.user) }),
      },
    ],
    listen: (bus) => bus.on('message:stored', (room, message) => afterStored(ctx(), room, message)),
  };
}

// Work for members who are not in the room, done after the answer; close() waits for it.
function afterStored(ctx: CapabilityContext, room: Room, message: Message): void {
  const work = Promise.all([
    announceMessage(ctx, room).catch((error: unknown) => ctx.report(toChatError(error), { event: 'room:activity' })),
    notifyRecipients(ctx, room, message).catch((error: unknown) => ctx.report(toChatError(error), { event: 'notify' })),
  ]);
  ctx.inflight.add(work);
  void work.then(() => ctx.inflight.delete(work));
}

export { StatusSignals } from './user-status.js';
export { ReadCoalescer } from './read-coalescer.js';
export { publishRead } from './read-marks.js';
export { comeOnline, presenceOf, wentOffline } from './last-seen.js';
export { checkSize, keptOptions, openDirectRoom, resolveUsers } from './direct-rooms.js';
export { listConversations } from './conversation-list.js';
export { addMembers, removeMembers } from './stored-members.js';
