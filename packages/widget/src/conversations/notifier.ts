import type { RoomSummary } from '@chat/client';
import type { ChatStrings } from '../i18n/strings.js';
import { LazyPart, type LazyPartHost } from '../lazy-part.js';

/** The page's notification permission; `denied` where the browser has no notifications. */
export function notificationPermission(): NotificationPermission {
  return typeof Notification === 'undefined' ? 'denied' : Notification.permission;
}

/**
 * Browser notifications for new messages while the page is hidden, by the room's level (see
 * `notify`, in ./notifications.ts: a chunk, loaded the first time a list comes while the page is
 * hidden and notifications are allowed). Asking for the permission is the user's click
 * (`Notification.requestPermission()` in the notifications menu), never this class.
 */
export class Notifier {
  /** The newest seq and the mention count of each room at the last list (none before the first). */
  #seen: Map<string, [seq: number, mentions: number]> | undefined;
  readonly #chunk: LazyPart<typeof import('./notifications.js')>;

  constructor(part: LazyPartHost) {
    this.#chunk = new LazyPart(part, () => import('./notifications.js'), 'Notifications', 'chat-room.notifications.js');
  }

  /** Forgets the last list (another client). */
  reset(): void {
    this.#seen = undefined;
  }

  /**
   * A new list of conversations: each room whose newest message is new, unread (so not yours)
   * and allowed by its level gets a notification. `open` shows the room (the notification was
   * clicked). Settles once they are shown (never rejects: a chunk that cannot be loaded is reported to `part`).
   */
  async check(
    list: readonly RoomSummary[],
    name: (summary: RoomSummary) => string,
    strings: ChatStrings,
    open: (roomId: string) => void,
  ): Promise<void> {
    const before = this.#seen;
    this.#seen = new Map(list.map((s) => [s.room.id, [s.lastMessage?.seq ?? 0, s.mentions]]));
    if (!before || !document.hidden || notificationPermission() !== 'granted') return;
    try {
      (await this.#chunk.load())?.notify(list, before, name, strings, open);
    } catch {
      // A browser that has `Notification` but will not make one here (Chrome on Android: a service worker's only).
    }
  }
}
