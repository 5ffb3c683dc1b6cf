// Typing indicators, a built-in written as a host writes a plugin (docs/plugins.md): the `typing`
// event, and who leaves a room no longer typing there. The tracker that publishes them is the
// server's (kernel/presence/typing-tracker.ts, made with its presence parts in
// facade/cluster-parts.ts), reached by bots, sends and mutes too; the plugin is given it.
import { builtInError, type EmptyResult, type PayloadSchemas } from '@chat/protocol';
import { definePlugin, type DefinedPlugin, type PluginEvent, type PluginEvents } from '../../core/plugin.js';
import type { TypingPort } from '../../core/ports.js';

/** The typing plugin over the server's tracker (read when used: a cluster swaps it in at start). */
export function typingPlugin(tracker: () => TypingPort, schema: PayloadSchemas['typing']): DefinedPlugin {
  const typing: PluginEvent<'typing', undefined> = {
    payload: schema,
    // The kernel has checked that the socket is in the room (NOT_IN_ROOM otherwise).
    handle: async ({ user, payload, handshake }, tools): Promise<EmptyResult> => {
      const { roomId } = payload;
      // Muted users and frozen rooms show no one typing (the signal is refused like a send would be).
      if (payload.typing) {
        if (!(await tools.authorize('typing', { user, roomId, handshake })))
          throw builtInError('FORBIDDEN', 'You are not allowed to do this here (typing).');
        await tools.checkWrite(user, roomId, 'typing');
      }
      tracker().set(roomId, user, payload.typing);
      return {};
    },
  };
  return definePlugin({
    name: 'typing',
    // A built-in event, typed by the protocol's own map (a host's plugin types CustomClientEvents').
    events: { typing } as PluginEvents<undefined>,
    // Someone no longer in a room is no longer typing there.
    start: (tools) =>
      void tools.onPresence(({ kind, roomId, userId }) => {
        if (kind === 'left') tracker().clear(roomId, userId);
      }),
  });
}

