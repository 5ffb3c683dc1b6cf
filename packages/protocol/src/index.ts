export { ChatError, ErrorCode, isChatErrorData, isErrorCode, toChatError } from './errors.js';
export { ERROR_CODES } from './error-codes.js';
export { builtInError } from './built-in-error.js';
export type { ChatErrorData, ChatErrorOptions } from './errors.js';
export type { ErrorCodeInfo } from './error-codes.js';

export { DEFAULT_LIMITS, ID_LIMITS, MEMBERS_PAGE_LIMIT, READS_IN_JOIN_LIMIT } from './limits.js';
export type { ChatLimits } from './limits.js';

export { NotificationLevel, PresenceStatus, THREAD_PARTICIPANTS_MAX, THREAD_READS_IN_JOIN } from './types.js';
export type {
  Attachment,
  AttachmentEncryption,
  Member,
  Message,
  PublicRoom,
  ReactionSummary,
  Room,
  RoomOptions,
  RoomSummary,
  ThreadRead,
  ThreadSummary,
  UploadTarget,
  UserPresence,
} from './types.js';
export type { ChatUser, UserRef } from './user.js';
export { ERASED_USER_ID } from './user.js';

export { ClientEvent, ClientFeature, RoomRemovedReason, ServerEvent } from './events.js';
export type { Ack, AckResponse, EmptyResult } from './ack.js';
export type { CallClientEvents, CallServerEvents } from './calls-events.js';
export type {
  LiveReactionBurst,
  LiveReactionClientEvents,
  LiveReactionSendPayload,
  LiveReactionServerEvents,
  LiveReactionsJoin,
} from './live-reactions/live-reaction-events.js';
export { pinPayloadSchema } from './pins/pin-schema.js';
export type { PinClientEvents, PinnedList, PinPayload, PinServerEvents, PinsJoin, PinsUpdated } from './pins/pin-events.js';
export { pollClosePayloadSchema, pollCreatePayloadSchema, pollVotePayloadSchema } from './polls/poll-schema.js';
export { POLL_LIMITS } from './polls/poll.js';
export type { Poll, PollOption } from './polls/poll.js';
export type {
  PollClientEvents,
  PollClosePayload,
  PollCreatePayload,
  PollMessageResult,
  PollMyVotes,
  PollsUpdated,
  PollServerEvents,
  PollsJoin,
  PollVotePayload,
} from './polls/poll-events.js';
export {
  questionAnswerPayloadSchema,
  questionAskPayloadSchema,
  questionHidePayloadSchema,
  questionListPayloadSchema,
  questionPendingPayloadSchema,
  questionReviewPayloadSchema,
  questionVotePayloadSchema,
} from './questions/question-schema.js';
export type {
  PendingQuestion,
  QuestionAskResult,
  QuestionPendingList,
  QuestionPendingPayload,
  QuestionReviewClientEvents,
  QuestionReviewPayload,
  QuestionReviewResult,
} from './questions/question-review-events.js';
export { QUESTION_LIMITS } from './questions/question.js';
export type { Question } from './questions/question.js';
export type {
  QuestionAnswerPayload,
  QuestionAnswerResult,
  QuestionAskPayload,
  QuestionClientEvents,
  QuestionHidePayload,
  QuestionList,
  QuestionListPayload,
  QuestionMessageResult,
  QuestionMyUpvote,
  QuestionServerEvents,
  QuestionSort,
  QuestionsJoin,
  QuestionsUpdated,
  QuestionVotePayload,
} from './questions/question-events.js';
export { LINK_PREVIEW_LIMITS } from './link-previews/link-preview.js';
export type { LinkPreview, LinkPreviewClientEvents, PreviewRemovePayload } from './link-previews/link-preview.js';
export { firstHttpLink, isHttpUrl, linkify } from './link-previews/text-links.js';
export type { TextPart } from './link-previews/text-links.js';
export type { E2eeClientEvents, E2eeServerEvents } from './e2ee-events.js';
export type { ModerationClientEvents, RoomUpdatedEvent } from './moderation-events.js';
export type { PushClientEvents } from './push-events.js';
export type { SearchClientEvents } from './search-events.js';
export type {
  AnyClientEvents,
  AnyServerEvents,
  CustomClientEvents,
  CustomRequestName,
  CustomServerEvents,
  RequestName,
  RequestPayloadOf,
  RequestResultOf,
  ServerEventData,
} from './custom-events.js';
export type { MessageHistoryPayload, MessageHistoryResult, MessageSendPayload, MessageSendResult } from './message-payloads.js';
export type {
  AuthExpiringEvent,
  AuthRefreshPayload,
  AuthRefreshResult,
  ChatErrorEvent,
  ClientToServerEvents,
  HandshakeOptions,
  MessageBatch,
  PresenceDelta,
  RoomClientEvents,
  RoomEndedEvent,
  RoomJoinPayload,
  RoomJoinResult,
  RoomLeavePayload,
  RoomMembersPayload,
  RoomMembersResult,
  RoomRemovedEvent,
  RoomServerEvents,
  ServerToClientEvents,
  TypingEvent,
} from './events.js';
export type {
  ConversationClientEvents,
  ConversationServerEvents,
  ConversationsListPayload,
  ConversationsListResult,
  NotificationsSetPayload,
  PresenceOfPayload,
  PresenceOfResult,
  PresenceStatusPayload,
  ReadEvent,
  ReadMarkPayload,
  ReadMarkResult,
  ReadState,
  RoomActivityEvent,
  RoomDirectPayload,
  RoomDirectResult,
  ThreadReadEvent,
} from './conversations-events.js';
export type {
  MessageChangeResult,
  MessageClientEvents,
  MessageDeletePayload,
  MessageEditPayload,
  ReactionPayload,
  TypingPayload,
} from './messages-events.js';

