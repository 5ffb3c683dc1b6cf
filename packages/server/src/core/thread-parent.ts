import { builtInError, type Room } from '@chat/protocol';
import type { ChatStore } from './chat-store.js';

/**
 * The top-level message whose thread `threadOf` names in `room`: the message itself, or the
 * parent of the reply it names (a reply to a reply joins the same thread). A deleted one is fine.
 * `MESSAGE_NOT_FOUND` when the room has no such message; `VALIDATION_FAILED` in an ephemeral
 * room (its messages are not stored, so they have no threads).
 */
export async function threadParent(store: Pick<ChatStore, 'getMessage'>, room: Room, threadOf: string): Promise<string> {
  if (room.options.ephemeral === true) {
    throw builtInError('VALIDATION_FAILED', 'Ephemeral rooms have no threads: their messages are not stored.');
  }
  const found = await store.getMessage(room.id, threadOf);
  if (!found) throw builtInError('MESSAGE_NOT_FOUND', `There is no message "${threadOf}" in this room.`);
  return found.threadOf ?? found.id;
}
