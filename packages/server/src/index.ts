export { ChatServer, createChatServer } from './chat-server.js';
export type { ServerMessageInput } from './chat-server.js';
export { ChatAction } from './core/policy.js';
export type { Authorize, BeforeMessage, ChatContext, CreateRoomsOnJoin, MessageInput } from './core/policy.js';
export type { ChatIO, ChatServerOptions } from './options.js';
export { definePlugin } from './core/plugin.js';
export type {
  ChatPlugin,
  DefinedPlugin,
  PersonalData,
  PluginAuthorizeRequest,
  PluginBase,
  PluginBudget,
  PluginEvent,
  PluginEvents,
  PluginHandler,
  PluginMessageEvent,
  PluginMessageInput,
  PluginPeers,
  PluginPresenceEvent,
  PluginRequest,
  PluginServerEvent,
  PluginTools,
} from './core/plugin.js';
export type { PluginMigration, PluginSql, StorePart } from './core/store-part.js';
export type { StandardSchemaV1, StandardIssue, StandardResult } from './core/standard-schema.js';
export type { RawHttp, RawRoutes, RestReply, RestRequest, RestRoute, SignedIn } from './core/capability.js';
export type { CreateRoomOptions } from './kernel/rooms/create-room.js';
export type { RestHandler, RestHandlerOptions } from './kernel/http/rest-handler.js';
export type { ServiceWorkerHandlerOptions, WidgetHandlerOptions } from './kernel/http/widget-files.js';
export { DiskUploads, diskUploads } from './capabilities/uploads/index.js';
export { DEFAULT_LIVE_REACTIONS, liveReactions, type LiveReactionsOptions } from './plugins/live-reactions/index.js';
export { DEFAULT_PREVIEW_USER_AGENT, linkPreviews } from './plugins/link-previews/index.js';
export { DEFAULT_MAX_PINS, pins } from './plugins/pins/index.js';
export type { PinsOptions, PinsPlugin, PinStore, StoredPin } from './plugins/pins/index.js';
export { DEFAULT_POLL_UPDATES_PER_SECOND, polls } from './plugins/polls/index.js';
export type { OptionCount, PollsOptions, PollStore, StoredPoll, StoredVote, VoteOutcome } from './plugins/polls/index.js';
export { DEFAULT_QUESTION_UPDATES_PER_SECOND, questions } from './plugins/questions/index.js';
export type {
  CountedQuestion,
  QuestionQuery,
  QuestionsOptions,
  QuestionStore,
  StoredPendingQuestion,
  StoredQuestion,
  StoredUpvote,
  UpvoteOutcome,
} from './plugins/questions/index.js';
export type {
  CachedPreview,
  LinkPreviewStore,
  LinkPreviewsOptions,
  LinkPreviewsPluginOptions,
  StoredPreviewImage,
} from './plugins/link-previews/index.js';
export type { DiskUploadsOptions } from './capabilities/uploads/index.js';
export type { ChatUploads, UploadContext, UploadFile, UploadTarget } from './capabilities/uploads/index.js';
export type { ChatServerEventName, ChatServerEvents, ErrorContext, JoinEvent, LeaveEvent } from './core/server-events.js';
export { ChatBot } from './capabilities/bots/index.js';
export type { BotMessageDraft, BotMessageListener, BotOptions, ChatBotEvents } from './capabilities/bots/index.js';
export type { CommandContext, CommandOptions } from './capabilities/bots/index.js';
export { WebhookEvent } from './plugins/webhooks/index.js';
export type { WebhookOptions } from './plugins/webhooks/index.js';
export type { WebhookBody } from './plugins/webhooks/index.js';
export { verifyWebhookSignature, WEBHOOK_ID_HEADER, WEBHOOK_SIGNATURE_HEADER } from './plugins/webhooks/index.js';

export { guestAuthenticate } from './auth/guest-authenticate.js';
export type { GuestAuthenticateOptions } from './auth/guest-authenticate.js';
export { jwtAuthenticate } from './auth/jwt-authenticate.js';
export type { JwtAuthenticateOptions } from './auth/jwt-authenticate.js';
export type { Authenticate, ChatHandshake } from './core/handshake.js';

export type { ChatCluster, ClusterHost, ClusterParts } from './cluster/chat-cluster.js';
export type { PresenceAdd, PresenceRegistry, UserStatus } from './core/presence-registry.js';
export type { Notify, NotifyEvent, NotifyKind } from './core/notify.js';
export { DEFAULT_PUSH_ENDPOINTS, webPush } from './plugins/push/index.js';
export type { WebPush, WebPushOptions } from './plugins/push/index.js';
export type { PushContent, PushPayload } from './plugins/push/index.js';
export type { AwayReason } from './core/notify.js';
export type { TypingStore } from './local/typing-store.js';
export type { ChangedQuery, EphemeralLog } from './store/ephemeral-log.js';
export type { CallOptions, IceServersOption } from './capabilities/calls/index.js';
export type { CallRead, CallStore } from './local/call-store.js';
export type { CallParticipant, CallState } from './core/call-state.js';
export { MemoryStore } from './store/memory-store.js';
export type { MemoryStoreOptions } from './store/memory-store.js';
export type {
  AppendResult,
  ChangeResult,
  ChatStore,
  BuiltInStorePartName,
  ChatStoreCore,
  ModerationStore,
  PushStore,
  RetentionStore,
  SearchStore,
  UserDataStore,
  ConversationRow,
  CreateRoomInput,
  CreateRoomResult,
  ExpiredBatch,
  MessageChange,
  MessageDraft,
  MessagePage,
  MessageQuery,
  MemberRoom,
  ReadMarkResult,
  RoomMember,
  RoomPatch,
  RoomQuery,
  StoredUser,
  UserMembership,
  UserReaction,
  UserThreadRead,
  UserRecords,
} from './core/chat-store.js';
export type {
  AuditDraft,
  AuditPage,
  LogQuery,
  ReportDraft,
  ReportPage,
  ReportResult,
  RoomStanding,
  StandingPatch,
} from './core/moderation-records.js';
export type { MessageSearchPage, MessageSearchQuery } from './core/search-records.js';
export { ERASED_USER } from './core/chat-store.js';
export type { RetentionOptions } from './plugins/retention/index.js';
export type { FilesRelease, MessageKey, UploadedFile } from './core/ports.js';
export type { E2eeCommitDraft, E2eeGroupHead, E2eeStore, E2eeUserData, E2eeUserDevice } from './core/e2ee-store.js';
export type { ModerationOptions } from './capabilities/moderation/index.js';
export type { LogPageOptions } from './capabilities/moderation/index.js';
export type { RateLimiter } from './limits/rate-limiter.js';
export type { CollapseClaims } from './core/collapse-claims.js';

export { AuditAction, ChatError, ErrorCode, DEFAULT_LIMITS, MemberRole } from '@chat/protocol';
export type {
  AuditEntry,
  Call,
  CallKind,
  ChatLimits,
  ChatUser,
  IceServer,
  Member,
  Message,
  NotificationLevel,
  ReactionSummary,
  Report,
  Restriction,
  Room,
  RoomSummary,
  UserPresence,
  UserRef,
} from '@chat/protocol';