export { AuditAction, MemberRole } from './moderation.js';
export type {
  AuditEntry,
  CommandInfo,
  CommandRunPayload,
  CommandRunResult,
  MessageReportPayload,
  ModerationPayload,
  ModerationRolePayload,
  ModerationRoomPayload,
  Report,
  Restriction,
} from './moderation.js';

export { CallKind } from './calls.js';
export type {
  Call,
  CallIdPayload,
  CallResult,
  CallSignalData,
  CallSignalEvent,
  CallSignalPayload,
  CallStartPayload,
  IceServer,
  SystemNote,
} from './calls.js';

export { PUSH_ENDPOINT_MAX } from './push.js';
export type { PushKeyResult, PushSubscribePayload, PushUnsubscribePayload, WebPushSubscription } from './push.js';

export { SEARCH_PAGE_DEFAULT, SEARCH_PAGE_MAX, SEARCH_QUERY_MAX, SEARCH_TERMS_MAX } from './search.js';
export type { MessageSearchPayload, MessageSearchResult, SearchHighlight, SearchResult } from './search.js';

export { createAttachmentSchema } from './attachment-schema.js';
export { AttachmentKind, VOICE_TYPES, VOICE_WAVEFORM_MAX } from './voice.js';
export { createPayloadSchemas, MAX_RETENTION_DAYS } from './schemas.js';
export { parsePayload } from './parse-payload.js';
export { cleanDisplayName } from './display-name.js';
export { firstAfter } from './sorted-seqs.js';
export type { PayloadSchemas } from './schemas.js';
export { E2EE_CIPHERSUITE, E2EE_LIMITS } from './e2ee.js';
export type {
  E2eeClaimedKeyPackage,
  E2eeCommitEvent,
  E2eeCommitPayload,
  E2eeCommitResult,
  E2eeDevice,
  E2eeDeviceRemovePayload,
  E2eeDeviceRemoveResult,
  E2eeKeysClaimPayload,
  E2eeKeysClaimResult,
  E2eeKeysHeldPayload,
  E2eeKeysHeldResult,
  E2eeKeysPublishPayload,
  E2eeKeysPublishResult,
  E2eeLogEntry,
  E2eeKeysLowEvent,
  E2eePendingEvent,
  E2eeRemovedEvent,
  E2eeSyncPayload,
  E2eeSyncResult,
  E2eeWelcome,
  E2eeWelcomeEvent,
} from './e2ee.js';
