// `client.push`: this device's Web Push subscription for the signed-in user. What it does is in
// push-device.ts, loaded on the first call: every page carries this facade only.
import { builtInError, type WebPushSubscription } from '@chat/protocol';
import type { PushDevice } from './push-device.js';
import type { PushHost, PushRegistration, PushSubscribeOptions } from './push-types.js';

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
