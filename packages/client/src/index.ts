export { ChatClient, ConnectionState } from './chat-client.js';
export type { ChatAuth, ChatClientEvents, ChatClientOptions } from './chat-client.js';
export { ChatRoom, RoomState } from './chat-room.js';
export type { ChatRoomEvents, Discontinuity, MessageDraftInput, MessageEditOptions, PresenceChange } from './chat-room.js';
export { OutboxStatus } from './outbox.js';
export type { OutboxEntry } from './outbox.js';
export { memoryOutbox } from './outbox/memory-outbox.js';
export type { OutboxScope, OutboxStore, StoredOutboxEntry } from './outbox/outbox-store.js';
export { ConnectionLostError } from './room-link.js';
export { CallState } from './calls/call-state.js';
// A type only: the class is in the call code, loaded when the first call comes (calls/call-router.ts).
export type { Call, CallEvents, CallTrack } from './calls/call.js';
export type { CallMedia, CallOptions } from './calls/call-media.js';
export type { StartCallOptions } from './calls/call-registry.js';
export type { AutoAwayOptions, AwayChannel, AwayDocument, AwayEnvironment } from './conversations/auto-away.js';
export type { StatusChoice } from './conversations/user-status.js';
export type { UploadOptions, UploadProgress } from './upload.js';
export { commandsMatching, parseCommandLine } from './commands.js';
export type { CommandLine } from './commands.js';
export type { RestrictionOptions, RoomModerationInput } from './moderation.js';

export { CallKind, ChatError, ErrorCode, MemberRole, NotificationLevel, PresenceStatus } from '@chat/protocol';
export type {
  Attachment,
  CommandInfo,
  CommandRunResult,
  IceServer,
  Member,
  Message,
  PublicRoom,
  ReactionSummary,
  ReadState,
  Restriction,
  Room,
  RoomRemovedEvent,
  RoomRemovedReason,
  RoomSummary,
  UserPresence,
  UserRef,
} from '@chat/protocol';
