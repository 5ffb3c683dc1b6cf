import type { Ack, EmptyResult } from './ack.js';
import type { Call, CallIdPayload, CallResult, CallSignalEvent, CallSignalPayload, CallStartPayload } from './calls.js';

/** Calls' client events (the `calls` option). */
export interface CallClientEvents {
  'call:start': (payload: CallStartPayload, ack: Ack<CallResult>) => void;
  'call:join': (payload: CallIdPayload, ack: Ack<CallResult>) => void;
  'call:decline': (payload: CallIdPayload, ack: Ack<CallResult>) => void;
  'call:leave': (payload: CallIdPayload, ack: Ack<CallResult>) => void;
  'call:signal': (payload: CallSignalPayload, ack: Ack<EmptyResult>) => void;
}

/** Calls' server events. */
export interface CallServerEvents {
  call: (call: Call) => void;
  'call:signal': (event: CallSignalEvent) => void;
}
