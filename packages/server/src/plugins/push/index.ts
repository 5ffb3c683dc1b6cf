// Push notifications (Web Push), a built-in written as a host writes a plugin (docs/plugins.md):
// devices subscribe and unsubscribe (socket events and REST), and users who are away hear of the
// messages they follow on those devices (`webPush`, the `push` option). Who is away and why is the
// server's one answer (`tools.awayRecipients`); the store's push part and the cluster's collapse
// windows are given to it.
import { definePlugin, type DefinedPlugin } from '../../core/plugin.js';
import { pushEvents, pushRoutes, type PushRequests } from './push-events.js';
import { PushService, type PushEnv } from './push-service.js';
import { loadWebPush } from './web-push-loader.js';

/** What push needs of the server besides its tools. */
export interface PushParts extends PushRequests {
  collapse: PushEnv['collapse'];
}

/** The push plugin: its events and routes (which answer `FORBIDDEN` without the option), and the pushes after a message is stored. */
export function pushPlugin(parts: PushParts): DefinedPlugin {
  const { push } = parts;
  let service: PushService | undefined;
  return definePlugin({
    name: 'push',
    events: pushEvents(parts),
    routes: pushRoutes(parts),
    ...(push && {
      start: async (tools) => {
        // A missing web-push fails chat.ready() with the install command, not the first push.
        await loadWebPush();
        const pushes = new PushService({ tools, store: parts.store, collapse: parts.collapse }, push);
        service = pushes;
        tools.onMessage(({ kind, room, message }) => (kind === 'stored' ? pushes.messageStored(room, message) : undefined));
      },
      close: () => service?.close(),
    }),
  });
}

export { DEFAULT_PUSH_ENDPOINTS, webPush } from './web-push-options.js';
export type { WebPush, WebPushOptions } from './web-push-options.js';
export type { PushContent, PushPayload } from './push-payload.js';
