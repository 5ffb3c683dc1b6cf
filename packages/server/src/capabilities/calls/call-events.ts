import { ClientEvent } from '@chat/protocol';
import type { CallCaller, CallService } from './call-service.js';

/** The client events of calls. */
export type CallEvent =
  | typeof ClientEvent.CALL_START
  | typeof ClientEvent.CALL_JOIN
  | typeof ClientEvent.CALL_DECLINE
  | typeof ClientEvent.CALL_LEAVE
  | typeof ClientEvent.CALL_SIGNAL;

/**
 * The handlers of a socket's call events. Each parses its payload; the socket's wrapper adds
 * the ack, the budget (signals have their own) and the timeout, as for every event.
 */
export function callHandlers(calls: CallService, caller: () => CallCaller): Record<CallEvent, (payload: unknown) => Promise<unknown>> {
  return {
    [ClientEvent.CALL_START]: (payload) => calls.start(caller(), payload),
    [ClientEvent.CALL_JOIN]: (payload) => calls.join(caller(), payload),
    [ClientEvent.CALL_DECLINE]: (payload) => calls.decline(caller(), payload),
    [ClientEvent.CALL_LEAVE]: (payload) => calls.leave(caller(), payload),
    [ClientEvent.CALL_SIGNAL]: (payload) => calls.signal(caller(), payload),
  };
}
