// A room's pinned list as the plugin serves it: pins and unpins checked and kept, the list read
// with each message as stored now, and `pins:updated` to the room on every process.
import { builtInError, type ChatUser, type Message, type PinnedList } from '@chat/protocol';
import type { ChatHandshake } from '../../core/handshake.js';
import type { PluginMessageEvent, PluginTools } from '../../core/plugin.js';
import { ChatAction } from '../../core/policy.js';
import type { PinStore } from './pin-store.js';

/** Who asks for a pin or an unpin: a socket's user (asked about), or the host (`by`, trusted). */
export type PinActor = { user: ChatUser; handshake?: ChatHandshake } | { host: string };

/** The pins of one server (its tools). */
export class PinBoard {
  // Each room's sending of its list, one after the other on this process.
  readonly #sending = new Map<string, Promise<unknown>>();

  constructor(
    private readonly tools: PluginTools<PinStore>,
    private readonly maxPins: number,
  ) {}

  /**
   * The room's pinned messages, newest pin first, as stored now. A pin whose message is gone or
   * deleted (a delete on the way, a delete heard by no process) is dropped here.
   */
  async pinned(roomId: string): Promise<Message[]> {
    const pins = await this.tools.store.list(roomId);
    const messages = await Promise.all(pins.map((pin) => this.tools.getMessage(roomId, pin.messageId)));
    const shown: Message[] = [];
    for (const [i, message] of messages.entries()) {
      if (message && message.deletedAt === undefined) shown.push(message);
      else await this.tools.store.unpin(roomId, pins[i]?.messageId ?? '');
    }
    return shown;
  }

  /** Pins a message; pinning a pinned one changes nothing (and sends nothing). */
  async pin(roomId: string, messageId: string, actor: PinActor): Promise<PinnedList> {
    const message = await this.#allowed(roomId, messageId, actor);
    if (message.deletedAt !== undefined) throw builtInError('MESSAGE_NOT_FOUND', 'This message was deleted: it cannot be pinned.');
    const by = 'host' in actor ? actor.host : actor.user.id;
    const outcome = await this.tools.store.pin({ roomId, messageId, pinnedBy: by, pinnedAt: new Date().toISOString() }, this.maxPins);
    if (outcome === 'full') {
      throw builtInError(
        'PAYLOAD_TOO_LARGE',
        `This room has ${this.maxPins} pinned messages, the most it may have. Unpin one before pinning another.`,
      );
    }
    return outcome === 'pinned' ? this.updated(roomId) : { pinned: await this.pinned(roomId) };
  }

  /** Unpins a message; unpinning one that is not pinned changes nothing. */
  async unpin(roomId: string, messageId: string, actor: PinActor): Promise<PinnedList> {
    await this.#allowed(roomId, messageId, actor);
    const removed = await this.tools.store.unpin(roomId, messageId);
    return removed ? this.updated(roomId) : { pinned: await this.pinned(roomId) };
  }

  /**
   * Sends the room's list to everyone in it (on every process) and answers it. The last list a room
   * gets is the one stored: a process sends its room's lists one after the other, and reads the list
   * again once it sent one, to send it again if another change (here or on another process, whose
   * list may have arrived first) came in between.
   */
  updated(roomId: string): Promise<PinnedList> {
    const previous = this.#sending.get(roomId) ?? Promise.resolve();
    const sent = previous.catch(() => undefined).then(() => this.#send(roomId));
    this.#sending.set(roomId, sent);
    void sent
      .finally(() => {
        if (this.#sending.get(roomId) === sent) this.#sending.delete(roomId);
      })
      .catch(() => undefined);
    return sent;
  }

  async #send(roomId: string): Promise<PinnedList> {
    let pinned = await this.pinned(roomId);
    // At most three sends: under changes that never stop, each change sends its own list anyway.
    for (let sends = 1; ; sends++) {
      this.tools.emitToRoom(roomId, 'pins:updated', { roomId, pinned });
      if (sends === 3) break;
      const now = await this.pinned(roomId);
      if (sameList(now, pinned)) break;
      pinned = now;
    }
    return { pinned };
  }

  /** A message heard of (edited or deleted here): a pinned one's room gets the list again. */
  async heard({ kind, room, message }: PluginMessageEvent): Promise<void> {
    if (kind === 'stored') return;
    const pins = await this.tools.store.list(room.id);
    if (!pins.some((pin) => pin.messageId === message.id)) return;
    if (kind === 'deleted') await this.tools.store.unpin(room.id, message.id);
    await this.updated(room.id);
  }

  // The message, if it is the room's and the actor may pin in the room.
  async #allowed(roomId: string, messageId: string, actor: PinActor): Promise<Message> {
    const message = await this.tools.getMessage(roomId, messageId);
    if (!message) throw builtInError('MESSAGE_NOT_FOUND', `There is no message "${messageId}" in this room.`);
    if ('user' in actor) {
      const { user, handshake } = actor;
      const allowed = await this.tools.authorize(ChatAction.PIN, { user, roomId, message, ...(handshake && { handshake }) });
      if (!allowed) throw builtInError('FORBIDDEN', 'Only the room’s owners and moderators can pin or unpin its messages.');
    }
    return message;
  }
}

/** The same messages in the same order, each as the same revision. */
function sameList(a: readonly Message[], b: readonly Message[]): boolean {
  return a.length === b.length && a.every((m, i) => m.id === b[i]?.id && m.rev === b[i]?.rev);
}
