import { ChatError, type Ack, type ClientToServerEvents } from '@chat/protocol';

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

/** The requests a room's features send, over the client's connection (the narrow part of a ChatRoom's link). */
export interface ServerLink {
  request<E extends RequestEvent>(event: E, payload: RequestPayload<E>): Promise<ResponseData<E>>;
  readonly connected: boolean;
  /** The id of the connection now (a new one after every reconnect), undefined while offline. */
  readonly socketId: string | undefined;
}
