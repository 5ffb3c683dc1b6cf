// The client's list of conversations, loaded when it is first asked for (`client.conversations()`).
// Until then it keeps nothing (a ConversationList keeps nothing before its first load), so what the
// client and its rooms tell it meanwhile is dropped as that list would drop it, and a page that
// never asks for the list never loads conversation-list.ts.
import type { ConversationList, ConversationListHooks } from './conversation-list.js';

/** What the client and its rooms tell their list of conversations, loaded or not. */
export type Conversations = Pick<ConversationList, 'load' | 'reconnected' | 'activity' | '_roomChanged' | 'forget' | 'notifications'>;

/** The list of conversations of a client, loaded by its first `load()`; a failed load is tried again on the next. */
export function deferConversations(hooks: ConversationListHooks): Conversations {
  let list: ConversationList | undefined;
  let loading: Promise<ConversationList> | undefined;
  return {
    load: () =>
      (loading ??= import('./conversation-list.js').then(
        (m) => (list = new m.ConversationList(hooks)),
        (error: unknown) => {
          loading = undefined;
          throw error;
        },
      )).then((loaded) => loaded.load()),
    reconnected: () => list?.reconnected(),
    activity: (event) => list?.activity(event),
    _roomChanged: (roomId) => list?._roomChanged(roomId),
    forget: (roomId) => list?.forget(roomId),
    notifications: (roomId, level) => list?.notifications(roomId, level),
  };
}
