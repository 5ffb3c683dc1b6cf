import type { WebPushSubscription } from '@chat/protocol';
import type { PushRemoval, StoredPushSubscription } from '../core/chat-store.js';
import { storedPushSubscription, tooManyPushSubscriptions } from './push-subscriptions.js';

/** The push subscriptions of `MemoryStore`: one per endpoint, indexed by user. */
export class MemoryPush {
  readonly #byEndpoint = new Map<string, StoredPushSubscription>();
  readonly #byUser = new Map<string, Set<string>>();

  save(userId: string, subscription: WebPushSubscription, max: number): void {
    const mine = this.#byUser.get(userId);
    const others = (mine?.size ?? 0) - (mine?.has(subscription.endpoint) === true ? 1 : 0);
    if (others >= max) throw tooManyPushSubscriptions(max);
    const previous = this.#byEndpoint.get(subscription.endpoint);
    if (previous && previous.userId !== userId) this.#forget(previous.userId, previous.endpoint);
    this.#byEndpoint.set(subscription.endpoint, storedPushSubscription(userId, subscription));
    let endpoints = mine;
    if (!endpoints) this.#byUser.set(userId, (endpoints = new Set()));
    endpoints.add(subscription.endpoint);
  }

  list(userIds: string[]): StoredPushSubscription[] {
    return [...new Set(userIds)].flatMap((id) =>
      [...(this.#byUser.get(id) ?? [])].flatMap((endpoint) => {
        const found = this.#byEndpoint.get(endpoint);
        return found ? [storedPushSubscription(found.userId, found)] : [];
      }),
    );
  }

  remove(userId: string, endpoint: string): PushRemoval {
    const found = this.#byEndpoint.get(endpoint);
    if (!found) return 'absent';
    if (found.userId !== userId) return 'not-yours';
    this.#byEndpoint.delete(endpoint);
    this.#forget(userId, endpoint);
    return 'removed';
  }

  clear(): void {
    this.#byEndpoint.clear();
    this.#byUser.clear();
  }

  #forget(userId: string, endpoint: string): void {
    const endpoints = this.#byUser.get(userId);
    endpoints?.delete(endpoint);
    if (endpoints?.size === 0) this.#byUser.delete(userId);
  }
}
