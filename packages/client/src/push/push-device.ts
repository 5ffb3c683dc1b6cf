// The work of `client.push` (a chunk of its own: loaded on the first subscribe or unsubscribe, so
// pages that never offer push do not carry it). The browser makes the subscription (its push
// service, its keys); the chat server stores it and pushes to it.
import { builtInError, ChatError, isChatErrorData, type PushKeyResult, type WebPushSubscription } from '@chat/protocol';
import type { PushHost, PushRegistration, PushSubscribeOptions } from './push-types.js';

/** What `client.push` does, loaded on its first call (see `ChatPush`). */
export class PushDevice {
  #registration: PushRegistration | undefined;

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
