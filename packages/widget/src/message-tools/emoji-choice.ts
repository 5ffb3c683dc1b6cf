import { html, type TemplateResult } from 'lit';
import { moveFocus } from '../chat-room/roving-focus.js';
import type { ChatStrings } from '../i18n/strings.js';
import { toolStrings } from './tool-strings.js';

/** The reactions the widget offers: the common ones and a few more. Screen readers say each emoji's own name. */
const EMOJIS: readonly string[] = ['👍', '❤️', '😂', '😮', '😢', '🙏', '🎉', '🔥', '👏', '👀', '✅', '🤔', '😄', '👎'];
const COLUMNS = 7;

/** What the emoji choice needs. */
export interface EmojiChoiceView {
  strings: ChatStrings;
  /** You reacted with this emoji already (choosing it again takes the reaction back). */
  mine: (emoji: string) => boolean;
  _onPick: (emoji: string) => void;
  _onClose: () => void;
}

/** A small grid of emoji buttons: arrow keys move, Enter or a click picks, Escape closes. */
export function renderEmojiChoice(view: EmojiChoiceView): TemplateResult {
  const keydown = (event: KeyboardEvent) => {
    const buttons = Array.from((event.currentTarget as HTMLElement).querySelectorAll('button'));
    if (moveFocus(event, buttons, COLUMNS)) return event.stopPropagation();
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    view._onClose();
  };
  return html`<div class="emoji-choice" role="group" aria-label=${toolStrings(view.strings).chooseReaction} @keydown=${keydown}>
    ${EMOJIS.map(
      (emoji, i) =>
        html`<button
          type="button"
          tabindex=${i === 0 ? 0 : -1}
          aria-pressed=${String(view.mine(emoji))}
          @click=${() => view._onPick(emoji)}
        >
          ${emoji}
        </button>`,
    )}
  </div>`;
}
