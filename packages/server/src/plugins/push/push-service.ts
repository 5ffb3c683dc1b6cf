// Who gets a push for a stored message, and the pushes themselves: decided once, on the process
// that stored the message (the bus is this process's), collapsed per user and room (over the
// cluster's processes when there is a cluster), then queued.
import { createHash } from 'node:crypto';
import type { Message, Room } from '@chat/protocol';
import type { StoredPushSubscription } from '../../core/chat-store.js';
import type { CollapseClaims } from '../../core/collapse-claims.js';
import type { AwayReason } from '../../core/notify.js';
import type { PluginTools } from '../../core/plugin.js';
import type { PushStore } from '../../core/store-parts.js';
import { PushCollapse } from './push-collapse.js';
import { pushPayload } from './push-payload.js';
import { PushSender } from './push-sender.js';
import type { WebPush } from './web-push-options.js';

interface Pending {
  userId: string;
  room: Room;
  message: Message;
  reason: AwayReason;
  subscriptions: StoredPushSubscription[];
}

/** What the pushes need of the server: the plugin's tools, the store's push part, the cluster's windows. */
export interface PushEnv {
  tools: Pick<PluginTools, 'awayRecipients' | 'online' | 'report'>;
  store: () => PushStore;
  /** The collapse windows the cluster's processes share; undefined in one process (read on each new window: set when the cluster starts). */
  collapse: () => CollapseClaims | undefined;
}

/** The pushes of one chat server. */
export class PushService {
  readonly #sender: PushSender;
  readonly #collapse: PushCollapse<Pending>;
  /** The checks of who came back before the last push of a burst; close() waits for them. */
  readonly #checks = new Set<Promise<void>>();

  constructor(
    private readonly env: PushEnv,
    readonly config: WebPush,
  ) {
    this.#sender = new PushSender(config, {
      removeSubscription: (userId, endpoint) => env.store().removePushSubscription(userId, endpoint),
      report: (error) => env.tools.report(error),
    });
    this.#collapse = new PushCollapse(
      config.collapseMs,
      (pending, count, later) => (later ? this.#pushIfStillAway(pending, count) : this.#push(pending, count)),
      env.collapse,
    );
  }

  /** After a message is stored: a push to each device of each user who is away and follows it (not for system lines). */
  async messageStored(room: Room, message: Message): Promise<void> {
    // A line the server wrote (a call started or ended) is no message to be told of.
    if (message.system !== undefined) return;
    const reasons = await this.env.tools.awayRecipients(room, message);
    if (reasons.size === 0) return;
    const byUser = new Map<string, StoredPushSubscription[]>();
    const now = Date.now();
    for (const subscription of await this.env.store().listPushSubscriptions([...reasons.keys()])) {
      // One the push service has said it no longer takes, or outside allowedEndpoints (the
      // option changed since it was stored): never POSTed to.
      if (subscription.expirationTime !== undefined && subscription.expirationTime <= now) continue;
      if (!this.config.endpoints.allows(subscription.endpoint)) continue;
      let list = byUser.get(subscription.userId);
      if (!list) byUser.set(subscription.userId, (list = []));
      list.push(subscription);
    }
    for (const [userId, subscriptions] of byUser) {
      const reason = reasons.get(userId) as AwayReason;
      this.#collapse.add(
        `${userId}\n${room.id}`,
        { userId, room, message, reason, subscriptions },
        (a, b) => a.message.seq > b.message.seq,
      );
    }
  }

  /** Sends the pushes collapse still holds, and waits for the requests under way. */
  async close(): Promise<void> {
    await this.#collapse.flush();
    await Promise.all(this.#checks);
    await this.#sender.close();
  }

  // The last push of a burst goes out seconds after its message: a user who came back (a socket
  // connected on any process) in the meantime reads it there, and gets no push.
  #pushIfStillAway(pending: Pending, count: number): void {
    const { tools } = this.env;
    const check = tools
      .online([pending.userId])
      .then((online) => {
        if (!online.has(pending.userId)) this.#push(pending, count);
      })
      .catch((error: unknown) => tools.report(error))
      .finally(() => this.#checks.delete(check));
    this.#checks.add(check);
  }

  #push({ room, message, reason, subscriptions }: Pending, count: number): void {
    const payload = JSON.stringify(pushPayload(room, message, reason, this.#url(room), count));
    // A newer push of the room replaces an older one still waiting at the push service.
    const topic = createHash('sha256').update(room.id).digest('base64url').slice(0, 32);
    const urgency = reason === 'message' ? 'normal' : 'high';
    for (const subscription of subscriptions) this.#sender.send({ subscription, payload, topic, urgency });
  }

  #url(room: Room): string {
    try {
      return this.config.url(room);
    } catch {
      return '/';
    }
  }
}
