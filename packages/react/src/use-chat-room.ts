import { useCallback, useEffect, useMemo, useSyncExternalStore } from 'react';
import type { Message, MessageDraftInput } from '@chat/client';
import { useChatClient } from './chat-context.js';
import { IDLE_SNAPSHOT, roomStore, type ChatRoomSnapshot } from './room-store.js';

/** What {@link useChatRoom} returns: the room's snapshot and `send`. */
export interface UseChatRoomResult extends ChatRoomSnapshot {
  /**
   * Sends a message (text, or `{ text, attachments, replyTo }`); resolves with the stored
   * message. Offline it waits in the outbox. Rejects with a ChatError if the server refuses it.
   */
  send: (input: string | MessageDraftInput) => Promise<Message>;
}

const serverSnapshot = (): ChatRoomSnapshot => IDLE_SNAPSHOT;

/**
 * Joins `roomId` with the provider's client while the component is mounted and re-renders on
 * every change: messages, members, typing, outbox, state. Components showing the same room share
 * one join; the room is left when the last of them unmounts (StrictMode's remount does not leave).
 * @example
 * const { messages, members, send, error } = useChatRoom('lobby');
 */
export function useChatRoom(roomId: string): UseChatRoomResult {
  const client = useChatClient();
  const store = useMemo(() => roomStore(client, roomId), [client, roomId]);
  useEffect(() => store.hold(), [store]);
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot, serverSnapshot);
  const send = useCallback((input: string | MessageDraftInput) => store.send(input), [store]);
  return useMemo(() => ({ ...snapshot, send }), [snapshot, send]);
}
