import { useEffect, useState, type ReactElement, type ReactNode } from 'react';
import { ChatClient, type ChatClientOptions } from '@chat/client';
import { ChatClientContext } from './chat-context.js';

/** Props of {@link ChatProvider}: a client of your own, or the options to make one. */
export type ChatProviderProps = { children?: ReactNode } & (
  | {
      /** A client you made and close yourself; the provider never closes it. */
      client: ChatClient;
      options?: undefined;
    }
  | {
      /** Options for the client the provider makes (read once, on mount), connects and closes on unmount. */
      options: ChatClientOptions;
      client?: undefined;
    }
);

/**
 * Gives the components below it a ChatClient (`useChatClient`, `useChatRoom`). With `options`
 * it makes the client, connects it on mount and closes it on unmount; with `client` it uses yours.
 * @example
 * <ChatProvider options={{ url: 'https://chat.example', auth: { name: 'Ana' } }}>
 *   <App />
 * </ChatProvider>
 */
export function ChatProvider(props: ChatProviderProps): ReactElement {
  const { client, options } = props;
  // Made in render without connecting: a render React throws away (StrictMode renders twice)
  // leaves an unconnected object behind, not a socket.
  const [owned, setOwned] = useState(() => (client ? undefined : new OwnedClient(options ?? {})));
  let own = owned;
  if (!client && (!own || own.closed)) {
    // Switched from a client of the page's to options, or shown again after a close.
    own = new OwnedClient(options ?? {});
    setOwned(own);
  }
  useEffect(() => {
    if (client || !owned) return;
    if (owned.closed) {
      // Effects mounted again without a render (an <Activity> shown again): a new client.
      setOwned(new OwnedClient(owned.options));
      return;
    }
    return owned.hold();
  }, [client, owned]);
  const current = client ?? own?.client;
  return <ChatClientContext.Provider value={current}>{props.children}</ChatClientContext.Provider>;
}

/** How long a closed provider's client stays open: StrictMode mounts it again at once. */
const CLOSE_DELAY_MS = 0;

/** A client the provider made: connected while held, closed a tick after the last hold ends. */
class OwnedClient {
  readonly client: ChatClient;
  readonly options: ChatClientOptions;
  closed = false;
  #holds = 0;
  #closeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: ChatClientOptions) {
    this.options = options;
    this.client = new ChatClient({ ...options, socketOptions: { ...options.socketOptions, autoConnect: false } });
  }

  hold(): () => void {
    this.#holds++;
    clearTimeout(this.#closeTimer);
    this.#closeTimer = undefined;
    if (!this.client.socket.active) this.client.socket.connect();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.#holds > 0) return;
      this.#closeTimer = setTimeout(() => {
        this.closed = true;
        this.client.close();
      }, CLOSE_DELAY_MS);
    };
  }
}
