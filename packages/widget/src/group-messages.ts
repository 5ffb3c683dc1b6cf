import type { Message } from '@chat/client';

/** Consecutive messages of one sender, close in time, shown under one name and avatar. */
export interface MessageGroup {
  key: string;
  userId: string;
  name: string;
  avatarUrl: string | undefined;
  /** The local calendar day of its messages (see {@link dayOf}). */
  day: string;
  messages: Message[];
}

/** The local calendar day of an ISO time, as a key ("Mon Jan 05 2026"; "Invalid Date" when it is not a time). */
const dayOf = (iso: string): string => new Date(iso).toDateString();

/** Groups by sender; a gap longer than `gapMs` (5 minutes), or another day, starts a new group. */
export function groupMessages(messages: readonly Message[], gapMs = 5 * 60_000): MessageGroup[] {
  const groups: MessageGroup[] = [];
  let current: MessageGroup | undefined;
  let lastTime = 0;
  for (const message of messages) {
    const time = Date.parse(message.createdAt);
    const day = dayOf(message.createdAt);
    if (!current || current.userId !== message.user.id || time - lastTime > gapMs || current.day !== day) {
      current = { key: message.id, userId: message.user.id, name: message.user.name, avatarUrl: message.user.avatarUrl, day, messages: [] };
      groups.push(current);
    }
    current.messages.push(message);
    lastTime = time;
  }
  return groups;
}
