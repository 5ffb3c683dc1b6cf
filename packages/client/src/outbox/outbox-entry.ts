import type { Attachment, ChatError } from '@chat/protocol';
import type { ThreadDraftInput } from '../core/room-types.js';
import { uuid } from '../core/uuid.js';

/** State of a message that has not been acknowledged by the server. */
export const OutboxStatus = {
  /** Waiting to be sent, or sent and waiting for the ack (resent after a reconnect). */
  PENDING: 'pending',
  /** Refused by the server; it will not be resent. */
  FAILED: 'failed',
} as const;
export type OutboxStatus = (typeof OutboxStatus)[keyof typeof OutboxStatus];

/** A message in the outbox, as a UI shows it before the server has it. */
export interface OutboxEntry {
  clientId: string;
  roomId: string;
  text: string;
  attachments: Attachment[];
  replyTo?: string;
  /** User ids mentioned in the text. */
  mentions?: string[];
  /** A reply in the thread of this message (`thread.send()`). */
  threadOf?: string;
  /** A thread reply shown in the room's log too. */
  alsoInRoom?: boolean;
  status: OutboxStatus;
  error?: ChatError;
  /** When `send()` was called (ISO time). */
  createdAt: string;
}

/** The outbox entry of a message `room.send()` (or `thread.send()`, with `threadOf`) was given, with a new clientId. */
export function draftEntry(roomId: string, input: string | ThreadDraftInput, threadOf?: string): OutboxEntry {
  const draft = typeof input === 'string' ? { text: input } : input;
  const entry: OutboxEntry = {
    clientId: uuid(),
    roomId,
    text: draft.text ?? '',
    attachments: draft.attachments ?? [],
    status: OutboxStatus.PENDING,
    createdAt: new Date().toISOString(),
  };
  if (draft.replyTo !== undefined) entry.replyTo = draft.replyTo;
  if (draft.mentions !== undefined) entry.mentions = draft.mentions;
  if (threadOf !== undefined) entry.threadOf = threadOf;
  if (threadOf !== undefined && draft.alsoInRoom === true) entry.alsoInRoom = true;
  return entry;
}
