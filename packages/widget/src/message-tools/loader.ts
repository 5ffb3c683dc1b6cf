// The one file of message-tools/ in the main bundle: it loads what opens on a message (./message-tools.ts:
// the emoji choice, the editor, the delete and report questions) the first time one of them opens.
// In chat-room.min.js the chunk is chat-room.message-tools.js, found next to the script (rollup.config.mjs).
import { LazyPart, type LazyPartHost } from '../lazy-part.js';
import type { MessageTools } from './message-tools.js';

/** The message tools of `element`, loaded on their first use. */
export function messageTools(element: { readonly renderRoot: ParentNode }, part: LazyPartHost): LazyPart<MessageTools> {
  const load = () => import('./message-tools.js').then((chunk) => chunk.createMessageTools(element));
  return new LazyPart(part, load, 'This message action', 'chat-room.message-tools.js');
}
