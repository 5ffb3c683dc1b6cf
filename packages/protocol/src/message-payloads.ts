import type { Attachment, Message } from './types.js';

// The payloads and answers of `message:send` and `message:history` (the event maps are in events.ts).

export interface MessageSendPayload {
  roomId: string;
  /** Idempotency key chosen by the client (a UUID); a resend with the same key is stored once. */
  clientId: string;
  /** The text; '' in an encrypted room, whose messages carry `ciphertext` instead. */
  text: string;
  /**
   * Only in an encrypted room (and required there): the MLS application message (a base64
   * MLSMessage) that holds the text. The server stores and forwards it without reading it.
   */
  ciphertext?: string;
  /**
   * With `ciphertext`: the epoch of the room's MLS group it was encrypted in. The server takes it
   * only while the group is at this epoch (`E2EE_STALE_EPOCH` otherwise: catch up and encrypt again),
   * so nothing is sent under keys of members already removed.
   */
  epoch?: number;
  /**
   * With `ciphertext` (and required with it): the device that encrypted it (its `e2ee:sync`
   * deviceId). A device removed with `e2ee:device:remove` is refused (`E2EE_DEVICE_REMOVED`).
   */
  deviceId?: string;
  attachments?: Attachment[];
  replyTo?: string;
  /** User ids mentioned in the text; ids of users not in the room are dropped by the server. */
  mentions?: string[];
  /**
   * Post a thread reply: the id of a message of the same room (`MESSAGE_NOT_FOUND` otherwise). A
   * reply's id puts the new one in that reply's thread; a deleted parent is fine.
   */
  threadOf?: string;
  /** With `threadOf`: show the reply in the room's main log too. @default false */
  alsoInRoom?: boolean;
  /**
   * Only with `ciphertext`: the uploads the encrypted message carries, named in clear as stored
   * (the last part of each file's URL, `<id>.bin`; at most `maxAttachments`). Each must be the
   * sender's upload for this room (`FORBIDDEN` otherwise). They then count as sent, and go when the
   * message is deleted; uploads never named are removed as unsent. Their keys, names and types stay
   * inside the ciphertext.
   */
  uploads?: string[];
}
export interface MessageSendResult {
  message: Message;
}
export interface MessageHistoryPayload {
  roomId: string;
  /**
   * Page a thread instead of the main log: the replies of this top-level message (by seq, with
   * `before`, `after` and `limit` as for the room). Not with `changedAfter` (which covers the room's
   * replies already).
   */
  threadOf?: string;
  /** Messages with seq below this one (older). */
  before?: number;
  /** Messages with seq above this one (newer); used to catch up. Not with `before`. */
  after?: number;
  /**
   * Catching up changes: messages whose `rev` is above this one, in `rev` order (oldest change
   * first), each once in its current state. Not with `before` or `after`; `minSeq` and `maxSeq`
   * narrow it to the messages a client holds.
   */
  changedAfter?: number;
  /** With `changedAfter`: only messages with seq at least this. */
  minSeq?: number;
  /** With `changedAfter`: only messages with seq at most this. */
  maxSeq?: number;
  limit?: number;
}
export interface MessageHistoryResult {
  /** Oldest first (by seq; with `changedAfter`, by rev). */
  messages: Message[];
  /** More messages exist beyond this page in the direction asked. */
  hasMore: boolean;
  /**
   * The seq the room's history now starts at, when older messages were removed (retention, or a
   * store that keeps only the latest) and this page reaches back to them: seqs below it are gone
   * for good, by policy, not lost. A page `after` a seq below it starts here; a page `before`
   * ends here with `hasMore: false`.
   */
  historyStart?: number;
}
