// `GET /rooms/:id/pins`: a room's pinned messages, for whoever may read the room (the audience rule).
import { builtInError } from '@chat/protocol';
import type { RestRoute } from '../../core/capability.js';
import type { PluginTools } from '../../core/plugin.js';
import type { PinBoard } from './pin-board.js';
import type { PinStore } from './pin-store.js';

/** The REST route of pins, under the kernel's shared `rooms` prefix. */
export function pinsRoute(tools: PluginTools<PinStore>, board: () => PinBoard): RestRoute {
  return {
    prefix: 'rooms',
    method: 'GET',
    match: (segments) => segments.length === 3 && segments[2] === 'pins',
    async handle({ segments, user, handshake }) {
      const roomId = segments[1] ?? '';
      if (!(await tools.mayRead(user, roomId, handshake))) throw builtInError('FORBIDDEN', 'You may not see the pins of this room.');
      return { status: 200, body: { pinned: await board().pinned(roomId) } };
    },
  };
}
