import type { LinkPreview } from './link-previews/link-preview.js';
import type { Poll } from './polls/poll.js';
import type { Question } from './questions/question.js';
import type { SystemNote } from './calls.js';
import type { MemberRole, Restriction } from './moderation.js';
import type { UserRef } from './user.js';
import type { AttachmentKind } from './voice.js';

/** A file or link attached to a message. Only http(s) URLs are accepted. */
export interface Attachment {
  url: string;
  /** MIME type, such as `image/png`. */
  type: string;
  name?: string;
  /** Size in bytes. */
  size?: number;
  /**
   * Set by the SDK in an encrypted room, never sent to the server in clear (it travels inside the
   * MLS ciphertext): the file at `url` is AES-256-GCM ciphertext, opened with this key
   * (`client.e2ee.openFile(attachment)`).
   */
  e2ee?: AttachmentEncryption;
  /** `'voice'`: a voice message, whose `type` is one of `VOICE_TYPES`; absent for any other file. */
  kind?: AttachmentKind;
  /**
   * A voice message's length in whole milliseconds, as the sender's recorder measured it (the
   * server cannot decode audio: it bounds it by `limits.maxVoiceMs`). Only with `kind: 'voice'`.
   */
  durationMs?: number;
  /** A voice message's loudness from start to end: at most `VOICE_WAVEFORM_MAX` (64) whole numbers 0-255. Optional. */
  waveform?: number[];
}

/** How an encrypted room's file was encrypted before its upload (all base64). */
export interface AttachmentEncryption {
  /** The file's own AES-256-GCM key (32 bytes), fresh for every file. */
  key: string;
  /** The 12-byte IV it was encrypted with. */
  iv: string;
  /** SHA-256 of the uploaded ciphertext: checked before it is decrypted. */
  sha256: string;
}

/** The reactions of one emoji on a message. */
export interface ReactionSummary {
  /** How many users reacted with this emoji: exact. */
  count: number;
  /** Who reacted, oldest first; at most `ID_LIMITS.reactionUserIds` of them (so may be fewer than `count`). */
  userIds: string[];
}

/**
 * Where and how the client sends a file (the answer of REST `POST /uploads`, as `{ upload }`): `PUT` with the file as the body, or `POST` of a
 * multipart form with `fields` first and the file last, as `fileField`.
 */
export interface UploadTarget {
  /** Absolute URL, or a path on the chat server (resolved against the client's upload URL). */
  url: string;
  method: 'PUT' | 'POST';
  /** Headers the client must send (a presigned PUT's `Content-Type`...). */
  headers?: Record<string, string>;
  /** Form fields sent before the file (a presigned POST's policy fields). */
  fields?: Record<string, string>;
  /** Name of the file's form field. @default 'file' */
  fileField?: string;
  /** The attachment the message will carry once the upload succeeded. Without it, the upload's JSON answer gives `{ attachment }` (the disk default does). */
  attachment?: Attachment;
  /** Send the chat credentials with the upload: only for the chat server's own `POST /uploads`, never for another host. */
  withAuth?: boolean;
}

/**
 * People a thread summary names (`ThreadSummary.participants`; `replyCount` stays exact). A constant
 * of its own, not in `ID_LIMITS`: a client bundle that does not show threads does not carry it.
 */
export const THREAD_PARTICIPANTS_MAX = 5;

/** Most threads a join ack lists in `threads` (the most recent first); a constant of its own as `THREAD_PARTICIPANTS_MAX`. */
export const THREAD_READS_IN_JOIN = 100;

/**
 * The thread of a top-level message: its replies (`message:send` with `threadOf`). Carried by the
 * parent as `Message.thread` once it has a reply; it changes by `message:updated` like any change.
 */
export interface ThreadSummary {
  /** How many replies the thread has: exact, deleted replies included (they stay as placeholders). */
  replyCount: number;
  /** ISO 8601 time of the newest reply. */
  lastReplyAt: string;
  /** The first people who replied, in the order of their first reply; at most `THREAD_PARTICIPANTS_MAX`. */
  participants: UserRef[];
}

