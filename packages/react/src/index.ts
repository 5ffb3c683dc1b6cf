export { ChatRoom } from './chat-room.js';
export type { ChatRoomProps } from './chat-room.js';
export { ChatProvider } from './chat-provider.js';
export type { ChatProviderProps } from './chat-provider.js';
export { useChatClient } from './chat-context.js';
export { useChatRoom } from './use-chat-room.js';
export type { UseChatRoomResult } from './use-chat-room.js';
export type { ChatRoomSnapshot } from './room-store.js';
export { useThread } from './use-thread.js';
export type { UseThreadResult } from './use-thread.js';
export type { ThreadSnapshot } from './thread-store.js';

export { ChatRoomElement } from '@chat/widget';
export type { ChatErrorEvent, ChatJoinEvent, ChatMessageEvent, ChatUnreadEvent } from '@chat/widget';
