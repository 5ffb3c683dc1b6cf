import type { Ack } from './ack.js';
import type { ClientToServerEvents, ServerToClientEvents } from './events.js';
import type { LiveReactionClientEvents, LiveReactionServerEvents } from './live-reactions/live-reaction-events.js';
import type { LinkPreviewClientEvents } from './link-previews/link-preview.js';
import type { PinClientEvents, PinServerEvents } from './pins/pin-events.js';
import type { PollClientEvents, PollServerEvents } from './polls/poll-events.js';
import type { QuestionClientEvents, QuestionServerEvents } from './questions/question-events.js';
import type { QuestionReviewClientEvents } from './questions/question-review-events.js';

// Empty bodies on purpose: a host's plugins add their events by declaration merging.
/**
 * A plugin's client -> server events: those of the toolkit's own plugins (live reactions, link
 * previews, pins, polls, questions), and a
 * host's, typed by augmenting this interface, in the same
 * shape as {@link ClientToServerEvents}: the payload, then the ack with the handler's result.
 * @example
 * declare module '@chat/protocol' {
 *   interface CustomClientEvents {
 *     'hand:raise': (payload: { roomId: string; raised: boolean }, ack: Ack<{ raised: string[] }>) => void;
 *   }
 * }
 */
export interface CustomClientEvents
  extends
    LiveReactionClientEvents,
    LinkPreviewClientEvents,
    PinClientEvents,
    PollClientEvents,
    QuestionClientEvents,
    QuestionReviewClientEvents {}

/**
 * A plugin's server -> client events (what `tools.emitToRoom` sends): the toolkit's own plugins'
 * and a host's, typed by augmenting this interface as {@link ServerToClientEvents} is typed.
 * @example
 * declare module '@chat/protocol' {
 *   interface CustomServerEvents { 'hand:raised': (event: { roomId: string; raised: string[] }) => void }
 * }
 */
export interface CustomServerEvents extends LiveReactionServerEvents, PinServerEvents, PollServerEvents, QuestionServerEvents {}

/** Every client -> server event: the built-in ones and those a host's plugins add. */
export type AnyClientEvents = ClientToServerEvents & CustomClientEvents;
/** Every server -> client event: the built-in ones and those a host's plugins add. */
export type AnyServerEvents = ServerToClientEvents & CustomServerEvents;

/** The name of a request (an event with an ack), built-in or a plugin's. */
export type RequestName = Extract<keyof AnyClientEvents, string>;
/** The name of a plugin's request (`CustomClientEvents`): what `client.request` sends. */
export type CustomRequestName = Extract<keyof CustomClientEvents, string>;
/** What a request carries. */
export type RequestPayloadOf<E extends RequestName> = AnyClientEvents[E] extends (payload: infer P, ack: never) => void ? P : never;
/** What a request's ack carries when it succeeds. */
export type RequestResultOf<E extends RequestName> = AnyClientEvents[E] extends (payload: never, ack: Ack<infer T>) => void ? T : never;
/** What a server -> client event carries. */
export type ServerEventData<E extends keyof AnyServerEvents> = AnyServerEvents[E] extends (data: infer D) => void ? D : never;
