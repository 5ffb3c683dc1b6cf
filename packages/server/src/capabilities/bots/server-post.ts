// How a command without a bot posts (`ctx.send` of `chat.command()`): as the server, with the bot
// mark, so that no person can look like it.
import { randomUUID } from 'node:crypto';
import { parsePayload, type ChatUser, type Message, type Room } from '@chat/protocol';
import type { BotMessageDraft } from '../../core/commands.js';
import { draftPayload } from '../../core/message-input.js';
import { SERVER_NAME } from '../../kernel/rooms/reserved-names.js';
import type { CapabilityContext } from '../capability-context.js';

/** Who a command without a bot posts as. */
const SERVER_USER: Readonly<ChatUser> = Object.freeze({ id: 'server', name: SERVER_NAME });

/**
 * Posts `draft` to `room` as the server (`{ id: 'server', name: 'Server' }`, `bot: true`): through
 * the message schema, `beforeMessage` and the limits like every message, not through `authorize`
 * or a rate limit (the command that posts was allowed to run).
 */
export function postAsServer(ctx: CapabilityContext, room: Room, draft: BotMessageDraft): Promise<Message> {
  const clientId = draft.clientId ?? randomUUID();
  const checked = parsePayload(ctx.schemas['message:send'], draftPayload(room.id, clientId, draft));
  return ctx.messages.post({ user: { ...SERVER_USER }, roomId: room.id, room, bot: true }, clientId, {
    text: checked.text,
    attachments: checked.attachments ?? [],
    ...(checked.replyTo !== undefined && { replyTo: checked.replyTo }),
    ...(checked.mentions !== undefined && { mentions: checked.mentions }),
    ...(checked.threadOf !== undefined && { threadOf: checked.threadOf, ...(checked.alsoInRoom === true && { alsoInRoom: true }) }),
  });
}
