import type { ChatError, Message, MessageBatch } from '@chat/protocol';
import type { ChatRoom } from './chat-room.js';
import type { ChatSocket } from './core/transport.js';
import type { Conversations } from './conversations/conversations-start.js';

/** What messages go through before a room gets them (an encrypted room's are decrypted first, in order). */
interface Inbound {
  _inbound(roomId: string, messages: Message[], deliver: (messages: Message[]) => void): void;
}

const direct: Inbound = { _inbound: (_roomId, messages, deliver) => deliver(messages) };

/** Hands the server's events about one room to that room, if joined (a room not joined ignores them). */
export function routeRoomEvents(socket: ChatSocket, rooms: ReadonlyMap<string, ChatRoom>, inbound: Inbound = direct): void {
  socket.on('message', (message) =>
    inbound._inbound(message.roomId, [message], ([m]) => m && rooms.get(message.roomId)?._receiveMessage(m)),
  );
  socket.on(
    'messages',
    (batch) =>
      Array.isArray(batch.messages) &&
      inbound._inbound(batch.roomId, batch.messages, (messages) => receiveBatch(rooms, { ...batch, messages })),
  );
  socket.on('message:updated', (message) =>
    inbound._inbound(message.roomId, [message], ([m]) => m && rooms.get(message.roomId)?._receiveUpdate(m)),
  );
  socket.on('presence', (delta) => rooms.get(delta.roomId)?._receivePresence(delta));
  socket.on('read', (event) => rooms.get(event.roomId)?._receiveRead(event));
  socket.on('thread:read', (event) => rooms.get(event.roomId)?._receiveRead(event));
  socket.on('typing', (event) => rooms.get(event.roomId)?._receiveTyping(event.users, event.count));
  socket.on('room:ended', (event) => rooms.get(event.roomId)?._ended(event.room));
  socket.on('room:removed', (event) => rooms.get(event.roomId)?._removed(event.reason, event));
  socket.on('room:updated', (event) => rooms.get(event.roomId)?._roomUpdated(event.room));
}

// Each message of a batch as if it had come alone (the room skips our own still waiting for its
// ack: the batch goes to the whole room, sender included, and the ack adds it).
function receiveBatch(rooms: ReadonlyMap<string, ChatRoom>, { roomId, messages }: MessageBatch): void {
  const room = rooms.get(roomId);
  if (!room || !Array.isArray(messages)) return;
  for (const message of messages) room._receiveMessage(message);
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

/** Keeps the conversations list up to date with a joined room. */
export function followInConversations(room: ChatRoom, conversations: Conversations): void {
  room.on('updated', () => conversations._roomChanged(room.id));
  room.on('ended', () => conversations.forget(room.id));
  room.on('removed', (reason) => {
    if (reason === 'removed') conversations.forget(room.id);
  });
}
