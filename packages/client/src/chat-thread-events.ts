import type { ChatError, Message } from '@chat/protocol';

/** Events of a {@link ChatThread}. */
export interface ChatThreadEvents {
  /** A new reply: live, caught up after a reconnect, or your own once stored. Never twice. */
  message: (message: Message) => void;
  /** A reply held in `messages` changed (edited, deleted, reacted to). Carries the new copy. */
  messageUpdated: (message: Message) => void;
  /** The parent changed: its text, or its thread summary (`parent.thread`: a new reply, say). */
  parentUpdated: (message: Message) => void;
  /** Anything a view of the thread shows changed: replies, parent, outbox. */
  updated: () => void;
  /** A page of replies could not be loaded. */
  error: (error: ChatError) => void;
}
