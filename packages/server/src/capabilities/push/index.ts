// Push notifications (Web Push): devices subscribe and unsubscribe (socket events and REST), and
// users who are away hear of the messages they follow on those devices (`webPush`, the `push` option).
import { toChatError } from '@chat/protocol';
import type { Capability } from '../../core/capability.js';
import type { CapabilityContext } from '../capability-context.js';
import { pushEvents, pushRoutes } from './push-events.js';
import { PushService } from './push-service.js';
import { loadWebPush } from './web-push-loader.js';
import type { WebPush } from './web-push-options.js';

/** The push capability: its events and routes (which answer `FORBIDDEN` without the option), and the pushes after a message is stored. */
export function pushCapability(ctx: () => CapabilityContext, push: WebPush | undefined): Capability {
  const service = push && new PushService(ctx, push);
  return {
    name: 'push',
    events: pushEvents(ctx, push),
    routes: pushRoutes(ctx, push),
    ...(service && {
      // A missing web-push fails chat.ready() with the install command, not the first push.
      init: async () => void (await loadWebPush()),
      listen: (bus) =>
        bus.on('message:stored', (room, message) => {
          const c = ctx();
          const work = service.messageStored(room, message).catch((error: unknown) => c.report(toChatError(error), { event: 'push' }));
          c.inflight.add(work);
          void work.then(() => c.inflight.delete(work));
        }),
      close: () => service.close(),
    }),
  };
}

export { DEFAULT_PUSH_ENDPOINTS, webPush } from './web-push-options.js';
export type { WebPush, WebPushOptions } from './web-push-options.js';
export type { PushContent, PushPayload } from './push-payload.js';
