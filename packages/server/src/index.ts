export { ChatServer, createChatServer } from './chat-server.js';
export type { ServerMessageInput } from './chat-server.js';
export { ChatAction } from './options.js';
export type { Authorize, BeforeMessage, ChatContext, ChatIO, ChatServerOptions, CreateRoomsOnJoin, MessageInput } from './options.js';
export type { CreateRoomOptions } from './rooms/create-room.js';
export type { RestHandler, RestHandlerOptions } from './http/rest-handler.js';
export { DiskUploads, diskUploads } from './uploads/disk-uploads.js';
export type { DiskUploadsOptions } from './uploads/disk-uploads.js';
export type { ChatUploads, UploadContext, UploadFile, UploadTarget } from './uploads/chat-uploads.js';
export type { ChatServerEvents, ErrorContext, JoinEvent, LeaveEvent } from './server-events.js';

export { guestAuthenticate } from './auth/guest-authenticate.js';
export type { GuestAuthenticateOptions } from './auth/guest-authenticate.js';
export { jwtAuthenticate } from './auth/jwt-authenticate.js';
export type { JwtAuthenticateOptions } from './auth/jwt-authenticate.js';
export type { Authenticate, ChatHandshake } from './auth/handshake.js';

export type { ChatCluster, ClusterHost, ClusterParts } from './cluster/chat-cluster.js';
export type { PresenceAdd, PresenceRegistry, UserStatus } from './presence/presence-registry.js';
export type { Notify, NotifyEvent, NotifyKind } from './conversations/notify.js';
export type { TypingStore } from './typing/typing-store.js';
export type { ChangedQuery, EphemeralLog } from './messages/ephemeral-log.js';
export { MemoryStore } from './store/memory-store.js';
export type { MemoryStoreOptions } from './store/memory-store.js';
export type {
  AppendResult,
  ChangeResult,
  ChatStore,
  ConversationRow,
  CreateRoomInput,
  CreateRoomResult,
  MessageChange,
  MessageDraft,
  MessagePage,
  MessageQuery,
  ReadMarkResult,
  RoomMember,
  RoomPatch,
  RoomQuery,
  StoredUser,
} from './store/chat-store.js';

export { ChatError, ErrorCode, DEFAULT_LIMITS } from '@chat/protocol';
export type {
  ChatLimits,
  ChatUser,
  Member,
  Message,
  NotificationLevel,
  ReactionSummary,
  Room,
  RoomSummary,
  UserPresence,
  UserRef,
} from '@chat/protocol';
