// The push events and routes: the public key, subscribing this device, unsubscribing it.
import { ECDH } from 'node:crypto';
import { builtInError, parsePayload, type EmptyResult, type PayloadSchemas, type PushKeyResult } from '@chat/protocol';
import type { ChatUser, PushSubscribePayload, PushUnsubscribePayload } from '@chat/protocol';
import type { RestRoute } from '../../core/capability.js';
import { parsedSchema } from '../../core/parsed-schema.js';
import type { PluginEvent, PluginEvents } from '../../core/plugin.js';
import type { PushStore } from '../../core/store-parts.js';
import type { WebPush } from './web-push-options.js';

/** What the push events and routes work with: the option, the protocol's schemas, the store's push part. */
export interface PushRequests {
  push: WebPush | undefined;
  schemas: Pick<PayloadSchemas, 'push:subscribe' | 'push:unsubscribe'>;
  /** The store's push part (a store without it is refused when the option is set). */
  store: () => PushStore;
}

/** `FORBIDDEN` when the server has no `push` option. */
function configured(push: WebPush | undefined): WebPush {
  if (!push) throw builtInError('FORBIDDEN', 'This server does not send push notifications (it has no push option).');
  return push;
}

async function subscribe({ push, store }: PushRequests, user: ChatUser, { subscription }: PushSubscribePayload): Promise<EmptyResult> {
  const config = configured(push);
  if (!config.endpoints.allows(subscription.endpoint)) {
    throw builtInError(
      'FORBIDDEN',
      `This server sends pushes only to the push services it allows (allowedEndpoints), and ${new URL(subscription.endpoint).origin} is not one of them.`,
    );
  }
  if (!onTheCurve(subscription.keys.p256dh)) {
    throw builtInError(
      'VALIDATION_FAILED',
      'keys.p256dh is not a P-256 public key (65 bytes, but not a point of the curve): send what the browser’s PushSubscription.toJSON() gives.',
    );
  }
  await store().savePushSubscription(user.id, subscription, { max: config.maxSubscriptionsPerUser });
  return {};
}

/**
 * Whether the key is a point of P-256 (node:crypto checks it). The schema checks only its length:
 * a key that is not would make every push to it fail to encrypt, again and again.
 */
function onTheCurve(p256dh: string): boolean {
  try {
    ECDH.convertKey(Buffer.from(p256dh, 'base64url'), 'prime256v1');
    return true;
  } catch {
    return false;
  }
}

async function unsubscribe({ push, store }: PushRequests, user: ChatUser, { endpoint }: PushUnsubscribePayload): Promise<EmptyResult> {
  configured(push);
  if ((await store().removePushSubscription(user.id, endpoint)) === 'not-yours') {
    throw builtInError('FORBIDDEN', 'This push subscription belongs to another user: only they can remove it.');
  }
  return {};
}

/**
 * The payloads, read by the protocol's schemas. Without the option every payload is refused
 * `FORBIDDEN`, before it is read: the server has no push to give, whatever was sent.
 */
function payloads({ push, schemas }: PushRequests) {
  return {
    subscribe: (value: unknown): PushSubscribePayload => {
      configured(push);
      return parsePayload(schemas['push:subscribe'], value);
    },
    unsubscribe: (value: unknown): PushUnsubscribePayload => {
      configured(push);
      return parsePayload(schemas['push:unsubscribe'], value);
    },
  };
}

/** `push:subscribe` and `push:unsubscribe`, for every socket. */
export function pushEvents(requests: PushRequests): PluginEvents<undefined> {
  const read = payloads(requests);
  const subscribeEvent: PluginEvent<'push:subscribe', undefined> = {
    payload: parsedSchema(read.subscribe),
    handle: ({ user, payload }) => subscribe(requests, user, payload),
  };
  const unsubscribeEvent: PluginEvent<'push:unsubscribe', undefined> = {
    payload: parsedSchema(read.unsubscribe),
    handle: ({ user, payload }) => unsubscribe(requests, user, payload),
  };
  // Built-in events, typed by the protocol's own map (a host's plugin types CustomClientEvents').
  return { 'push:subscribe': subscribeEvent, 'push:unsubscribe': unsubscribeEvent } as PluginEvents<undefined>;
}

/** `GET /push/key`, `POST /push/subscriptions` (`{ subscription }`), `DELETE /push/subscriptions` (`{ endpoint }`). */
export function pushRoutes(requests: PushRequests): RestRoute[] {
  const read = payloads(requests);
  const at = (path: string) => (s: string[]) => s.length === 2 && s[0] === 'push' && s[1] === path;
  return [
    {
      prefix: 'push',
      method: 'GET',
      match: at('key'),
      handle: async (): Promise<{ status: number; body: PushKeyResult }> => ({
        status: 200,
        body: { publicKey: configured(requests.push).publicKey },
      }),
    },
    {
      prefix: 'push',
      method: 'POST',
      match: at('subscriptions'),
      handle: async (req) => ({ status: 200, body: await subscribe(requests, req.user, read.subscribe(await req.body())) }),
    },
    {
      prefix: 'push',
      method: 'DELETE',
      match: at('subscriptions'),
      handle: async (req) => ({ status: 200, body: await unsubscribe(requests, req.user, read.unsubscribe(await req.body())) }),
    },
  ];
}
