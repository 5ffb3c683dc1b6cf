import type { Socket } from 'socket.io-client';
import { builtInError, ChatError, type Ack, type AckResponse, type ClientToServerEvents, type ServerToClientEvents } from '@chat/protocol';

/** The client's socket.io-client socket, typed by the chat's events. */
export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

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

/**
 * Emits a request on a connected socket and waits up to `timeoutMs` for its ack: the data of
 * an ok answer, the server's ChatError for a refusal, a ConnectionLostError for no answer.
 * Emits before its first await: the caller's check that the socket is connected still holds.
 */
export async function emitRequest<E extends RequestEvent>(
  socket: ChatSocket,
  timeoutMs: number,
  event: E,
  payload: RequestPayload<E>,
): Promise<ResponseData<E>> {
  let response: AckResponse<ResponseData<E>>;
  try {
    // The typed emit cannot follow a generic event name; the event map still types payload and result.
    const emitter = socket.timeout(timeoutMs) as unknown as {
      emitWithAck(event: string, payload: unknown): Promise<AckResponse<ResponseData<E>>>;
    };
    response = await emitter.emitWithAck(event, payload);
  } catch (error) {
    throw new ConnectionLostError(
      socket.connected ? 'The server did not answer in time.' : 'The connection was lost before the server answered.',
      error,
    );
  }
  if (!response.ok) throw ChatError.fromData(response.error);
  return response.data;
}

/** Any error as a ChatError: itself, or INTERNAL with it as the cause. */
export function toError(error: unknown): ChatError {
  return error instanceof ChatError ? error : builtInError('INTERNAL', String(error), { cause: error });
}
