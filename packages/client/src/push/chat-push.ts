// `client.push`: this device's Web Push subscription for the signed-in user. The browser makes
// the subscription (its push service, its keys); the chat server stores it and pushes to it.
import { builtInError, ChatError, isChatErrorData, type PushKeyResult, type WebPushSubscription } from '@chat/protocol';
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

/**
 * Web Push on this device, for the signed-in user: the chat server pushes them the messages they
 * follow while no tab of theirs is connected. Needs a service worker that shows them, such as
 * `@chat/widget/chat-sw.js` served from your own origin.
 */
export class ChatPush {
  #registration: PushRegistration | undefined;

  /** @internal Made by `ChatClient`. */
  constructor(private readonly host: PushHost) {}

  /**
   * Subscribes this device (asks the browser's permission if it has not been given: call it from
   * a click) and registers the subscription with the chat server. Resolves with the subscription.
   * @example await client.push.subscribe(await navigator.serviceWorker.register('/chat-sw.js'));
   */
  async subscribe(registration: PushRegistration, options: PushSubscribeOptions = {}): Promise<WebPushSubscription> {
    const publicKey = options.publicKey ?? (await this.#publicKey());
    let subscription = await registration.pushManager.getSubscription();
    // A subscription made for another key (another server, a new key) cannot be reused.
    if (subscription && !sameKey(subscription.options?.applicationServerKey, publicKey)) {
      await subscription.unsubscribe();
      subscription = null;
    }
    subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: publicKey });
    const json = subscription.toJSON() as WebPushSubscription;
    await this.host.request('push:subscribe', { subscription: json });
    this.#registration = registration;
    return json;
  }

  /**
   * Stops pushes to this device: removes the subscription from the chat server and the browser.
   * Resolves false when the device had none. `registration`: by default the one `subscribe` was
   * given, else the page's service worker registration.
   */
  async unsubscribe(registration: PushRegistration | undefined = this.#registration): Promise<boolean> {
    // After a reload: the page's own service worker registration, if it has one.
    const found = registration ?? (typeof navigator === 'undefined' ? undefined : await navigator.serviceWorker?.getRegistration());
    const subscription = await found?.pushManager.getSubscription();
    if (!subscription) return false;
    await this.host.request('push:unsubscribe', { endpoint: subscription.endpoint });
    await subscription.unsubscribe();
    return true;
  }

  async #publicKey(): Promise<string> {
    const url = this.host.keyUrl();
    if (url === undefined) throw builtInError('VALIDATION_FAILED', 'Give the client a url (or an absolute pushUrl) to read the push key.');
    const res = await fetch(url, { headers: this.host.authHeaders() });
    const body = (await res.json().catch(() => undefined)) as { error?: unknown } | PushKeyResult | undefined;
    if (body && 'publicKey' in body && typeof body.publicKey === 'string') return body.publicKey;
    const error = body && 'error' in body ? body.error : undefined;
    if (isChatErrorData(error)) throw ChatError.fromData(error);
    throw builtInError('INTERNAL', `GET ${url} did not answer a push key (HTTP ${res.status}).`);
  }
}

function sameKey(key: ArrayBuffer | null | undefined, publicKey: string): boolean {
  if (!key) return true; // the browser does not say: keep the subscription
  const given = [...new Uint8Array(key)].map((b) => String.fromCharCode(b)).join('');
  return btoa(given).replace(/\+/gu, '-').replace(/\//gu, '_').replace(/=+$/u, '') === publicKey.replace(/=+$/u, '');
}
