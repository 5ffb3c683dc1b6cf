import type { MessageDraft } from '../core/chat-store.js';

let counter = 0;
/** A room id no other test (or earlier run against a durable store) has used. */
export function freshRoomId(prefix = 'conf'): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}`;
}

/** A message draft by user u1 ("Ana"); the text is the clientId unless given. */
export function draft(roomId: string, clientId: string, text = clientId): MessageDraft {
  return { roomId, clientId, user: { id: 'u1', name: 'Ana' }, text, attachments: [] };
}
