import { builtInError, parsePayload } from '@chat/protocol';
import type { RestRoute } from '../../core/capability.js';
import type { CapabilityContext } from '../capability-context.js';
import { changeMessage } from './change-message.js';

/**
 * `PATCH /rooms/:id/messages/:messageId` `{ text, mentions? }` and `DELETE` of the same path:
 * edits and deletes take the one change path (authorize: by default the author only).
 */
export function messageRoutes(ctx: () => CapabilityContext): RestRoute[] {
  const isMessage = (s: string[]) => s.length === 4 && s[2] === 'messages';
  return [
    {
      prefix: 'rooms',
      method: 'PATCH',
      match: isMessage,
      handle: async (req) => {
        const body = await req.body();
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          throw builtInError('VALIDATION_FAILED', 'The body must be a JSON object such as { "text": "..." }.');
        }
        const { text, mentions } = body as Record<string, unknown>;
        const edit = parsePayload(ctx().schemas['message:edit'], {
          roomId: req.segments[1],
          messageId: req.segments[3],
          text,
          ...(mentions !== undefined && { mentions }),
        });
        const request = { type: 'edit' as const, text: edit.text, ...(edit.mentions !== undefined && { mentions: edit.mentions }) };
        const message = await changeMessage(ctx(), edit.roomId, edit.messageId, request, { user: req.user, handshake: req.handshake });
        return { status: 200, body: { message } };
      },
    },
    {
      prefix: 'rooms',
      method: 'DELETE',
      match: isMessage,
      handle: async (req) => {
        const target = parsePayload(ctx().schemas['message:delete'], { roomId: req.segments[1], messageId: req.segments[3] });
        const actor = { user: req.user, handshake: req.handshake };
        const message = await changeMessage(ctx(), target.roomId, target.messageId, { type: 'delete' }, actor);
        return { status: 200, body: { message } };
      },
    },
  ];
}
