import type { Message } from '@chat/client';

/** Consecutive messages of one sender, close in time, shown under one name and avatar. */
export interface MessageGroup {
  key: string;
  userId: string;
  name: string;
  avatarUrl: string | undefined;
  messages: Message[];
}

/** Groups by sender; a gap longer than `gapMs` (5 minutes) starts a new group. */
export function groupMessages(messages: readonly Message[], gapMs = 5 * 60_000): MessageGroup[] {
  const groups: MessageGroup[] = [];
  let current: MessageGroup | undefined;
  let lastTime = 0;
  for (const message of messages) {
    const time = Date.parse(message.createdAt);
    if (!current || current.userId !== message.user.id || time - lastTime > gapMs) {
      current = { key: message.id, userId: message.user.id, name: message.user.name, avatarUrl: message.user.avatarUrl, messages: [] };
      groups.push(current);
    }
    current.messages.push(message);
    lastTime = time;
  }
  return groups;
}
