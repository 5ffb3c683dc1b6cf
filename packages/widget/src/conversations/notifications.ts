// Showing browser notifications: a chunk of its own (chat-room.notifications.js next to
// chat-room.min.js), loaded the first time a message may notify (./notifier.ts decides when).
import type { RoomSummary } from '@chat/client';
import type { ChatStrings } from '../i18n/strings.js';

/** The messages this page showed a notification for (a `<chat-room>` and a `<chat-inbox>` may share a client). */
const notified = new Set<string>();

/**
 * A notification for each room of `list` whose newest message is new since `before` (the newest
 * seq and mention count of each room at the last list), unread (so not yours) and allowed by its
 * level: `all` every message of others, `mentions` direct messages and messages that mention you,
 * `none` nothing. `open` shows the room (the notification was clicked).
 */
export function notify(
  list: readonly RoomSummary[],
  before: ReadonlyMap<string, [seq: number, mentions: number]>,
  name: (summary: RoomSummary) => string,
  strings: ChatStrings,
  open: (roomId: string) => void,
): void {
  for (const summary of list) {
    const { room, lastMessage: message, notifications: level } = summary;
    const [seq, mentions] = before.get(room.id) ?? [0, 0];
    if (!message || summary.unread === 0 || message.seq <= seq || level === 'none' || notified.has(message.id)) continue;
    if (level === 'mentions' && !room.options.direct && summary.mentions <= mentions) continue;
    notified.add(message.id);
    const notification = new Notification(name(summary), {
      body: `${message.user.name}: ${message.text || strings.attachment}`,
      tag: room.id,
    });
    notification.onclick = () => {
      window.focus();
      open(room.id);
      notification.close();
    };
  }
}
