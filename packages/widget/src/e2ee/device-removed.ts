// In the e2ee chunk (chat-room.e2ee.js, loaded by encrypted rooms only): the line that says this
// device was removed by its user (`e2ee:removed`), so that undecryptable messages and a closed
// composer have their reason.
import type { ChatClient } from '@chat/client';
import { keyStrings, type KeyStrings } from './key-strings.js';

/** What the removal line asks of the room view. */
export interface RemovalView {
  /** The widget's language, and the host's own texts. */
  _lang(): string;
  _strings(): Partial<KeyStrings>;
  /** Shows `line` (the device was removed) for as long as the room is shown. */
  _deviceRemoved(line: string): void;
}

/**
 * Shows the removal line when this device was removed already (learned when the room was
 * joined) or is removed later. Returns the way to stop.
 */
export function watchRemoval(client: ChatClient, view: RemovalView): () => void {
  const show = () => view._deviceRemoved(keyStrings(view._strings()).deviceRemoved);
  if (client.e2ee?.removed === true) show();
  return client.on('e2ee:removed', show);
}
