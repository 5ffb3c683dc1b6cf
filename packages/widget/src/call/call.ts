// The call UI chunk: loaded by `<chat-room calls>` (./loader.ts), never by pages without calls.
import { CallController, type CallHost, type CallUi } from './call-ui.js';

export { bindKit } from './main-kit.js';
export type { MainKit } from './main-kit.js';
export type { CallHost, CallSlotName, CallUi } from './call-ui.js';

/** The call UI of one `<chat-room>`. */
export function createCallUi(host: CallHost): CallUi {
  return new CallController(host);
}
