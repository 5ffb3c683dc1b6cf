import { toChatError, type Message, type Room } from '@chat/protocol';
import type { CapabilityContext } from '../capability-context.js';
import { roomFanout } from '../../cluster/room-fanout.js';

/** What {@link announce} needs beside the message. */
export interface Announced {
  /** The room, when the server knows it (a stored room): members elsewhere hear of the message. */
  room?: Room | null;
  /** A reply's parent after its summary changed. */
  parent?: Message | null;
  ephemeral?: boolean;
  /** The socket that sent it, when it is answered with the message instead. */
  exceptSocketId?: string;
}

/**
 * A stored (or ephemeral) message made known: broadcast to the room, the parent's new summary,
 * `chat.on('message')`; then, without holding the sender's answer, `room:activity` to members
 * elsewhere and the `notify` hook (capabilities/conversations).
 */
export function announce(ctx: CapabilityContext, message: Message, { room, parent, ephemeral = false, exceptSocketId }: Announced): void {
  // Alone at once in a quiet room; with the room's other messages of this turn in a busy one.
  roomFanout(ctx.nsp).publish(message, exceptSocketId);
  // The parent's new summary: coalesced per parent as reactions are (a storm of replies costs one
  // update per window), the last one read from the store, so every count ends exact.
  if (parent) ctx.reactions.changed(parent, false);
  if (room && !ephemeral) ctx.bus.emit('message:stored', room, message);
  ctx.events.emit('message', message);
}

/**
 * A message the store failed to answer in time but stored after all (`ChatStore.onStoredLate`),
 * announced once as if just sent: nobody heard of it (its sender was told it failed, and a resend
 * on another process was answered as a duplicate).
 */
export async function announceStoredLate(ctx: CapabilityContext, message: Message): Promise<void> {
  try {
    const room = await ctx.rooms.get(message.roomId);
    const parent = message.threadOf === undefined ? null : await ctx.store.getMessage(message.roomId, message.threadOf);
    announce(ctx, message, { room, parent });
  } catch (error) {
    ctx.report(toChatError(error), { event: 'message:stored-late' });
  }
}
