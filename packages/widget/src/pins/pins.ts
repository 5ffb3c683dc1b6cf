// The chunk of pins (chat-room.pins.js): the bar above the log with the room's pinned messages,
// one line (the newest pin) that opens into the whole list, each going to its message; moderators
// unpin from it. Loaded when the room shown first has a pinned message.
import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { ChatError, ChatRoom, Message, MessageWindow } from '@chat/client';
import { addStyles } from '../add-styles.js';
import { chunkStrings } from '../i18n/chunk-strings.js';
import { CLOSE, icon } from '../parts/icons.js';
import { clip } from '../parts/message-list.js';
import { pinsEn, type PinStrings } from './pin-strings.js';
import { pinStyles } from './pin-styles.js';

/** What the bar needs of `<chat-room>`. */
export interface PinsHost {
  element: ReactiveControllerHost & HTMLElement;
  room(): ChatRoom | undefined;
  strings(): Partial<PinStrings> & { attachment: string; encrypted: string };
  lang(): string;
  fail(error: ChatError): void;
  /** The log's messages: goes to one loaded (`jump`), focuses one drawn (`_focus`). */
  _messages: { jump(messageId: string): void; _focus(messageId: string, found?: boolean): void };
  /** The log's scrolling: draws a window of the history around a message not loaded. */
  _scroll: { _show(window?: MessageWindow): void };
  /** Opens the thread of a reply kept out of the room's log. */
  _threads: { open(message: Message, found?: boolean): void };
}

/** The bar, drawn by the element's template, and a moderator's action on a message. */
export interface PinsUi {
  render(room: ChatRoom, pinned: readonly Message[]): TemplateResult;
  /** "Pin" (or "Unpin") among a message's actions, with the actions' `tabindex`. */
  action(room: ChatRoom, message: Message, tab: number): TemplateResult;
}

/** A pushpin. */
const PIN = 'M9 4h6l-1 6 4 3H6l4-3zM12 13v8';

/** The bar of `host`'s rooms, its styles added to the element. */
export function createPinsBar(host: PinsHost): PinsUi {
  addStyles(host.element, pinStyles);
  let open = false;

  // The message where the log has it, the history around it, or its thread.
  const goTo = async (room: ChatRoom, message: Message): Promise<void> => {
    if (message.threadOf !== undefined && message.alsoInRoom !== true) return host._threads.open(message, true);
    if (room.messages.some((m) => m.id === message.id)) return host._messages.jump(message.id);
    const window = await room.around(message.seq);
    if (host.room() !== room) return window.close();
    if (window.merged) return host._messages.jump(message.id);
    host._scroll._show(window);
    host._messages._focus(message.id, true);
  };
  const go = (room: ChatRoom, message: Message) => {
    open = false;
    goTo(room, message).catch((error: ChatError) => host.fail(error));
  };
  const unpin = (room: ChatRoom, message: Message) => {
    room.pins.remove(message.id).catch((error: ChatError) => host.fail(error));
  };

  return {
    action(room, message, tab) {
      const strings = chunkStrings(pinsEn, host.strings());
      const pinned = room.pins.list.some((m) => m.id === message.id);
      const label = pinned ? strings.unpin : strings.pin;
      const press = () => (pinned ? unpin(room, message) : room.pins.add(message.id).catch((error: ChatError) => host.fail(error)));
      return html`<button type="button" class="act-pin" tabindex=${tab} aria-label=${label} title=${label} @click=${press}>
        ${icon(PIN)}
      </button>`;
    },
    render(room, pinned) {
      const strings = chunkStrings(pinsEn, host.strings());
      const { attachment, encrypted } = host.strings();
      // The room's copy where loaded: in an encrypted room it is the one decrypted.
      const quote = (pin: Message) => {
        const m = room.messages.find((loaded) => loaded.id === pin.id) ?? pin;
        return clip(m.text || (m.ciphertext === undefined ? attachment : encrypted), 120);
      };
      const item = (m: Message) =>
        html`<button type="button" class="pin-go" @click=${() => go(room, m)}>
          <span class="visually-hidden">${strings.goToPinned} </span><b><bdi>${m.user.name}</bdi></b
          >: <bdi>${quote(m)}</bdi>
        </button>`;
      const toggle = () => {
        open = !open;
        host.element.requestUpdate();
      };
      const [newest] = pinned;
      return html`<section class="pins" part="pins" aria-label=${strings.pinnedLabel}>
        <div class="pins-line">
          ${icon(PIN)} ${open || !newest ? html`<span class="pin-go">${strings.pinnedLabel}</span>` : item(newest)}
          <button type="button" class="pins-toggle" aria-expanded=${String(open)} aria-controls="pins-list" @click=${toggle}>
            ${strings.pinnedCount(pinned.length)}
          </button>
        </div>
        ${
          open
            ? html`<ul id="pins-list">
                ${pinned.map(
                  (m) =>
                    html`<li>
                      ${item(m)}
                      ${
                        room.canModerate
                          ? html`<button
                              type="button"
                              class="pins-toggle"
                              aria-label=${strings.unpinMessage(quote(m))}
                              title=${strings.unpinMessage(quote(m))}
                              @click=${() => unpin(room, m)}
                            >
                              ${icon(CLOSE)}
                            </button>`
                          : nothing
                      }
                    </li>`,
                )}
              </ul>`
            : nothing
        }
      </section>`;
    },
  };
}
