import { builtInError, type Message } from '@chat/protocol';
import { RoomState } from './core/room-state.js';
import type { ServerLink } from './core/transport.js';
import type { Outbox } from './outbox/outbox.js';
import type { OutboxSender, SenderHost } from './outbox/outbox-sender.js';
import type { RoomSync } from './room/room-sync.js';

/** The room event the outbox tells (one of `ChatRoomEvents`): the room's emitter is one. */
interface UpdatedEmitter {
  emit(event: 'updated'): boolean;
}

/** What a room's outbox sender reads of the room: its sync, and its emitter to tell `updated`. */
export function senderHost(link: ServerLink, outbox: Outbox, sync: RoomSync, emitter: UpdatedEmitter): SenderHost {
  return {
    roomId: sync.id,
    link,
    outbox,
    joined: () => sync.state === RoomState.JOINED,
    selfId: () => sync.self?.id,
    held: (clientId) => sync.log.messages.find((m) => m.clientId === clientId),
    closed: () => sync._isClosed(),
    stored: (message) => {
      sync.add([message], true);
      emitter.emit('updated');
    },
    updated: () => emitter.emit('updated'),
  };
}

/** Sends a failed message again, with the same clientId (see `ChatRoom.retry`). */
export function resend(outbox: Outbox, sender: OutboxSender, emitter: UpdatedEmitter, clientId: string): Promise<Message> {
  const stored = outbox.requeue(clientId);
  if (!stored) return Promise.reject(builtInError('MESSAGE_NOT_FOUND', 'There is no failed message with this clientId in the outbox.'));
  emitter.emit('updated');
  void sender.flush();
  return stored;
}
