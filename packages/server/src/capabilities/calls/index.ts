// Calls: start, join, decline, leave and signal (the call service keeps their state, on every
// process of a cluster); it hears of sockets and rooms that go on the server's bus.
import type { Capability } from '../../core/capability.js';
import { callHandlers } from './call-events.js';
import type { CallService } from './call-service.js';

/** The calls capability: its client events. */
export function callsCapability(calls: CallService): Capability {
  return {
    name: 'calls',
    socketHandlers: (caller) => callHandlers(calls, caller),
    // The calls going on in a room, in its join's answer.
    joinAnswer: async (_user, room) => ({ calls: await calls.inRoom(room.id) }),
    // A socket that leaves a room or goes away leaves its call; users who lose a room, and a room that ends, end theirs.
    listen: (bus) => {
      bus.on('socket:left', (socketId, roomId) => calls.leftRoom(socketId, roomId));
      bus.on('socket:gone', (socketId) => calls.socketGone(socketId));
      bus.on('room:users-removed', (roomId, userIds) => calls.usersRemoved(roomId, userIds));
      bus.on('room:ended', (roomId) => calls.roomEnded(roomId));
    },
  };
}

export { CallService } from './call-service.js';
export type { CallOptions, IceServersOption } from './call-options.js';
