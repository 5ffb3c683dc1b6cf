// `webPush({ publicKey, privateKey, subject })`: the `push` option, checked once when the server
// is made. Nothing here loads the `web-push` package: only a push being sent does.
import type { Agent } from 'node:https';
import type { Room } from '@chat/protocol';
import { checkAllowedAddresses } from '../../core/outbound-agent.js';
import { EndpointRules } from './endpoint-rules.js';

/**
 * The push services of the major browsers: Chrome, Edge's Chromium and others on Firebase Cloud
 * Messaging, Firefox's Mozilla Push Service, Windows' notification service, Safari's Apple Push.
 */
export const DEFAULT_PUSH_ENDPOINTS: readonly string[] = Object.freeze([
  'https://fcm.googleapis.com/',
  'https://updates.push.services.mozilla.com/',
  'https://*.notify.windows.com/',
  'https://web.push.apple.com/',
]);

/** Options of {@link webPush}. */
export interface WebPushOptions {
  /** The VAPID public key, base64url (65 bytes): `npx web-push generate-vapid-keys`. */
  publicKey: string;
  /** The VAPID private key, base64url (32 bytes). Keep it secret. */
  privateKey: string;
  /** Who push services may contact about your pushes: `mailto:` address or `https:` URL. */
  subject: string;
  /**
   * URL prefixes a subscription's endpoint must start with: the server POSTs nowhere else. A host
   * may start with `*.` (any subdomain). @default the major browsers' push services ({@link DEFAULT_PUSH_ENDPOINTS})
   */
  allowedEndpoints?: readonly string[];
  /** The page a notification opens, on the host's own site (absolute or from its root). @default () => '/' */
  url?: (room: Room) => string;
  /** How long a push service keeps a push for a device that is offline, in seconds. @default 86400 */
  ttlSeconds?: number;
  /** One push per user and room in this window; the latest of the rest follows at its end, in ms. @default 5000 */
  collapseMs?: number;
  /** Push subscriptions (devices) one user may have (as many as sockets, `limits.maxSocketsPerUser`). @default 20 */
  maxSubscriptionsPerUser?: number;
  /** Pushes waiting to be sent (and retried) at most; past it new ones are dropped and reported. @default 10000 */
  maxQueued?: number;
  /** Tries of a push the service failed (5xx, 429, no answer) before it is reported and dropped. @default 4 */
  attempts?: number;
  /** How long a push service may take to answer one push before it counts as no answer, in ms. @default 10000 */
  timeoutMs?: number;
  /**
   * Addresses (CIDRs, `10.0.0.0/8`, `fd00::/8`) that pushes may be sent to although they are private,
   * loopback or link-local: a push service on your own network. Every other such address is refused
   * when the connection is made, whatever name led there. @default []
   */
  allowedAddresses?: readonly string[];
  /** Certificate authorities (PEM) to trust besides Node's, for a push service of your own. */
  ca?: string | readonly string[];
  /**
   * An agent of your own for the HTTPS requests (a proxy). It replaces the one that refuses private,
   * loopback, link-local and metadata addresses at connect time, so it must refuse them itself
   * (`RequestFilteringHttpsAgent` of `request-filtering-agent` does).
   */
  agent?: Agent;
}

/** The `push` option of `createChatServer`, made by {@link webPush}: its options, checked, with their defaults. */
export interface WebPush extends Readonly<Required<Omit<WebPushOptions, 'agent' | 'allowedEndpoints' | 'allowedAddresses' | 'ca'>>> {
  /** What made it: `webPush`. */
  readonly kind: 'web-push';
  /** Whether the server may POST to an endpoint (`allowedEndpoints`, compiled). */
  readonly endpoints: { allows(endpoint: string): boolean };
  /** The `allowedAddresses` option, checked. */
  readonly allowedAddresses: readonly string[];
  /** The `ca` option, as a list. */
  readonly ca: readonly string[];
  /** The `agent` option, if given. */
  readonly agent: Agent | undefined;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/u;

/**
 * Web Push notifications (RFC 8030, with VAPID keys), sent with the `web-push` package (install
 * it: `npm install web-push`), to users who are away. See docs/server.md, "Push notifications".
 * @example push: webPush({ publicKey: process.env.VAPID_PUBLIC!, privateKey: process.env.VAPID_PRIVATE!, subject: 'mailto:ops@example.com' })
 */
export function webPush(options: WebPushOptions): WebPush {
  const { publicKey, privateKey, subject } = options;
  if (typeof publicKey !== 'string' || !BASE64URL.test(publicKey) || Buffer.from(publicKey, 'base64url').length !== 65) {
    throw new TypeError('webPush: publicKey must be a VAPID public key, 65 bytes in base64url (npx web-push generate-vapid-keys).');
  }
  if (typeof privateKey !== 'string' || !BASE64URL.test(privateKey) || Buffer.from(privateKey, 'base64url').length !== 32) {
    throw new TypeError('webPush: privateKey must be a VAPID private key, 32 bytes in base64url.');
  }
  if (typeof subject !== 'string' || !/^(mailto:[^\s@]+@[^\s@]+|https:\/\/\S+)$/u.test(subject)) {
    throw new TypeError('webPush: subject must be a mailto: address or an https: URL, for push services to reach you.');
  }
  return Object.freeze({
    kind: 'web-push',
    publicKey,
    privateKey,
    subject,
    endpoints: new EndpointRules(options.allowedEndpoints ?? DEFAULT_PUSH_ENDPOINTS),
    url: options.url ?? (() => '/'),
    ttlSeconds: whole('ttlSeconds', options.ttlSeconds, 86_400, 0),
    collapseMs: whole('collapseMs', options.collapseMs, 5000, 0),
    maxSubscriptionsPerUser: whole('maxSubscriptionsPerUser', options.maxSubscriptionsPerUser, 20, 1),
    maxQueued: whole('maxQueued', options.maxQueued, 10_000, 1),
    attempts: whole('attempts', options.attempts, 4, 1),
    timeoutMs: whole('timeoutMs', options.timeoutMs, 10_000, 1),
    allowedAddresses: Object.freeze(checkAllowedAddresses(options.allowedAddresses ?? [], 'webPush')),
    ca: Object.freeze(certificates(options.ca)),
    agent: options.agent,
  });
}

function certificates(ca: string | readonly string[] | undefined): string[] {
  const list: unknown[] = ca === undefined ? [] : typeof ca === 'string' ? [ca] : Array.isArray(ca) ? ca : [ca];
  if (!list.every((pem) => typeof pem === 'string' && pem.includes('-----BEGIN CERTIFICATE-----'))) {
    throw new TypeError('webPush: ca must be a PEM certificate (-----BEGIN CERTIFICATE-----) or a list of them.');
  }
  return list as string[];
}

function whole(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min) throw new TypeError(`webPush: ${name} must be a whole number of at least ${min}.`);
  return value;
}
