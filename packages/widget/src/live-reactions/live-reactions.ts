// The chunk of live reactions (chat-room.live-reactions.js): a bar of the room's emoji under the
// log, and each burst's emoji floating up over it, a few at a time (none with
// prefers-reduced-motion). Loaded when a room's join answer lists live reactions.
import { html, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { ChatError, ChatRoom, LiveReactionBurst } from '@chat/client';
import { addStyles } from '../add-styles.js';
import { chunkStrings } from '../i18n/chunk-strings.js';
import { liveReactionsEn, type LiveReactionStrings } from './live-reaction-strings.js';
import { liveReactionStyles } from './live-reaction-styles.js';

/** What the bar needs of `<chat-room>`. */
export interface LiveReactionsHost {
  element: ReactiveControllerHost & HTMLElement;
  room(): ChatRoom | undefined;
  strings(): Partial<LiveReactionStrings>;
  lang(): string;
  fail(error: ChatError, line?: boolean): void;
}

/** The bar, drawn by the element's template. */
export interface LiveReactionsUi {
  render(room: ChatRoom, disabled: boolean): TemplateResult;
}

/** Floating emoji on screen at most: a storm of reactions shows as a stream, not a wall. */
export const MAX_FLOATING = 12;
/** How long one floats, in ms (the animation's length: it is taken away then). */
const FLOAT_MS = 1600;

interface Floating {
  id: number;
  emoji: string;
  /** Where across the bar it rises, in percent. */
  left: number;
}

/** The bar of `host`'s rooms, its styles added to the element. */
export function createLiveReactions(host: LiveReactionsHost): LiveReactionsUi {
  addStyles(host.element, liveReactionStyles);
  const floating: Floating[] = [];
  let next = 0;
  let watched: ChatRoom | undefined;
  let stop: (() => void) | undefined;
  const still = () => typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

  const burst = ({ counts }: LiveReactionBurst): void => {
    if (still()) return;
    for (const [emoji, n] of Object.entries(counts)) {
      for (let i = 0; i < n && floating.length < MAX_FLOATING; i++) {
        const item = { id: next++, emoji, left: 10 + Math.random() * 80 };
        floating.push(item);
        setTimeout(() => {
          floating.splice(floating.indexOf(item), 1);
          host.element.requestUpdate();
        }, FLOAT_MS);
      }
    }
    host.element.requestUpdate();
  };

  const send = (room: ChatRoom, emoji: string): void => {
    room.liveReactions.send(emoji).catch((error: ChatError) => {
      // Past the rate is a moment to wait, said on the line; anything else is the banner's.
      host.fail(error, error.code === 'RATE_LIMITED');
    });
  };

  return {
    render(room, disabled) {
      if (room !== watched) {
        stop?.();
        watched = room;
        floating.length = 0;
        stop = room.liveReactions.on('burst', burst);
      }
      const strings = chunkStrings(liveReactionsEn, host.strings());
      return html`<div class="live-reactions" part="live-reactions">
        <div class="floating" aria-hidden="true">
          ${repeat(
            floating,
            (item) => item.id,
            (item) => html`<span style="left:${item.left}%">${item.emoji}</span>`,
          )}
        </div>
        <div role="group" aria-label=${strings.liveReactionsLabel}>
          ${room.liveReactions.emojis.map(
            (emoji) =>
              html`<button
                type="button"
                aria-label=${strings.sendLiveReaction(emoji)}
                ?disabled=${disabled}
                @click=${() => send(room, emoji)}
              >
                ${emoji}
              </button>`,
          )}
        </div>
      </div>`;
    },
  };
}
