import type { RoomSummary } from '@chat/client';
import type { ChatStrings } from '../i18n/strings.js';

/** The messages this page showed a notification for (a `<chat-room>` and a `<chat-inbox>` may share a client). */
const notified = new Set<string>();

/** The page's notification permission; `denied` where the browser has no notifications. */
export function notificationPermission(): NotificationPermission {
  return typeof Notification === 'undefined' ? 'denied' : Notification.permission;
}

/**
 * Browser notifications for new messages while the page is hidden, by the room's level: `all`
 * every message of others, `mentions` direct messages and messages that mention you, `none`
 * nothing. Asking for the permission is the user's click (`Notification.requestPermission()`
 * in the notifications menu), never this class.
 */
export class Notifier {
  /** The newest seq and the mention count of each room at the last list (none before the first). */
  #seen: Map<string, [seq: number, mentions: number]> | undefined;

  /** Forgets the last list (another client). */
  reset(): void {
    this.#seen = undefined;
  }

  /**
   * A new list of conversations: each room whose newest message is new, unread (so not yours)
   * and allowed by its level gets a notification. `open` shows the room (the notification was clicked).
   */
  check(list: readonly RoomSummary[], name: (summary: RoomSummary) => string, strings: ChatStrings, open: (roomId: string) => void): void {
    const before = this.#seen;
    this.#seen = new Map(list.map((s) => [s.room.id, [s.lastMessage?.seq ?? 0, s.mentions]]));
    if (!before || !document.hidden || notificationPermission() !== 'granted') return;
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
}
