// The webhooks capability as the facade and the entry points see it: the only file of it they import.

export { Webhooks } from './webhooks.js';
export type { WebhookBody } from './webhooks.js';
export { WebhookEvent, resolveWebhooks } from './webhook-options.js';
export type { WebhookOptions } from './webhook-options.js';
export { WEBHOOK_ID_HEADER, WEBHOOK_SIGNATURE_HEADER, verifyWebhookSignature } from './webhook-signature.js';
