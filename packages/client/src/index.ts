export { ChatClient, ConnectionState } from './chat-client.js';
export type { ChatAuth, ChatClientEvents, ChatClientOptions } from './chat-client.js';
export { ChatRoom, RoomState } from './chat-room.js';
export type { ChatRoomEvents, Discontinuity, MessageDraftInput, PresenceChange } from './chat-room.js';
export { OutboxStatus } from './outbox.js';
export type { OutboxEntry } from './outbox.js';
export { ConnectionLostError } from './room-link.js';

export { ChatError, ErrorCode } from '@chat/protocol';
export type { Attachment, Member, Message, PublicRoom, Room, RoomRemovedReason, UserRef } from '@chat/protocol';
