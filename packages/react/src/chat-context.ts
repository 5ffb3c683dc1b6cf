import { createContext, useContext } from 'react';
import type { ChatClient } from '@chat/client';

/** The client the components below a `<ChatProvider>` use. */
export const ChatClientContext = createContext<ChatClient | undefined>(undefined);
ChatClientContext.displayName = 'ChatClientContext';

/**
 * The ChatClient of the nearest `<ChatProvider>`. Throws when there is none: the hooks of
 * `@chat/react` need one above them.
 * @example const client = useChatClient(); client.on('state', ...) // in an effect
 */
export function useChatClient(): ChatClient {
  const client = useContext(ChatClientContext);
  if (!client) {
    throw new Error('useChatClient() and useChatRoom() need a <ChatProvider> above them: wrap your app in <ChatProvider options={...}>.');
  }
  return client;
}
