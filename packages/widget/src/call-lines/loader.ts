// The one file of call-lines/ in the main bundle: the log's call lines in the widget's language
// (./call-lines.ts) are a chunk, chat-room.call-lines.js, loaded with the first call line drawn
// (found next to the script, rollup.config.mjs). Until it is here, or if it cannot be loaded, a
// call line shows the server's English text.
import { LazyPart, type LazyPartHost } from '../lazy-part.js';

/** The call lines' chunk. */
export const callLines = (part: LazyPartHost) =>
  new LazyPart(part, () => import('./call-lines.js'), 'Call lines', 'chat-room.call-lines.js');
