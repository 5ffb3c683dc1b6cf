import { useCallback, useMemo, useSyncExternalStore } from 'react';
import type { ChatRoom, Message, ThreadDraftInput } from '@chat/client';
import { builtInError } from '@chat/protocol';
import { NO_THREAD, ThreadStore, type ThreadSnapshot } from './thread-store.js';

/** What {@link useThread} returns: the thread's snapshot, `send` and `loadOlder`. */
export interface UseThreadResult extends ThreadSnapshot {
  /** Sends a reply in the thread (through the room's outbox); resolves with the stored reply. */
  send: (input: string | ThreadDraftInput) => Promise<Message>;
  /** Loads a page of older replies (a failure shows as `error`). */
  loadOlder: () => Promise<void>;
}

const noThread = (): ThreadSnapshot => NO_THREAD;
const nothing = () => () => undefined;

/**
 * Follows the thread of `messageId` in a joined room (`useChatRoom(...).room`) and re-renders on
 * every change: replies, the parent's summary, your pending replies. Without a room or an id it
 * shows no thread.
 * @example
 * const { room } = useChatRoom('lobby');
 * const { messages, summary, send } = useThread(room, openedId);
 */
export function useThread(room: ChatRoom | undefined, messageId: string | undefined): UseThreadResult {
  const store = useMemo(() => (room && messageId ? new ThreadStore(room, messageId) : undefined), [room, messageId]);
  const snapshot = useSyncExternalStore(store?.subscribe ?? nothing, store?.getSnapshot ?? noThread, noThread);
  const send = useCallback(
    (input: string | ThreadDraftInput) =>
      store
        ? store.send(input)
        : Promise.reject(builtInError('NOT_IN_ROOM', 'There is no thread to reply in: the room is not joined yet.')),
    [store],
  );
  const loadOlder = useCallback(() => store?.loadOlder() ?? Promise.resolve(), [store]);
  return useMemo(() => ({ ...snapshot, send, loadOlder }), [snapshot, send, loadOlder]);
}
