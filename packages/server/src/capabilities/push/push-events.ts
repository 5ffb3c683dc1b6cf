// The push events and routes: the public key, subscribing this device, unsubscribing it.
import { ECDH } from 'node:crypto';
import { ClientEvent, builtInError, parsePayload, type EmptyResult, type PushKeyResult, type WebPushSubscription } from '@chat/protocol';
import type { ChatUser } from '@chat/protocol';
import type { EventHandler, RestRoute } from '../../core/capability.js';
import type { CapabilityContext } from '../capability-context.js';
import type { WebPush } from './web-push-options.js';

/** `FORBIDDEN` when the server has no `push` option. */
function configured(push: WebPush | undefined): WebPush {
  if (!push) throw builtInError('FORBIDDEN', 'This server does not send push notifications (it has no push option).');
  return push;
}

async function subscribe(ctx: CapabilityContext, push: WebPush | undefined, user: ChatUser, payload: unknown): Promise<EmptyResult> {
  const config = configured(push);
  const { subscription } = parsePayload(ctx.schemas['push:subscribe'], payload);
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
  await ctx.store.savePushSubscription(user.id, subscription satisfies WebPushSubscription, { max: config.maxSubscriptionsPerUser });
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

async function unsubscribe(ctx: CapabilityContext, push: WebPush | undefined, user: ChatUser, payload: unknown): Promise<EmptyResult> {
  configured(push);
  const { endpoint } = parsePayload(ctx.schemas['push:unsubscribe'], payload);
  if ((await ctx.store.removePushSubscription(user.id, endpoint)) === 'not-yours') {
    throw builtInError('FORBIDDEN', 'This push subscription belongs to another user: only they can remove it.');
  }
  return {};
}

/** `push:subscribe` and `push:unsubscribe`, one handler each for every socket. */
export function pushEvents(ctx: () => CapabilityContext, push: WebPush | undefined): Record<string, EventHandler> {
  return {
    [ClientEvent.PUSH_SUBSCRIBE]: (caller, payload) => subscribe(ctx(), push, caller.user, payload),
    [ClientEvent.PUSH_UNSUBSCRIBE]: (caller, payload) => unsubscribe(ctx(), push, caller.user, payload),
  };
}

/** `GET /push/key`, `POST /push/subscriptions` (`{ subscription }`), `DELETE /push/subscriptions` (`{ endpoint }`). */
export function pushRoutes(ctx: () => CapabilityContext, push: WebPush | undefined): RestRoute[] {
  const at = (path: string) => (s: string[]) => s.length === 2 && s[0] === 'push' && s[1] === path;
  return [
    {
      prefix: 'push',
      method: 'GET',
      match: at('key'),
      handle: async (): Promise<{ status: number; body: PushKeyResult }> => ({
        status: 200,
        body: { publicKey: configured(push).publicKey },
      }),
    },
    {
      prefix: 'push',
      method: 'POST',
      match: at('subscriptions'),
      handle: async (req) => ({ status: 200, body: await subscribe(ctx(), push, req.user, await req.body()) }),
    },
    {
      prefix: 'push',
      method: 'DELETE',
      match: at('subscriptions'),
      handle: async (req) => ({ status: 200, body: await unsubscribe(ctx(), push, req.user, await req.body()) }),
    },
  ];
}
