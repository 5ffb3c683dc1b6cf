import { RoomState } from '../core/room-state.js';
import type { ServerLink } from '../core/transport.js';
import { MessageChanges } from './message-changes.js';
import { CopyKind } from './message-log.js';
import type { RoomSync } from './room-sync.js';

/** The room event the changes tell (one of `ChatRoomEvents`): the room's emitter is one. */
export interface ChangesEmitter {
  emit(event: 'updated'): boolean;
}

/**
 * A room's edits, deletes and reactions, applied to its messages once acknowledged.
 * @param watch Listens to the room's `updated`.
 */
export function roomChanges(
  link: ServerLink,
  sync: RoomSync,
  emitter: ChangesEmitter,
  watch: (listener: () => void) => () => void,
): MessageChanges {
  return new MessageChanges({
    link,
    ready: () => sync.state === RoomState.JOINED && link.connected,
    _closedError: () => (sync._isClosed() ? sync._closedError() : undefined),
    // The state changes with an `updated` (joined again, or left).
    watch,
    acked: (message) => {
      if (!sync._isClosed() && sync.apply([message], CopyKind.CHANGE)) emitter.emit('updated');
    },
  });
}
