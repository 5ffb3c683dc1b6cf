import type { ManagerOptions, SocketOptions } from 'socket.io-client';
import type { CallOptions } from './calls/call-media.js';
import type { AutoAwayOptions } from './conversations/auto-away.js';
import type { ChatAuth } from './core/auth.js';
import type { E2eeOptions } from './e2ee/chat-e2ee.js';
import type { OutboxStore } from './outbox/outbox-store.js';

/** Options of {@link ChatClient}. */
export interface ChatClientOptions {
  /** Server URL. @default the page's origin */
  url?: string;
  auth?: ChatAuth;
  /** Socket.IO path. @default '/socket.io' */
  path?: string;
  /** Socket.IO namespace the chat runs on. @default '/' */
  namespace?: string;
  /** How long to wait for the server to answer a request, in ms. @default 10000 */
  ackTimeoutMs?: number;
  /** `room.typing()` sends at most one signal per this many ms; keep it below the server's typing timeout. @default 2000 */
  typingThrottleMs?: number;
  /** Extra socket.io-client options (transports, reconnection delays...). */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
  /**
   * Gives a fresh token. Called shortly before the current one expires (the server says when)
   * and when a reconnect is refused as UNAUTHENTICATED; the connection stays up throughout.
   * @example refreshToken: () => fetch('/api/chat-token').then((r) => r.text())
   */
  refreshToken?: () => string | Promise<string>;
  /**
   * The server's uploads route (`POST /uploads` of `chat.httpHandler()`), resolved against `url`.
   * @default '/chat/uploads' (the handler mounted at `/chat`)
   */
  uploadUrl?: string;
  /** The server's push routes (`GET /push/key` of `chat.httpHandler()`), resolved against `url`. @default '/chat/push' */
  pushUrl?: string;
  /**
   * Where messages not yet acknowledged are kept besides memory, per server, user and room:
   * `indexedDbOutbox()` from `@chat/client/indexeddb` keeps them across page reloads, and a
   * later client of the same user sends them once it joins their room.
   * @default none: the outbox lives and dies with the client
   * @example outbox: indexedDbOutbox()
   */
  outbox?: OutboxStore;
  /**
   * Sets your status to `away` while every tab of yours on this server is hidden or idle, and
   * back when you return, unless you chose `busy` or `away` yourself (`setStatus`). Tabs agree
   * over a BroadcastChannel once each has joined a room. Does nothing outside a browser page.
   * @default true (in a browser page)
   * @example autoAway: { idleMs: 10 * 60_000 }
   */
  autoAway?: boolean | AutoAwayOptions;
  /**
   * Where calls get WebRTC from (see docs/calls.md): the page's `RTCPeerConnection` and
   * `getUserMedia` unless given.
   * @default the page's own
   */
  calls?: CallOptions;
  /**
   * End-to-end encrypted rooms (MLS): this client becomes a device that encrypts what it sends in
   * encrypted rooms and decrypts what it receives (`room.send` and `message` work as anywhere).
   * @example e2ee: { store: indexedDbE2eeStore() }
   */
  e2ee?: E2eeOptions;
}
