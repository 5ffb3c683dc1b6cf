// Web Push (RFC 8030): what a browser's PushSubscription is on the wire, and the payloads of the
// events that register and remove one.

/** Longest push endpoint URL accepted, in characters. */
export const PUSH_ENDPOINT_MAX = 1024;

/**
 * A browser's push subscription, as `PushSubscription.toJSON()` gives it: where the push service
 * takes messages for this device, and the keys a payload is encrypted with (RFC 8291).
 */
export interface WebPushSubscription {
  /** The push service's URL for this device: https, at most `PUSH_ENDPOINT_MAX` characters. */
  endpoint: string;
  /** When the push service will stop taking messages for it (ms since the epoch), if it says. */
  expirationTime?: number | null;
  keys: {
    /** The device's P-256 public key, base64url (65 bytes, uncompressed). */
    p256dh: string;
    /** The device's authentication secret, base64url (16 bytes). */
    auth: string;
  };
}

/** Client -> server `push:subscribe`: push this user's notifications to this device (replaces the same endpoint). */
export interface PushSubscribePayload {
  subscription: WebPushSubscription;
}

/** Client -> server `push:unsubscribe`: stop pushing to this endpoint (one's own only). */
export interface PushUnsubscribePayload {
  endpoint: string;
}

/** REST `GET /push/key`: the server's VAPID public key, for `pushManager.subscribe({ applicationServerKey })`. */
export interface PushKeyResult {
  /** base64url, 65 bytes uncompressed P-256. */
  publicKey: string;
}
