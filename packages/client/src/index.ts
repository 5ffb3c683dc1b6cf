export { ChatClient } from './chat-client.js';
export { ConnectionState } from './client-events.js';
export type { ChatAuth } from './core/auth.js';
export type { ChatClientEvents } from './client-events.js';
export type { ChatClientOptions } from './client-options.js';
export { ChatRoom } from './chat-room.js';
export { ChatThread } from './chat-thread.js';
export type { LiveReactions, LiveReactionsEvents } from './live-reactions/live-reactions.js';
export type { RoomPins } from './pins/room-pins.js';
export type { PluginLink, PluginStateHost } from './core/plugin-link.js';
export type { PollInput, PollsStateHost, RoomPolls } from './polls/room-polls.js';
export type { QuestionListOptions, QuestionsStateHost, RoomQuestions } from './questions/room-questions.js';
export type { MessageWindow, MessageWindowEvents } from './room/message-window.js';
export type { ChatThreadEvents } from './chat-thread-events.js';
export { RoomState } from './core/room-state.js';
export type { ChatRoomEvents } from './chat-room-events.js';
export type { Discontinuity, MessageDraftInput, MessageEditOptions, PresenceChange, ThreadDraftInput } from './core/room-types.js';
export { OutboxStatus } from './outbox/outbox.js';
export type { OutboxEntry } from './outbox/outbox.js';
export { memoryOutbox } from './outbox/memory-outbox.js';
export type { OutboxScope, OutboxStore, StoredOutboxEntry } from './outbox/outbox-store.js';
export { ConnectionLostError } from './core/transport.js';
export { CallState } from './calls/call-state.js';
// A type only: the class is in the call code, loaded when the first call comes (calls/call-router.ts).
export type { Call, CallEvents, CallTrack } from './calls/call.js';
export type { CallMedia, CallOptions } from './calls/call-media.js';
export type { StartCallOptions } from './calls/call-registry.js';
export type { AutoAwayOptions, AwayChannel, AwayDocument, AwayEnvironment } from './conversations/auto-away.js';
export type { StatusChoice } from './conversations/user-status.js';
export type { UploadOptions, UploadProgress } from './uploads/upload.js';
export type { SendVoiceOptions } from './uploads/send-voice.js';
export type { ChatPush } from './push/chat-push.js';
export type { BrowserPushSubscription, PushRegistration, PushSubscribeOptions } from './push/push-types.js';
export { memoryE2eeStore } from './e2ee/e2ee-store.js';
export type { E2eeDeviceStore } from './e2ee/e2ee-store.js';
export type { ChatE2ee, E2eeOptions } from './e2ee/chat-e2ee.js';
export type { E2eeDeviceInfo } from './e2ee/e2ee-engine.js';
export type { E2eeKeyChange } from './e2ee/key-watch.js';
export { commandsMatching, parseCommandLine } from './room/commands.js';
export type { CommandLine } from './room/commands.js';
export type { RestrictionOptions, RoomModerationInput } from './room/moderation.js';

export { CallKind, ChatError, ERASED_USER_ID, ErrorCode, MemberRole, NotificationLevel, PresenceStatus } from '@chat/protocol';
export type {
  Attachment,
  CommandInfo,
  CommandRunResult,
  IceServer,
  LinkPreview,
  LiveReactionBurst,
  Member,
  Poll,
  PendingQuestion,
  PollOption,
  Question,
  QuestionSort,
  Message,
  MessageSearchPayload,
  MessageSearchResult,
  PublicRoom,
  ReactionSummary,
  ReadState,
  Restriction,
  Room,
  RoomRemovedEvent,
  RoomRemovedReason,
  RoomSummary,
  SearchHighlight,
  SearchResult,
  ThreadSummary,
  UserPresence,
  UserRef,
} from '@chat/protocol';
