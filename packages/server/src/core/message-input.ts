// The message a parsed `message:send` payload describes, as the message path takes it: one
// place for every sender (sockets, `chat.sendMessage`, bots, a `beforeMessage` hook's output).
import type { MessageSendPayload } from '@chat/protocol';
import type { BotMessageDraft } from './commands.js';
import type { MessageInput } from './policy.js';

/** The `MessageInput` of a checked `message:send` payload (optional fields only when given). */
export function messageInput(checked: Omit<MessageSendPayload, 'roomId' | 'clientId'>): MessageInput {
  const input: MessageInput = { text: checked.text, attachments: checked.attachments ?? [] };
  if (checked.ciphertext !== undefined) input.ciphertext = checked.ciphertext;
  if (checked.replyTo !== undefined) input.replyTo = checked.replyTo;
  if (checked.mentions !== undefined) input.mentions = checked.mentions;
  if (checked.threadOf !== undefined) input.threadOf = checked.threadOf;
  if (checked.alsoInRoom !== undefined) input.alsoInRoom = checked.alsoInRoom;
  return input;
}

/** The `message:send` payload of a draft made on the server (a bot's, `chat.sendMessage`'s), for the protocol's schema to check. */
export function draftPayload(roomId: string, clientId: string, draft: BotMessageDraft): Record<string, unknown> {
  return {
    roomId,
    clientId,
    text: draft.text,
    ...(draft.attachments !== undefined && { attachments: draft.attachments }),
    ...(draft.replyTo !== undefined && { replyTo: draft.replyTo }),
    ...(draft.mentions !== undefined && { mentions: draft.mentions }),
    ...(draft.threadOf !== undefined && { threadOf: draft.threadOf }),
    ...(draft.alsoInRoom !== undefined && { alsoInRoom: draft.alsoInRoom }),
  };
}
