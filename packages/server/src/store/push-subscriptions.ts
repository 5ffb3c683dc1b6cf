// What both stores say about push subscriptions: the refusal past a user's bound, and the shape
// a stored subscription is handed back in.
import { builtInError, type ChatError, type WebPushSubscription } from '@chat/protocol';
import type { StoredPushSubscription } from '../core/chat-store.js';

/** `PAYLOAD_TOO_LARGE`: the user has `max` push subscriptions already. */
export function tooManyPushSubscriptions(max: number): ChatError {
  return builtInError(
    'PAYLOAD_TOO_LARGE',
    `A user can have at most ${max} push subscriptions (devices); unsubscribe one of the others first.`,
  );
}

/** A stored copy of a subscription: `expirationTime` only when it is a number. */
export function storedPushSubscription(userId: string, subscription: WebPushSubscription): StoredPushSubscription {
  const { endpoint, keys, expirationTime } = subscription;
  const stored: StoredPushSubscription = { userId, endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } };
  if (typeof expirationTime === 'number') stored.expirationTime = expirationTime;
  return stored;
}