/**
 * Your unread replies in one thread you take part in (you wrote its parent or a reply): the
 * join ack's `threads`. Your thread marks move with `read:mark { roomId, seq, threadOf }`.
 */
export interface ThreadRead {
  /** The id of the thread's parent (a top-level message of the room). */
  threadOf: string;
  /** Your mark in this thread: the seq of the last reply you have read (0: none). */
  readSeq: number;
  /** Replies of others after `readSeq` in the thread, those sent `alsoInRoom` too (they count in the room's unread as well). */
  unread: number;
}

/** A stored (or, in ephemeral rooms, broadcast) message. */
export interface Message {
  /** Server-assigned id, unique across rooms. */
  id: string;
  roomId: string;
  /** Per-room sequence number: 1, 2, 3... assigned by the store, only grows. */
  seq: number;
  /** The sender's idempotency key: a resend with the same one returns this message. */
  clientId: string;
  user: UserRef;
  /** The text; '' in an encrypted room (the SDK shows what it decrypted from `ciphertext`). */
  text: string;
  /** In an encrypted room: the MLS application message (base64) that holds the text, which the server cannot read. */
  ciphertext?: string;
  /**
   * Set by the SDK, never sent by the server: an encrypted message this device cannot read (sent
   * before it joined the room's group, or altered, replayed, or not from the sender named).
   */
  undecryptable?: true;
  attachments: Attachment[];
  /** Id of the message this one answers. */
  replyTo?: string;
  /**
   * Set on a thread reply: the id of the top-level message whose thread it is in (never a reply's
   * id: a reply to a reply joins the same thread). Such a message takes the room's next `seq` like
   * any other, but is in the room's main log (join acks, `message:history` without `threadOf`) only
   * with `alsoInRoom`.
   */
  threadOf?: string;
  /** With `threadOf`: the reply was sent to the room too, and is also in the main log. */
  alsoInRoom?: true;
  /** On a top-level message with replies: its thread's summary (changes with `message:updated`). */
  thread?: ThreadSummary;
  /** ISO 8601 time the server stored it. */
  createdAt: string;
  /**
   * The room's change counter when this message last changed (edit, delete, reaction); 0 for a
   * message never changed. Per room it only grows: of two copies of a message, the one with the
   * higher `rev` is the newer. See `docs/protocol.md`, "Changes and catching up".
   */
  rev: number;
  /** ISO 8601 time of the last edit of the text. */
  editedAt?: string;
  /** ISO 8601 time it was deleted: the message keeps its id and seq, its text is '' and it has no attachments, mentions or reactions. */
  deletedAt?: string;
  /** Reactions by emoji; absent when there are none. */
  reactions?: Record<string, ReactionSummary>;
  /** Ids of the users mentioned, each a member of the room when the text was written. */
  mentions?: string[];
  /** Set on lines the server writes for something that happened (a call started or ended); `text` is an English fallback. */
  system?: SystemNote;
  /**
   * Cards for the text's first link (the server's `linkPreviews()` plugin), added by
   * `message:updated` after the message was stored; `[]` once its sender removed them. An edit of
   * the text takes them away until the new text's link is previewed.
   */
  previews?: LinkPreview[];
  /**
   * A poll (the server's `polls()` plugin): its options with exact counts, changed by
   * `message:updated` as votes come (a few times a second at most). `text` is its question, for
   * a reader that shows no polls. A delete takes it away.
   */
  poll?: Poll;
  /**
   * A question (the server's `questions()` plugin): its exact upvotes and whether a moderator
   * answered or hid it, changed by `message:updated` (a few times a second at most). `text` is the
   * question. A delete takes it away.
   */
  question?: Question;
}

