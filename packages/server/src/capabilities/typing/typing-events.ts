import { ClientEvent, parsePayload, type EmptyResult } from '@chat/protocol';
import type { EventHandler } from '../../core/capability.js';
import { ChatAction } from '../../core/policy.js';
import type { CapabilityContext } from '../capability-context.js';

/** The client event of typing indicators, one handler for every socket. */
export function typingEvents(ctx: () => CapabilityContext): Record<string, EventHandler> {
  return {
    [ClientEvent.TYPING]: async (caller, payload): Promise<EmptyResult> => {
      const { roomId, typing } = parsePayload(ctx().schemas.typing, payload);
      await caller.requireRoom(roomId);
      // Muted users and frozen rooms show no one typing (the signal is refused like a send would be).
      if (typing) await ctx().guard.write(await caller.authorizeIn(ChatAction.TYPING, roomId), caller.user, 'typing');
      ctx().typing.set(roomId, caller.user, typing);
      return {};
    },
  };
}
