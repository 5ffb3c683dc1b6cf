/**
 * What a webhook can be sent for. Each is fired once per event, by the process that handled it.
 * The body's `data` is: the `Message` (`message`, `message:updated`), `{ roomId, member }`
 * (`member:joined`), `{ roomId, user }` (`member:left`), the room without its
 * `privateMetadata` (`room:ended`), the `Report` (`report`), what `chat.on('moderation')`
 * gives (`moderation`).
 */
export const WebhookEvent = {
  /** A new message (people's and bots'). */
  MESSAGE: 'message',
  /** A message edited, deleted or reacted to (`chat.on('messageUpdated')`). */
  MESSAGE_UPDATED: 'message:updated',
  /** A user's first socket (or a bot) joined a room. */
  MEMBER_JOINED: 'member:joined',
  /** A user's last socket (or a bot) left a room. */
  MEMBER_LEFT: 'member:left',
  /** A room was ended. */
  ROOM_ENDED: 'room:ended',
  /** A message was reported (`chat.on('report')`). */
  REPORT: 'report',
  /** A moderation action (`chat.on('moderation')`). */
  MODERATION: 'moderation',
} as const;
export type WebhookEvent = (typeof WebhookEvent)[keyof typeof WebhookEvent];

/** One endpoint that gets signed JSON POSTs (`createChatServer({ webhooks: [...] })`). */
export interface WebhookOptions {
  /** An http(s) URL. */
  url: string;
  /** The events it gets (see {@link WebhookEvent}). */
  events: WebhookEvent[];
  /** The key of the `X-Chat-Signature` HMAC: at least 16 characters, shared with the receiver only. */
  secret: string;
  /** A request not answered in this time fails (and is retried), in ms. @default 10000 */
  timeoutMs?: number;
  /** Retries of a failed delivery before it is dropped (and reported). @default 5 */
  retries?: number;
  /** The first wait before a retry, in ms; it doubles each time (with jitter), up to a minute. @default 1000 */
  backoffMs?: number;
  /** Deliveries waiting at most; when full, the oldest waiting one is dropped (and reported). @default 1000 */
  maxQueue?: number;
}

/** A webhook's options with the defaults filled in. */
export type ResolvedWebhook = Required<WebhookOptions>;

/** The longest any backoff grows. */
export const MAX_BACKOFF_MS = 60_000;

const KNOWN = new Set<string>(Object.values(WebhookEvent));

/** Checks the `webhooks` option (a `TypeError` with a sentence for the first problem) and fills in defaults. */
export function resolveWebhooks(webhooks: readonly WebhookOptions[] | undefined): ResolvedWebhook[] {
  if (webhooks === undefined) return [];
  if (!Array.isArray(webhooks)) throw new TypeError('webhooks must be an array of { url, events, secret }.');
  return webhooks.map((webhook: WebhookOptions, i) => resolveWebhook(webhook, `webhooks[${i}]`));
}

function resolveWebhook(webhook: WebhookOptions, where: string): ResolvedWebhook {
  if (typeof webhook !== 'object' || webhook === null) throw new TypeError(`${where} must be { url, events, secret }.`);
  const { url, events, secret } = webhook;
  let parsed: URL | undefined;
  try {
    parsed = typeof url === 'string' ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new TypeError(`${where}.url must be an http:// or https:// URL; got ${JSON.stringify(url)}.`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new TypeError(`${where}.url must not carry a user name or password; the signature authenticates the sender.`);
  }
  if (!Array.isArray(events) || events.length === 0) {
    throw new TypeError(`${where}.events must list at least one of: ${[...KNOWN].join(', ')}.`);
  }
  const unknown = events.find((event) => !KNOWN.has(event));
  if (unknown !== undefined) {
    throw new TypeError(`${where}.events has ${JSON.stringify(unknown)}, which is not one of: ${[...KNOWN].join(', ')}.`);
  }
  if (typeof secret !== 'string' || secret.length < 16) {
    throw new TypeError(`${where}.secret must be a string of at least 16 characters (the key of the X-Chat-Signature HMAC).`);
  }
  return {
    url: parsed.href,
    events: [...new Set(events)],
    secret,
    timeoutMs: whole(webhook.timeoutMs, 10_000, 1, `${where}.timeoutMs`),
    retries: whole(webhook.retries, 5, 0, `${where}.retries`),
    backoffMs: whole(webhook.backoffMs, 1000, 1, `${where}.backoffMs`),
    maxQueue: whole(webhook.maxQueue, 1000, 1, `${where}.maxQueue`),
  };
}

function whole(value: number | undefined, fallback: number, min: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min) throw new TypeError(`${name} must be a whole number of at least ${min}.`);
  return value;
}
