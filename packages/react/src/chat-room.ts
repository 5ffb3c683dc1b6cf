import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import type { ChatClient } from '@chat/client';
// Importing the widget registers <chat-room>.
import {
  ChatRoomElement,
  type ChatErrorEvent,
  type ChatJoinEvent,
  type ChatMessageEvent,
  type ChatStrings,
  type ChatTheme,
  type ChatUnreadEvent,
  type TokenRefresher,
} from '@chat/widget';
import { roomStore } from './room-store.js';

/**
 * Props of {@link ChatRoom}: the `<chat-room>` attributes and properties (see the widget's docs),
 * its events as `on...` props, and the usual HTML attributes (`className`, `style`, `lang`, `id`...).
 */
export interface ChatRoomProps extends React.HTMLAttributes<ChatRoomElement> {
  /** URL of the chat server. @default the page's origin */
  server?: string | undefined;
  /** Socket.IO path, when the server sets one. @default '/socket.io' */
  path?: string | undefined;
  /** Id of the room to join; changing it leaves the old room and joins the new one. */
  room?: string | undefined;
  /** Guest display name; without `name`, `token` or `client` the widget asks for one. */
  name?: string | undefined;
  /** Sign-in token (JWT); a new value is handed to the live connection. */
  token?: string | undefined;
  /** `light`, `dark` or `auto` (follows the system). @default 'auto' */
  theme?: ChatTheme | undefined;
  /** Header text. @default the room's title or id */
  heading?: string | undefined;
  /** A ChatClient of your own (e.g. `useChatClient()`): the widget uses it and never closes it. */
  client?: ChatClient | undefined;
  /** Your own texts over the language's. */
  strings?: Partial<ChatStrings> | undefined;
  /** Gives a fresh token before the current one expires. */
  refreshToken?: TokenRefresher | undefined;
  /** A new message arrived, or yours was stored: `event.detail.message`, `event.detail.own`. */
  onChatMessage?: ((event: ChatMessageEvent) => void) | undefined;
  /** The room was joined: `event.detail.roomId`, `event.detail.members`. */
  onChatJoin?: ((event: ChatJoinEvent) => void) | undefined;
  /** Something failed: `event.detail.error` (a ChatError with `code` and `message`). */
  onChatError?: ((event: ChatErrorEvent) => void) | undefined;
  /** The unread count changed: `event.detail.count`. */
  onChatUnread?: ((event: ChatUnreadEvent) => void) | undefined;
}

/** The element wrapped by @lit/react: props become properties or attributes, `on...` props listeners. */
const ChatRoomBase = createComponent({
  react: React,
  tagName: 'chat-room',
  elementClass: ChatRoomElement,
  events: {
    onChatMessage: 'chat-message' as EventName<ChatMessageEvent>,
    onChatJoin: 'chat-join' as EventName<ChatJoinEvent>,
    onChatError: 'chat-error' as EventName<ChatErrorEvent>,
    onChatUnread: 'chat-unread' as EventName<ChatUnreadEvent>,
  },
  displayName: 'chat-room',
});

/**
 * The `<chat-room>` widget as a React component. Attributes and properties are set from props,
 * events are `onChatMessage`, `onChatJoin`, `onChatError`, `onChatUnread`; `ref` gives the element.
 * Given a `client` (say `useChatClient()`), it counts as a component showing its `room`, like
 * `useChatRoom`: the room stays joined while either is mounted.
 * @example
 * <ChatRoom server="https://chat.example" room="lobby" name="Ana" onChatMessage={(e) => console.log(e.detail.message.text)} />
 */
export const ChatRoom = React.forwardRef<ChatRoomElement, ChatRoomProps>(function ChatRoom(props, ref) {
  const { client, room } = props;
  // The widget leaves its room when it goes, as useChatRoom does when the last hook goes: a
  // hold here keeps a room that hooks share with the widget joined until both are gone.
  React.useEffect(() => (client && room ? roomStore(client, room).hold() : undefined), [client, room]);
  const element = React.useRef<ChatRoomElement | null>(null);
  useLayoutEffectInBrowser(() => {
    const node = element.current;
    return () => {
      // Runs before React removes the element. Once it is out of the page, take away what it
      // would connect with: the widget's own teardown schedules a render that connects again.
      queueMicrotask(() => {
        if (node && !node.isConnected) disarm(node);
      });
    };
  }, []);
  const setRef = React.useCallback(
    (node: ChatRoomElement | null) => {
      element.current = node;
      if (typeof ref === 'function') ref(node);
      else if (ref) ref.current = node;
    },
    [ref],
  );
  return React.createElement(ChatRoomBase, { ...props, ref: setRef });
});

/** useLayoutEffect in a browser, nothing on a server (where it would only warn). */
const useLayoutEffectInBrowser: typeof React.useLayoutEffect = typeof document === 'undefined' ? () => undefined : React.useLayoutEffect;

/** Leaves a removed widget nothing to sign in with: no client, name, token or room. */
function disarm(node: ChatRoomElement): void {
  node.client = undefined;
  node.name = undefined;
  node.token = undefined;
  node.room = undefined;
}
