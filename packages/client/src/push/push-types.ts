// The shapes `client.push` works with: the browser's parts it uses, and what it needs of its client.
import type { RequestEvent, RequestPayload, ResponseData } from '../core/transport.js';

/** A browser push subscription, as `PushManager` gives it (the parts used here). */
export interface BrowserPushSubscription {
  readonly endpoint: string;
  readonly options?: { readonly applicationServerKey: ArrayBuffer | null };
  toJSON(): unknown;
  unsubscribe(): Promise<boolean>;
}

/** A service worker registration (the parts used here): `await navigator.serviceWorker.register('/chat-sw.js')`. */
export interface PushRegistration {
  readonly pushManager: {
    subscribe(options: { userVisibleOnly: boolean; applicationServerKey: string }): Promise<BrowserPushSubscription>;
    getSubscription(): Promise<BrowserPushSubscription | null>;
  };
}

/** What `ChatPush` needs of its client. */
export interface PushHost {
  request<E extends RequestEvent>(event: E, payload: RequestPayload<E>): Promise<ResponseData<E>>;
  /** The absolute URL of the server's `GET /push/key`, or undefined when it cannot be known. */
  keyUrl(): string | undefined;
  /** The headers REST requests sign in with. */
  authHeaders(): Record<string, string>;
}

/** Options of `client.push.subscribe`. */
export interface PushSubscribeOptions {
  /** The server's VAPID public key, if the page has it already; otherwise it is read from `GET /push/key`. */
  publicKey?: string;
}
