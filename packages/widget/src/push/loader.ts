// The one file of push/ in the main bundle: it loads the push chunk (./push.ts) the first time the
// notifications menu opens on a widget with `push-worker`. In chat-room.min.js the chunk is
// chat-room.push.js, found next to the script (rollup.config.mjs).
import { LazyPart, type LazyPartHost } from '../lazy-part.js';
import type { PushHost, PushUi } from './push.js';

/** "Notify me on this device" in the notifications menu: what to draw there (nothing without `push-worker`, or until the chunk is in). */
export function pushEntry(host: PushHost, part: LazyPartHost): () => unknown {
  const chunk = new LazyPart<PushUi>(part, () => import('./push.js').then((m) => m.createPushUi(host)), 'Web Push', 'chat-room.push.js');
  return () => host.element.pushWorker && (void chunk.load(), chunk.module?.render());
}
