import { builtInError, type Message, type ReadState, type UserRef } from '@chat/protocol';
import { RoomReads } from './read-state.js';
import type { RoomSync } from './room-sync.js';
import type { RoomUnread } from './room-unread.js';

/** The room events the read marks tell (some of `ChatRoomEvents`): the room's emitter is one. */
export interface ReadsEmitter {
  emit(event: 'read', read: ReadState): boolean;
  emit(event: 'updated'): boolean;
}

/** A room's read marks, marked through its sync; your own mark moving is told as `read`. */
export function roomReads(sync: RoomSync, emitter: ReadsEmitter): RoomReads {
  return new RoomReads(
    async (seq) => (await sync._patiently('read:mark', { roomId: sync.id, seq })).seq,
    (seq) => {
      const self = sync.self?.id;
      if (self !== undefined) emitter.emit('read', { userId: self, seq });
      emitter.emit('updated');
    },
  );
}

/** Marks the room read up to `seq`, the newest loaded message by default (see `ChatRoom.markRead`). */
export async function markRead(sync: RoomSync, reads: RoomReads, seq: number | undefined): Promise<number> {
  if (sync._isClosed()) throw sync._closedError();
  if (sync.room?.options.ephemeral === true) return 0;
  const target = seq ?? sync.log._newestSeq;
  if (target === undefined || target <= reads.readSeq) return reads.readSeq;
  if (!Number.isSafeInteger(target)) throw builtInError('VALIDATION_FAILED', 'markRead() takes the seq of a message.');
  return reads.mark(target);
}

/** Messages new to the log: their senders are known, and have read up to them. */
export function sendersRead(sync: RoomSync, reads: RoomReads, messages: readonly Message[]): void {
  for (const message of messages) {
    reads.know(message.user);
    reads.sent(message, sync.self?.id);
  }
}

/** Messages of others in the room's log after the mark `seq` (your read mark: `ChatRoom.unreadCount`). */
export function unreadAfter(sync: RoomSync, unread: RoomUnread, seq: number): number {
  if (sync.room?.options.ephemeral === true) return 0;
  return unread.after(sync.log.messages, seq, sync.hasMoreHistory);
}

/** The members who have read a message (see `ChatRoom.readBy`). */
export function readBy(sync: RoomSync, reads: RoomReads, messageId: string): UserRef[] {
  const message = sync.log.get(messageId);
  return message ? reads.readBy(message) : [];
}

/** A member's read mark moved (`read`). */
export function receiveRead(sync: RoomSync, reads: RoomReads, emitter: ReadsEmitter, read: ReadState): void {
  if (sync._isClosed() || !reads.moved(read.userId, read.seq, sync.self?.id)) return;
  emitter.emit('read', { userId: read.userId, seq: read.seq });
  emitter.emit('updated');
}

/** The server's mark is ahead of this room's (read on another device, seen in the conversations list). */
export function readElsewhere(sync: RoomSync, reads: RoomReads, emitter: ReadsEmitter, seq: number): void {
  const self = sync.self?.id;
  if (sync._isClosed() || self === undefined || !reads.moved(self, seq, self)) return;
  emitter.emit('read', { userId: self, seq });
  emitter.emit('updated');
}
