// The message a parsed `message:send` payload describes, as the message path takes it: one
// place for every sender (sockets, `chat.sendMessage`, bots, a `beforeMessage` hook's output).
import type { MessageSendPayload } from '@chat/protocol';
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
