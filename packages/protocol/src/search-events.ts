import type { Ack } from './ack.js';
import type { MessageSearchPayload, MessageSearchResult } from './search.js';

/** Search's client events. */
export interface SearchClientEvents {
  'message:search': (payload: MessageSearchPayload, ack: Ack<MessageSearchResult>) => void;
}
