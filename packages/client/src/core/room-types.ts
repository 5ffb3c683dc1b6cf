import type { Attachment, Member } from '@chat/protocol';

/** What `room.send()` takes besides plain text. */
export interface MessageDraftInput {
  text?: string;
  attachments?: Attachment[];
  replyTo?: string;
  /** Ids of the users the text mentions; the server keeps those present in the room. */
  mentions?: string[];
}

/** What `thread.send()` takes besides plain text. */
export interface ThreadDraftInput extends MessageDraftInput {
  /** Show the reply in the room's log too. @default false */
  alsoInRoom?: boolean;
}

/** What `room.edit()` takes besides the text. */
export interface MessageEditOptions {
  /** The mentions of the new text: they replace the old ones (none when absent). */
  mentions?: string[];
}

/** A presence change as the room saw it. */
export interface PresenceChange {
  joined: Member[];
  left: Member[];
  /** Members who stayed and changed (their status or status text). */
  updated: Member[];
  /** Everyone present after the change (in a large room, those loaded: see `ChatRoom.isLarge`). */
  members: Member[];
  /** How many members the room has after the change, exactly. */
  memberCount: number;
}

/** Messages the room could not get: a hole the server cannot fill, or a history that started over. */
export interface Discontinuity {
  /**
   * `gap`: messages after `after` up to `resumedAt` are gone for good (an ephemeral room). Messages
   * the server deleted by policy (retention, a trimmed memory store: its `historyStart`) are no
   * gap and are not told. `reset`: the room's history started over on the server (a memory
   * store restarted); `messages` now holds the new history only.
   */
  reason: 'gap' | 'reset';
  /** With `gap`: the last seq received before the hole. */
  after?: number;
  /** With `gap`: the first seq received after it. */
  resumedAt?: number;
}
