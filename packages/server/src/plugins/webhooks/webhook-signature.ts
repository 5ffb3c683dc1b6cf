import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header that carries a webhook body's signature: `sha256=<hex HMAC-SHA256 of the raw body>`. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-chat-signature';
/** The header that carries a delivery's id (the body's `id`): the same on every retry, for dedupe. */
export const WEBHOOK_ID_HEADER = 'x-chat-webhook-id';

/** The `X-Chat-Signature` value of a body: `sha256=` and the hex HMAC-SHA256 of its bytes with `secret`. */
export function signWebhookBody(body: string | Uint8Array, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Checks a webhook delivery in your receiver: `body` is the raw request body (the bytes, before
 * any JSON parsing), `signature` the `X-Chat-Signature` header. Compares in constant time.
 * @example if (!verifyWebhookSignature(rawBody, req.headers['x-chat-signature'], secret)) return res.writeHead(401).end();
 */
export function verifyWebhookSignature(
  body: string | Uint8Array,
  signature: string | string[] | null | undefined,
  secret: string,
): boolean {
  if (typeof signature !== 'string' || typeof secret !== 'string' || secret === '') return false;
  const expected = Buffer.from(signWebhookBody(body, secret));
  const given = Buffer.from(signature.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}
