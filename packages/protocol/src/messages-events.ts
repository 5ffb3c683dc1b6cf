// Messages' client events: send, edit, delete, react, type.
import type { Ack, EmptyResult } from './ack.js';
import type { MessageSendPayload, MessageSendResult } from './message-payloads.js';
import type { Message } from './types.js';

/** Changes the text of one's own message (or any, if `authorize` allows `message:edit`). */
export interface MessageEditPayload {
  roomId: string;
  messageId: string;
  /** The new text; '' in an encrypted room, whose edits carry `ciphertext` instead. */
  text: string;
  /** The mentions of the new text (replace the old ones); ids of users not in the room are dropped. */
  mentions?: string[];
  /**
   * Only in an encrypted room (and required there): the MLS application message that holds the
   * new text, sealed for this message and its author (see docs/protocol.md). Replaces the old one.
   */
  ciphertext?: string;
  /** With `ciphertext`: the epoch it was encrypted in; taken only while the group is at it (`E2EE_STALE_EPOCH`). */
  epoch?: number;
  /** With `ciphertext` (and required with it): the device that encrypted it; a removed device is refused (`E2EE_DEVICE_REMOVED`). */
  deviceId?: string;
}
/** Deletes a message: it stays as a placeholder (id, seq, deletedAt) without text or attachments. */
export interface MessageDeletePayload {
  roomId: string;
  messageId: string;
}
/** Adds or takes back the caller's reaction with one emoji. */
export interface ReactionPayload {
  roomId: string;
  messageId: string;
  /** One emoji (a grapheme such as 👍, ❤️ or 👩🏽‍💻), at most `ID_LIMITS.emoji` UTF-16 units. */
  emoji: string;
}
/** The answer to `message:edit`, `message:delete`, `reaction:add` and `reaction:remove`: the message after the change. */
export interface MessageChangeResult {
  message: Message;
}
export interface TypingPayload {
  roomId: string;
  typing: boolean;
}
/** Messages' client events: send, change, react, type. */
export interface MessageClientEvents {
  'message:send': (payload: MessageSendPayload, ack: Ack<MessageSendResult>) => void;
  typing: (payload: TypingPayload, ack: Ack<EmptyResult>) => void;
  'message:edit': (payload: MessageEditPayload, ack: Ack<MessageChangeResult>) => void;
  'message:delete': (payload: MessageDeletePayload, ack: Ack<MessageChangeResult>) => void;
  'reaction:add': (payload: ReactionPayload, ack: Ack<MessageChangeResult>) => void;
  'reaction:remove': (payload: ReactionPayload, ack: Ack<MessageChangeResult>) => void;
}
