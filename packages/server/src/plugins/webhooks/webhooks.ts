import { randomUUID } from 'node:crypto';
import { builtInError, ChatError, type Room } from '@chat/protocol';
import type { ChatServerEventName } from '../../core/server-events.js';
import { publicRoom } from '../../core/public-room.js';
import { WebhookEndpoint } from './webhook-endpoint.js';
import { WebhookEvent, type ResolvedWebhook } from './webhook-options.js';

/** The body of every webhook POST. */
export interface WebhookBody<T = unknown> {
  /** The delivery's id (also in `X-Chat-Webhook-Id`): the same on every retry, so a receiver can drop repeats. */
  id: string;
  type: WebhookEvent;
  /** ISO 8601 time the event happened. */
  at: string;
  data: T;
}

// The chat server's events (`chat.on(...)`) and the webhook event each becomes.
const FROM_CHAT_EVENT: Readonly<Partial<Record<ChatServerEventName, WebhookEvent>>> = {
  message: WebhookEvent.MESSAGE,
  messageUpdated: WebhookEvent.MESSAGE_UPDATED,
  join: WebhookEvent.MEMBER_JOINED,
  leave: WebhookEvent.MEMBER_LEFT,
  'room:ended': WebhookEvent.ROOM_ENDED,
  report: WebhookEvent.REPORT,
  moderation: WebhookEvent.MODERATION,
};

/**
 * The server's webhooks: each event the chat server emits (on the process that handled it) is
 * turned into one body, signed per endpoint and queued on each endpoint that asked for it.
 */
export class Webhooks {
  /** The chat server's events a webhook may be sent for. */
  readonly heard = Object.keys(FROM_CHAT_EVENT) as ChatServerEventName[];
  readonly #endpoints: Array<{ events: ReadonlySet<WebhookEvent>; endpoint: WebhookEndpoint }>;

  constructor(
    webhooks: readonly ResolvedWebhook[],
    private readonly report: (error: ChatError) => void,
  ) {
    this.#endpoints = webhooks.map((webhook) => ({ events: new Set(webhook.events), endpoint: new WebhookEndpoint(webhook, report) }));
  }

  /** A chat server event happened here: queues it for the endpoints that want it. Never throws. */
  emitted(chatEvent: ChatServerEventName, args: readonly unknown[]): void {
    const type = FROM_CHAT_EVENT[chatEvent];
    if (type === undefined) return;
    const targets = this.#endpoints.filter((e) => e.events.has(type));
    if (targets.length === 0) return;
    const id = randomUUID();
    let body: string;
    try {
      const data = type === WebhookEvent.ROOM_ENDED ? publicRoom(args[0] as Room) : args[0];
      body = JSON.stringify({ id, type, at: new Date().toISOString(), data } satisfies WebhookBody);
    } catch (error) {
      this.report(builtInError('INTERNAL', `A "${type}" webhook body could not be made.`, { cause: error }));
      return;
    }
    for (const { endpoint } of targets) endpoint.push({ id, type, body });
  }

  /** Stops every endpoint (requests under way are aborted; what waits is dropped). */
  close(): void {
    for (const { endpoint } of this.#endpoints) endpoint.close();
  }
}
