// Webhooks, a built-in written as a host writes a plugin (docs/plugins.md): each of the chat
// server's events that an endpoint asked for (`tools.onServerEvent`) becomes one signed JSON POST,
// queued on that endpoint, on the process that handled the event. Listed only with the `webhooks`
// option, which is checked (`resolveWebhooks`) before anything else is made.
import type { ChatError } from '@chat/protocol';
import { definePlugin, type DefinedPlugin } from '../../core/plugin.js';
import type { ResolvedWebhook } from './webhook-options.js';
import { Webhooks } from './webhooks.js';

export type { WebhookBody } from './webhooks.js';
export { WebhookEvent, resolveWebhooks } from './webhook-options.js';
export type { ResolvedWebhook, WebhookOptions } from './webhook-options.js';
export { WEBHOOK_ID_HEADER, WEBHOOK_SIGNATURE_HEADER, verifyWebhookSignature } from './webhook-signature.js';

/** The webhooks plugin over the resolved endpoints; what fails is reported through `report` (`event: 'webhook'`). */
export function webhooksPlugin(endpoints: readonly ResolvedWebhook[], report: (error: ChatError) => void): DefinedPlugin {
  const webhooks = new Webhooks(endpoints, report);
  return definePlugin({
    name: 'webhooks',
    start: (tools) => {
      for (const event of Webhooks.heard) tools.onServerEvent(event, (...args: readonly unknown[]) => webhooks.emitted(event, args));
    },
    // Requests under way are aborted; what waits is dropped.
    close: () => webhooks.close(),
  });
}
