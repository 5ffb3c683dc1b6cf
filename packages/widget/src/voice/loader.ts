// The one file of voice/ in the main bundle: it loads the voice message player (./voice.ts) when
// the first voice attachment is drawn; until it is here (or if it cannot be loaded) the
// attachment shows as the file line it is. In chat-room.min.js the chunk is chat-room.voice.js,
// found next to the script (rollup.config.mjs).
import type { TemplateResult } from 'lit';
import type { Attachment } from '@chat/client';
import { LazyPart, type LazyPartHost } from '../lazy-part.js';
import type { VoiceHost, VoiceUi } from './voice.js';

/** The player of a voice attachment, once the chunk is here (undefined before: draw the file line). */
export function voiceSlot(host: VoiceHost, part: LazyPartHost): (attachment: Attachment, tab: number) => TemplateResult | undefined {
  const chunk = new LazyPart<VoiceUi>(
    part,
    () => import('./voice.js').then((m) => m.createVoice(host)),
    'Voice messages',
    'chat-room.voice.js',
  );
  return (attachment, tab) => {
    const ui = chunk.module;
    if (!ui) void chunk.load();
    return ui?.player(attachment, tab);
  };
}
