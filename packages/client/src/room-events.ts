import type { ChatError, MessageBatch } from '@chat/protocol';
import type { ChatRoom } from './chat-room.js';
import type { ChatSocket } from './core/transport.js';

/** Hands the server's events about one room to that room, if joined (a room not joined ignores them). */
export function routeRoomEvents(socket: ChatSocket, rooms: ReadonlyMap<string, ChatRoom>): void {
  socket.on('message', (message) => rooms.get(message.roomId)?._receiveMessage(message));
  socket.on('messages', (batch) => receiveBatch(rooms, batch));
  socket.on('message:updated', (message) => rooms.get(message.roomId)?._receiveUpdate(message));
  socket.on('presence', (delta) => rooms.get(delta.roomId)?._receivePresence(delta));
  socket.on('read', (event) => rooms.get(event.roomId)?._receiveRead(event));
  socket.on('typing', (event) => rooms.get(event.roomId)?._receiveTyping(event.users, event.count));
  socket.on('room:ended', (event) => rooms.get(event.roomId)?._ended(event.room));
  socket.on('room:removed', (event) => rooms.get(event.roomId)?._removed(event.reason, event));
  socket.on('room:updated', (event) => rooms.get(event.roomId)?._roomUpdated(event.room));
}

// Each message of a batch as if it had come alone, except our own still waiting for its ack
// (the batch goes to the whole room, sender included): the ack adds it, as it always does.
function receiveBatch(rooms: ReadonlyMap<string, ChatRoom>, { roomId, messages }: MessageBatch): void {
  const room = rooms.get(roomId);
  if (!room || !Array.isArray(messages)) return;
  const outbox = room.outbox;
  for (const message of messages) {
    if (outbox.length > 0 && outbox.some((entry) => entry.clientId === message.clientId)) continue;
    room._receiveMessage(message);
  }
}

/** A re-join refused for good: the room ends, is removed or is lost, as the refusal says. */
export function rejoinRefused(room: ChatRoom, chatError: ChatError): void {
  if (chatError.code === 'ROOM_ENDED' && room.room) room._ended({ ...room.room, endedAt: room.room.endedAt ?? new Date().toISOString() });
  // Not let back in (made private while away): the same as being removed while there.
  else if (chatError.code === 'FORBIDDEN') room._removed('forbidden');
  // Banned while away: as if removed with the ban's end.
  else if (chatError.code === 'BANNED')
    room._removed('banned', { roomId: room.id, reason: 'banned', ...(chatError.until !== undefined && { until: chatError.until }) });
  else room._lost(chatError);
}
