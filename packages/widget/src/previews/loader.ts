// The one file of previews/ in the main bundle: it loads the link cards (./previews.ts) with the
// first message that has a preview. In chat-room.min.js the chunk is chat-room.previews.js, found
// next to the script (rollup.config.mjs).
import type { Message } from '@chat/client';
import type { LazyPartHost } from '../lazy-part.js';
import { FeatureSlot } from '../feature-slot.js';
import type { PreviewsHost, PreviewsUi } from './previews.js';

/** The link cards under the log's messages (`own`: the sender's, who may remove them). */
export function previewsSlot(host: PreviewsHost, part: LazyPartHost): (message: Message, tab: number, own: boolean) => unknown {
  const load = () => import('./previews.js').then((m) => m.createPreviews(host));
  const slot = new FeatureSlot<PreviewsUi>(host, part, load, 'Link previews', 'chat-room.previews.js');
  return (message, tab, own) =>
    slot.draw(
      () => message.previews?.length,
      (_, ui) => ui.card(message, tab, own),
    );
}
