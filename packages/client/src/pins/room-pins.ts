// `room.pins`: a room's pinned messages (the server's `pins()` plugin). The list is the room's
// plugin state `plugins.pins`, brought by each join answer and replaced by each `pins:updated`.
import type { Message, PinsJoin } from '@chat/protocol';
import type { PluginLink, PluginStateHost } from '../core/plugin-link.js';

/**
 * A room's pinned messages (announcements, rules), newest pin first, kept current by the server's
 * `pins:updated` and by every re-join: the room's `updated` fires when they change. Owners and
 * moderators pin and unpin (or whom the server's `authorize` allows the action `'pin'`).
 * @example room.on('updated', () => showBar(room.pins.list)); await room.pins.add(message.id);
 */
export class RoomPins {
  constructor(
    private readonly roomId: string,
    private readonly room: PluginStateHost,
    private readonly link: PluginLink,
  ) {}

  /** Whether the server offers pins (its `pins()` plugin is listed). */
  get available(): boolean {
    return this.room.plugins['pins'] !== undefined;
  }

  /** The pinned messages, newest pin first (empty where the server offers no pins). */
  get list(): readonly Message[] {
    return (this.room.plugins['pins'] as PinsJoin | undefined)?.pinned ?? [];
  }

  /**
   * Pins a message of the room; resolves with the list after it. Rejects with the server's
   * `ChatError`: `FORBIDDEN` for whom may not pin, `PAYLOAD_TOO_LARGE` past the room's most,
   * `MESSAGE_NOT_FOUND` for a deleted message.
   */
  add(messageId: string): Promise<readonly Message[]> {
    return this.#change('message:pin', messageId);
  }

  /** Unpins a message of the room; resolves with the list after it. */
  remove(messageId: string): Promise<readonly Message[]> {
    return this.#change('message:unpin', messageId);
  }

  async #change(event: 'message:pin' | 'message:unpin', messageId: string): Promise<readonly Message[]> {
    const state = await this.link.request(event, { roomId: this.roomId, messageId });
    this.room._pluginState('pins', state);
    return state.pinned;
  }
}
