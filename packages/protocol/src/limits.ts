/** Server limits; every one has a default and an error code when exceeded. */
export interface ChatLimits {
  /** Longest message text, in characters (`PAYLOAD_TOO_LARGE`). @default 4000 */
  maxTextLength: number;
  /** Attachments per message (`PAYLOAD_TOO_LARGE`). @default 10 */
  maxAttachments: number;
  /** Rooms one socket may have joined at once (`FORBIDDEN` on the next join). @default 50 */
  maxRoomsPerSocket: number;
  /** Largest history page a client may ask for (`VALIDATION_FAILED` above it). @default 100 */
  maxHistoryPage: number;
  /** Page size when a client gives no `limit`, and the page sent on join. @default 50 */
  defaultHistoryPage: number;
  /** Longest display name, after cleaning (a guest gets `UNAUTHENTICATED` at connect). @default 64 */
  maxNameLength: number;
  /** Largest Socket.IO packet in bytes; larger ones close the connection (Socket.IO's own default is 1 MB). @default 65536 */
  maxHttpBufferSize: number;
  /** Token bucket per user for `message:send`: burst size (`RATE_LIMITED`). @default 20 */
  messageBurst: number;
  /** Token bucket per user for `message:send`: sustained messages per second. @default 5 */
  messagesPerSecond: number;
  /** Largest REST request body in bytes (`PAYLOAD_TOO_LARGE`). @default 16384 */
  maxRestBodyBytes: number;
  /** Token bucket per user (all of the user's sockets together) for all other events: burst size. @default 60 */
  eventBurst: number;
  /** Token bucket per user for all other events: sustained events per second. @default 20 */
  eventsPerSecond: number;
  /** Bytes of history (pages, join pages, REST history) one user may be sent at once before waiting (`RATE_LIMITED`). @default 4000000 */
  readBytesBurst: number;
  /** Bytes of history per second one user may be sent, sustained. @default 1000000 */
  readBytesPerSecond: number;
  /** Requests of one user the server works on at once, over all of the user's sockets (`RATE_LIMITED` above it). @default 8 */
  maxRequestsInFlightPerUser: number;
  /** Sockets one user may have connected at once (`RATE_LIMITED` on connect above it). @default 20 */
  maxSocketsPerUser: number;
  /** Different emojis one message may carry (`PAYLOAD_TOO_LARGE` for a new one above it). @default 20 */
  maxReactionsPerMessage: number;
  /** User ids one message may mention (`PAYLOAD_TOO_LARGE`). @default 20 */
  maxMentions: number;
  /** Members of a direct room, the caller included (`PAYLOAD_TOO_LARGE` above it). @default 10 */
  maxDirectMembers: number;
  /** People in one call (mesh: every pair has a connection); joining a full call answers `FORBIDDEN`. @default 4 */
  maxCallParticipants: number;
  /** `call:signal` per user: burst size (`RATE_LIMITED`); ICE candidates come in bursts at call setup. @default 200 */
  signalBurst: number;
  /** `call:signal` per user, sustained per second. @default 50 */
  signalsPerSecond: number;
  /**
   * Longest voice message, in ms, as its attachment's `durationMs` declares it (`VALIDATION_FAILED`
   * above it); its file is bounded by the uploads' `maxBytes`. @default 300000 (5 minutes)
   */
  maxVoiceMs: number;
}

/** The defaults of {@link ChatLimits}. */
export const DEFAULT_LIMITS: Readonly<ChatLimits> = Object.freeze({
  maxTextLength: 4000,
  maxAttachments: 10,
  maxRoomsPerSocket: 50,
  maxHistoryPage: 100,
  defaultHistoryPage: 50,
  maxNameLength: 64,
  maxHttpBufferSize: 64 * 1024,
  messageBurst: 20,
  messagesPerSecond: 5,
  maxRestBodyBytes: 16 * 1024,
  eventBurst: 60,
  eventsPerSecond: 20,
  readBytesBurst: 4_000_000,
  readBytesPerSecond: 1_000_000,
  maxRequestsInFlightPerUser: 8,
  maxSocketsPerUser: 20,
  maxReactionsPerMessage: 20,
  maxMentions: 20,
  maxDirectMembers: 10,
  maxCallParticipants: 4,
  signalBurst: 200,
  signalsPerSecond: 50,
  maxVoiceMs: 300_000,
});

/** Largest `room:members` page (`ID_LIMITS.membersPage`), apart so that a bundle needing only it leaves `ID_LIMITS` out. */
export const MEMBERS_PAGE_LIMIT = 100;
/** Join acks carry other members' read marks for rooms up to this many stored members (`ID_LIMITS.readsInJoin`), apart as `MEMBERS_PAGE_LIMIT` is. */
export const READS_IN_JOIN_LIMIT = 50;

/** Hard bounds of ids on the wire, not configurable. */
export const ID_LIMITS = Object.freeze({
  roomId: 128,
  clientId: 64,
  messageId: 64,
  url: 2048,
  attachmentName: 255,
  mimeType: 127,
  title: 200,
  metadataBytes: 8192,
  token: 16384,
  epoch: 128,
  /** Longest name of an upload an encrypted message declares (`MessageSendPayload.uploads`, `<id>.bin`). */
  upload: 64,
  /** Longest user id accepted in a payload (mentions). */
  userId: 256,
  /** Longest reaction emoji, in UTF-16 code units (a skin-toned ZWJ sequence fits). */
  emoji: 32,
  /** User ids listed per emoji in `Message.reactions` (`count` stays exact). */
  reactionUserIds: 25,
  /** Longest status text, in characters. */
  statusText: 100,
  /** User ids one `presence:of` may ask about. */
  presenceQuery: 100,
  /** Largest `room:members` page (`VALIDATION_FAILED` above it). */
  membersPage: MEMBERS_PAGE_LIMIT,
  /** A `room:members` page without `limit`, and the first page a large room's join sends. */
  membersPageDefault: 50,
  /** Longest `room:members` cursor, in characters. */
  membersCursor: 64,
  /** Typists a `typing` event names; past them it carries `count` ("several people are typing"). */
  typingUsers: 3,
  /** Members whose changes one presence delta of a large room carries (the count is always exact). */
  largeRoomDeltaMembers: 10,
  /** Join acks carry other members' read marks for rooms up to this many stored members. */
  readsInJoin: READS_IN_JOIN_LIMIT,
  /** Longest SDP in a `call:signal`, in characters. */
  sdp: 32768,
  /** Longest ICE candidate line (and sdpMid, usernameFragment), in characters. */
  candidate: 1024,
  /** Longest ban, mute or report reason, in characters. */
  reason: 500,
  /** Longest slash command name; arguments are bounded by `maxTextLength`. */
  commandName: 32,
  /** Longest slow mode, in milliseconds (a day). */
  slowModeMs: 86_400_000,
  /** Latest ban or mute end accepted, in milliseconds from now (ten years; omit `until` for "until lifted"). */
  restrictionMs: 315_360_000_000,
  /** Names a handshake may list in `auth.features`, and the longest name. */
  handshakeFeatures: 16,
  featureName: 64,
});
