import type { Attachment, ChatError } from '@chat/protocol';

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
  status: OutboxStatus;
  error?: ChatError;
  /** When `send()` was called (ISO time). */
  createdAt: string;
}
