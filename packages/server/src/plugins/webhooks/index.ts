// Webhooks, a built-in written as a host writes a plugin (docs/plugins.md): each of the chat
// server's events that an endpoint asked for (`tools.onServerEvent`) becomes one signed JSON POST,
// queued on that endpoint, on the process that handled the event. Listed only with the `webhooks`
// option, which is checked (`resolveWebhooks`) before anything else is made.
import { definePlugin, type DefinedPlugin } from '../../core/plugin.js';
import type { Webhooks } from './webhooks.js';

export { Webhooks } from './webhooks.js';
export type { WebhookBody } from './webhooks.js';
export { WebhookEvent, resolveWebhooks } from './webhook-options.js';
export type { WebhookOptions } from './webhook-options.js';
export { WEBHOOK_ID_HEADER, WEBHOOK_SIGNATURE_HEADER, verifyWebhookSignature } from './webhook-signature.js';

/**
 * The webhooks plugin over the server's endpoints. It has no `close`: the chat server closes the
 * endpoints last (facade/shutdown.ts), once the leaves of the sockets it disconnected were told.
 */
export function webhooksPlugin(webhooks: Webhooks): DefinedPlugin {
  return definePlugin({
    name: 'webhooks',
    start: (tools) => {
      for (const event of webhooks.heard) tools.onServerEvent(event, (...args: readonly unknown[]) => webhooks.emitted(event, args));
    },
  });
}
