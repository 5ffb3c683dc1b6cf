// Typing indicators, a built-in written as a host writes a plugin (docs/plugins.md): the `typing`
// event, and who leaves a room no longer typing there. The tracker that publishes them is the
// server's (kernel/presence/typing-tracker.ts, made with its presence parts in
// facade/cluster-parts.ts), reached by bots, sends and mutes too; the plugin is given it.
import { parsePayload, type EmptyResult, type PayloadSchemas, type TypingPayload, type UserRef } from '@chat/protocol';
import { definePlugin, type DefinedPlugin, type PluginEvent, type PluginEvents } from '../../core/plugin.js';
import { parsedSchema } from '../../core/parsed-schema.js';

/** What the plugin does with the server's typing tracker. */
export interface TypingTarget {
  /** A user started or stopped typing in a room. */
  set(roomId: string, user: UserRef, typing: boolean): void;
  /** The user stopped typing there. */
  clear(roomId: string, userId: string): void;
}

/** The typing plugin over the server's tracker (read when used: a cluster swaps it in at start). */
export function typingPlugin(tracker: () => TypingTarget, schema: PayloadSchemas['typing']): DefinedPlugin {
  // The protocol's schema, refusing with the protocol's own sentences.
  const payload = parsedSchema<TypingPayload>((value) => parsePayload(schema, value));
  const typing: PluginEvent<'typing', undefined> = {
    payload,
    // The kernel has checked that the socket is in the room (NOT_IN_ROOM otherwise).
    handle: async ({ user, payload, handshake }, tools): Promise<EmptyResult> => {
      const { roomId } = payload;
      // Muted users and frozen rooms show no one typing (the signal is refused like a send would be).
      if (payload.typing) {
        await tools.checkAllowed('typing', { user, roomId, handshake });
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
