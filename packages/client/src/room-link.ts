import { ChatError, type Ack, type Attachment, type ClientToServerEvents, type NotificationLevel } from '@chat/protocol';
import type { CallRouter } from './calls/call-router.js';
import type { UploadOptions } from './upload.js';

/** Names of the client -> server events that take a request payload and an ack. */
export type RequestEvent = keyof ClientToServerEvents;
/** The payload of a request event. */
export type RequestPayload<E extends RequestEvent> = Parameters<ClientToServerEvents[E]>[0];
/** The ack data of a request event. */
export type ResponseData<E extends RequestEvent> = Parameters<ClientToServerEvents[E]>[1] extends Ack<infer T> ? T : never;

/**
 * The request failed on the way (disconnect, no answer in time), not by the server's choice:
 * retrying with the same idempotency key is safe.
 */
export class ConnectionLostError extends ChatError {
  constructor(message: string, cause?: unknown) {
    super('INTERNAL', message, { cause });
    this.name = 'ConnectionLostError';
  }
}

/** What a ChatRoom needs from its ChatClient. */
export interface RoomLink {
  request<E extends RequestEvent>(event: E, payload: RequestPayload<E>): Promise<ResponseData<E>>;
  readonly connected: boolean;
  /** The id of the connection now (a new one after every reconnect), undefined while offline. */
  readonly socketId: string | undefined;
  readonly typingThrottleMs: number;
  /** The room was left or ended: forget it. */
  detach(roomId: string): void;
  /** Uploads a file to the server's uploads (`client.upload`). */
  upload(file: Blob, options: UploadOptions): Promise<Attachment>;
  /** The user chose a notification level for the room (the conversations list shows it). */
  notificationsSet?(roomId: string, level: NotificationLevel): void;
  /** The client's calls (`room.startCall`, the calls going on in a room). */
  readonly calls?: CallRouter;
}
