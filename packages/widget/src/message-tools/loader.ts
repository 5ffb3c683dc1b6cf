// The one file of message-tools/ in the main bundle: it loads a message's actions and what they open
// (./message-tools.ts: the emoji choice, the editor, the delete and report questions), as the log
// draws its first messages (chat-room/message-controller.ts). In chat-room.min.js the chunk is
// chat-room.message-tools.js, found next to the script (rollup.config.mjs).
import { LazyPart, type LazyPartHost } from '../lazy-part.js';
import type { MessageTools } from './message-tools.js';

/** The message tools of `element`, loaded by the first `load()` or use. */
export function messageTools(element: { readonly renderRoot: ParentNode }, part: LazyPartHost): LazyPart<MessageTools> {
  const load = () => import('./message-tools.js').then((chunk) => chunk.createMessageTools(element));
  return new LazyPart(part, load, "A message's actions", 'chat-room.message-tools.js');
}
