// `client.push`: this device's Web Push subscription for the signed-in user. What it does is in
// push-device.ts, loaded on the first call: every page carries this facade only.
import { builtInError, type WebPushSubscription } from '@chat/protocol';
import type { RequestEvent, RequestPayload, ResponseData } from '../core/transport.js';
import type { PushDevice } from './push-device.js';

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
  #device: Promise<PushDevice> | undefined;

  /** @internal Made by `ChatClient`. */
  constructor(private readonly host: PushHost) {}

  /**
   * Subscribes this device (asks the browser's permission if it has not been given: call it from
   * a click) and registers the subscription with the chat server. Resolves with the subscription.
   * @example await client.push.subscribe(await navigator.serviceWorker.register('/chat-sw.js'));
   */
  async subscribe(registration: PushRegistration, options: PushSubscribeOptions = {}): Promise<WebPushSubscription> {
    return (await this.#load()).subscribe(registration, options);
  }

  /**
   * Stops pushes to this device: removes the subscription from the chat server and the browser.
   * Resolves false when the device had none. `registration`: by default the one `subscribe` was
   * given, else the page's service worker registration.
   */
  async unsubscribe(registration?: PushRegistration): Promise<boolean> {
    return (await this.#load()).unsubscribe(registration);
  }

  #load(): Promise<PushDevice> {
    this.#device ??= import('./push-device.js').then(
      ({ PushDevice }) => new PushDevice(this.host),
      (error: unknown) => {
        this.#device = undefined; // a later call tries again (the network may be back)
        throw builtInError('INTERNAL', 'The push part of the chat client could not be loaded.', { cause: error });
      },
    );
    return this.#device;
  }
}
