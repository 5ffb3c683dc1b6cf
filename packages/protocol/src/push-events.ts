import type { Ack, EmptyResult } from './ack.js';
import type { PushSubscribePayload, PushUnsubscribePayload } from './push.js';

/** Web Push's client events (the `push` option). */
export interface PushClientEvents {
  'push:subscribe': (payload: PushSubscribePayload, ack: Ack<EmptyResult>) => void;
  'push:unsubscribe': (payload: PushUnsubscribePayload, ack: Ack<EmptyResult>) => void;
}
