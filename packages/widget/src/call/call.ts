// The call UI chunk: loaded by `<chat-room calls>` (./loader.ts), never by pages without calls.
// The bundles put the SDK's call code in the same chunk (rollup.config.mjs, `callsChunk`).
import { CallController, type CallHost, type CallUi } from './call-ui.js';

export type { CallHost, CallSlotName, CallUi } from './call-ui.js';

/** The call UI of one `<chat-room>`. */
export function createCallUi(host: CallHost): CallUi {
  return new CallController(host);
}