/** Room options that change how the server treats it. */
export interface RoomOptions {
  /** Messages are broadcast but never stored. @default false */
  ephemeral?: boolean;
  /** Only users `authorize` allows may join. @default false */
  private?: boolean;
  /**
   * A direct room: the one room of exactly its members (`chat.openDirectRoom`, `client.direct`),
   * private to them. Its id is derived from the member ids. @default false
   */
  direct?: boolean;
  /** Read-only for everyone but moderators (`moderation:room`, `chat.updateRoom`). @default false */
  frozen?: boolean;
  /** Slow mode: each member may send one message per this many milliseconds (`RATE_LIMITED` with `retryAfter`); 0 or absent: off. */
  slowModeMs?: number;
  /**
   * Messages older than this many days are deleted (with their reactions and files); overrides
   * the server's `retention.days` for this room. Absent: the server's. At most `MAX_RETENTION_DAYS` (36500).
   */
  retentionDays?: number;
  /**
   * End-to-end encrypted (MLS): messages carry `ciphertext` instead of `text`. Set when the room
   * is created; it never changes. @default false
   */
  encrypted?: boolean;
}

/** A room. */
export interface Room {
  id: string;
  title?: string;
  /** JSON the host owns; every member and REST reader of the room sees it. */
  metadata?: Record<string, unknown>;
  /**
   * JSON only the server sees (the server API, `authorize`, `beforeMessage`): it is never sent
   * to a member or a REST client. Set it with `chat.createRoom` / `chat.updateRoom`.
   */
  privateMetadata?: Record<string, unknown>;
  options: RoomOptions;
  /** User id of the creator, if any. */
  createdBy?: string;
  createdAt: string;
  /** Set when the room was ended; ended rooms refuse joins and sends (`ROOM_ENDED`). */
  endedAt?: string;
}

/** A room as members and REST clients receive it: `privateMetadata` never leaves the server. */
export type PublicRoom = Omit<Room, 'privateMetadata'>;

/** Presence status of a member. */
export const PresenceStatus = {
  ONLINE: 'online',
  AWAY: 'away',
  BUSY: 'busy',
} as const;
export type PresenceStatus = (typeof PresenceStatus)[keyof typeof PresenceStatus];

/** A user present in a room (one entry per user, however many tabs). */
export interface Member extends UserRef {
  status: PresenceStatus;
  /** What the user says about their status ("In a meeting until 3"), if anything. */
  statusText?: string;
  /** ISO time the user's first socket joined the room. */
  joinedAt: string;
  /** The user's role in this room; absent means `member`. */
  role?: MemberRole;
  /** Set while the user is muted in this room (reads, cannot send or react): `until` only; the reason reaches the user in `MUTED` and moderators in the audit log. */
  muted?: Restriction;
}

/** Where a user stands, for users in no room one shares (`presenceOf`). */
export interface UserPresence {
  id: string;
  /** True while the user has a connected socket (on any process). */
  online: boolean;
  /** The status the user set; `online` when they set none. Meaningful while `online`. */
  status: PresenceStatus;
  statusText?: string;
  /** ISO time the user's last socket went away (kept in the store); absent while online or if never seen. */
  lastSeenAt?: string;
}

/** Which messages of a room notify a user who is not looking: all, only direct messages and mentions, or none. */
export const NotificationLevel = {
  ALL: 'all',
  MENTIONS: 'mentions',
  NONE: 'none',
} as const;
export type NotificationLevel = (typeof NotificationLevel)[keyof typeof NotificationLevel];

/** One room of a user's list of conversations (`client.conversations()`, REST `GET /me/rooms`). */
export interface RoomSummary {
  room: PublicRoom;
  /**
   * Messages of others in the room's log after the user's read mark (thread-only replies left
   * out; a reply sent `alsoInRoom` counts): exact, the same on every device.
   */
  unread: number;
  /** Of those, the ones that mention the user. */
  mentions: number;
  /**
   * Thread replies of others after the user's mark in each thread the user takes part in (wrote
   * the parent or a reply), those sent `alsoInRoom` too; absent when none.
   */
  threadUnread?: number;
  /** The seq the user has read up to (0: nothing). */
  readSeq: number;
  /** The newest message, if any. */
  lastMessage?: Message;
  notifications: NotificationLevel;
  /** For direct rooms: the members (the user included), oldest first, so that clients can name the room. */
  members?: UserRef[];
}
