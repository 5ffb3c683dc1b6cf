import { createECDH, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChatError, type WebPushSubscription } from '@chat/protocol';
import type { ChatStore, StoredPushSubscription } from '../core/chat-store.js';
import { freshRoomId } from './fixtures.js';

/** A subscription as a browser gives it: a real P-256 key and a 16-byte secret. */
function device(name: string, expirationTime?: number | null): WebPushSubscription {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const subscription: WebPushSubscription = {
    endpoint: `https://push.example/${freshRoomId(name)}`,
    keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') },
  };
  if (expirationTime !== undefined) subscription.expirationTime = expirationTime;
  return subscription;
}

const byEndpoint = (list: StoredPushSubscription[]) => [...list].sort((a, b) => (a.endpoint < b.endpoint ? -1 : 1));
const stored = (userId: string, s: WebPushSubscription): StoredPushSubscription => ({
  userId,
  endpoint: s.endpoint,
  keys: s.keys,
  ...(typeof s.expirationTime === 'number' ? { expirationTime: s.expirationTime } : {}),
});

/**
 * The `ChatStore` cases about push subscriptions: one per endpoint, listed per user, removed only
 * by their owner, bounded per user (atomically, across instances). Part of `describeStoreConformance`.
 */
export function describePushConformance(store: () => ChatStore, openAgain?: (store: ChatStore) => Promise<ChatStore>): void {
  describe('push subscriptions', () => {
    it('stores subscriptions per user and device, and lists them for the users asked', async () => {
      const [ana, luis, eva] = [freshRoomId('ana'), freshRoomId('luis'), freshRoomId('eva')];
      const [phone, laptop, tablet] = [device('phone', null), device('laptop', 1_900_000_000_000), device('tablet')];
      await store().savePushSubscription(ana, phone, { max: 5 });
      await store().savePushSubscription(ana, laptop, { max: 5 });
      await store().savePushSubscription(luis, tablet, { max: 5 });
      expect(byEndpoint(await store().listPushSubscriptions([ana]))).toEqual(byEndpoint([stored(ana, phone), stored(ana, laptop)]));
      expect(byEndpoint(await store().listPushSubscriptions([luis, ana, eva, luis]))).toEqual(
        byEndpoint([stored(ana, phone), stored(ana, laptop), stored(luis, tablet)]),
      );
      expect(await store().listPushSubscriptions([eva])).toEqual([]);
      expect(await store().listPushSubscriptions([])).toEqual([]);
    });

    it('replaces the subscription of the same endpoint: new keys, and a device moves to whoever subscribed on it last', async () => {
      const [ana, luis] = [freshRoomId('ana'), freshRoomId('luis')];
      const phone = device('phone');
      await store().savePushSubscription(ana, phone, { max: 1 });
      const renewed = { ...device('x', 1_900_000_000_000), endpoint: phone.endpoint };
      // The same endpoint does not count against the bound: it is replaced.
      await store().savePushSubscription(ana, renewed, { max: 1 });
      expect(await store().listPushSubscriptions([ana])).toEqual([stored(ana, renewed)]);
      await store().savePushSubscription(luis, renewed, { max: 1 });
      expect(await store().listPushSubscriptions([ana])).toEqual([]);
      expect(await store().listPushSubscriptions([luis])).toEqual([stored(luis, renewed)]);
    });

    it('removes a subscription by endpoint for its owner only', async () => {
      const [ana, luis] = [freshRoomId('ana'), freshRoomId('luis')];
      const [phone, laptop] = [device('phone'), device('laptop')];
      await store().savePushSubscription(ana, phone, { max: 5 });
      await store().savePushSubscription(ana, laptop, { max: 5 });
      expect(await store().removePushSubscription(luis, phone.endpoint)).toBe('not-yours');
      expect(await store().removePushSubscription(ana, 'https://push.example/never')).toBe('absent');
      expect(await store().listPushSubscriptions([ana])).toHaveLength(2);
      expect(await store().removePushSubscription(ana, phone.endpoint)).toBe('removed');
      expect(await store().removePushSubscription(ana, phone.endpoint)).toBe('absent');
      expect(await store().listPushSubscriptions([ana])).toEqual([stored(ana, laptop)]);
    });

    it('refuses a user past `max` subscriptions with PAYLOAD_TOO_LARGE, and holds the bound under concurrent saves', async () => {
      const ana = freshRoomId('ana');
      await store().savePushSubscription(ana, device('a'), { max: 2 });
      await store().savePushSubscription(ana, device('b'), { max: 2 });
      const refused = await store()
        .savePushSubscription(ana, device('c'), { max: 2 })
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(refused).toBeInstanceOf(ChatError);
      expect(refused).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
      expect(await store().listPushSubscriptions([ana])).toHaveLength(2);

      const luis = freshRoomId('luis');
      const other = openAgain ? await openAgain(store()) : store();
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? store() : other).savePushSubscription(luis, device(`d${i}`), { max: 3 })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
      expect(await store().listPushSubscriptions([luis])).toHaveLength(3);
    });
  });
}
