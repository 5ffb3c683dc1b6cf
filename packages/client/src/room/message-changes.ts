import { builtInError, ChatError, type Message, type MessageChangeResult } from '@chat/protocol';
import { MAX_WAIT_MS, MAX_WAITS, waitBeforeRetry } from '../core/retry-policy.js';
import { ConnectionLostError, type RequestPayload, type ServerLink } from '../core/transport.js';

/** The events that change a message; each acks with the message after the change. */
export type ChangeEvent = 'message:edit' | 'message:delete' | 'reaction:add' | 'reaction:remove';

/** How long a change waits for the connection (and the re-join) before it fails with TIMEOUT. */
export const OFFLINE_WAIT_MS = 10_000;

/** What {@link MessageChanges} needs from its room. */
export interface ChangeHost {
  readonly link: ServerLink;
  /** The room is joined on a live connection: a change can go now. */
  ready(): boolean;
  /** The error a change fails with once the room is left or ended; undefined while it is not. */
  _closedError(): ChatError | undefined;
  /** Calls `listener` whenever `ready()` or `closedError()` may have changed; returns the unsubscribe. */
  watch(listener: () => void): () => void;
  /** The server acknowledged a change: apply the message it answered with. */
  acked(message: Message): void;
}

/**
 * Edits, deletes and reactions of one room: one at a time per message, in call order (the
 * server may work on two requests of a socket at once, and a reaction taken back must not be
 * applied before it was added). Not queued across an outage: a change waits for the re-join
 * up to {@link OFFLINE_WAIT_MS}, then fails.
 */
export class MessageChanges {
  readonly #host: ChangeHost;
  readonly #running = new Map<string, Promise<Message>>();

  constructor(host: ChangeHost) {
    this.#host = host;
  }

  /** Sends a change of `messageId`; resolves with the message after it (applied by the host first). */
  request<E extends ChangeEvent>(
    messageId: string,
    event: E,
    payload: RequestPayload<E>,
    acked?: (message: Message) => void,
  ): Promise<Message> {
    const closed = this.#host._closedError();
    if (closed) return Promise.reject(closed);
    const previous = this.#running.get(messageId) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.#send(event, payload, acked));
    this.#running.set(messageId, run);
    const done = () => {
      if (this.#running.get(messageId) === run) this.#running.delete(messageId);
    };
    run.then(done, done);
    return run;
  }

  // A request without an answer (the connection dropped), RATE_LIMITED and TIMEOUT are sent
  // again, a bounded number of times: every change is safe to repeat (a reaction or a delete
  // repeated changes nothing, an edit repeated sets the same text).
  async #send<E extends ChangeEvent>(event: E, payload: RequestPayload<E>, acked?: (message: Message) => void): Promise<Message> {
    let unanswered = false;
    for (let attempt = 0; ; attempt++) {
      await this.#ready(unanswered);
      try {
        const { message } = (await this.#host.link.request(event, payload)) as MessageChangeResult;
        acked?.(message);
        this.#host.acked(message);
        return message;
      } catch (error) {
        const lost = error instanceof ConnectionLostError;
        const closed = this.#host._closedError();
        if (lost && closed) throw closed;
        const wait = lost ? 0 : error instanceof ChatError ? waitBeforeRetry(error) : undefined;
        if (wait === undefined || wait > MAX_WAIT_MS) throw error;
        unanswered ||= lost || (error as ChatError).code === 'TIMEOUT';
        if (attempt >= MAX_WAITS) {
          throw lost
            ? builtInError('TIMEOUT', 'The server did not answer: the change may or may not have been made.', { cause: error })
            : error;
        }
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  // Resolves when the room is joined on a live connection; fails after OFFLINE_WAIT_MS (with
  // TIMEOUT) or when the room is left.
  #ready(unanswered: boolean): Promise<void> {
    const closed = this.#host._closedError();
    if (closed) return Promise.reject(closed);
    if (this.#host.ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const finish = (error?: ChatError) => {
        clearTimeout(timer);
        unwatch();
        if (error) reject(error);
        else resolve();
      };
      const unwatch = this.#host.watch(() => {
        const closedNow = this.#host._closedError();
        if (closedNow) finish(closedNow);
        else if (this.#host.ready()) finish();
      });
      const timer = setTimeout(
        () =>
          finish(
            builtInError(
              'TIMEOUT',
              unanswered
                ? 'The connection dropped before the server answered and did not come back in time: the change may or may not have been made.'
                : 'You are offline: the change was not sent. Try again when the connection is back.',
            ),
          ),
        OFFLINE_WAIT_MS,
      );
    });
  }
}
