import { html, nothing, type TemplateResult } from 'lit';
import type { ChatStrings } from '../i18n/strings.js';
import { badges } from './badges.js';
import { BELL, BELL_OFF, LOCK, icon } from './icons.js';
import { escapeCloses } from './escape.js';
import { inSentence, QUOTE } from './in-sentence.js';

/** What the header shows. */
export interface HeaderView {
  strings: ChatStrings;
  title: string;
  /** In a private conversation: the status line of the other person, and the way back (the room's name and counts). */
  back: { name: string; unread: number; mentions: number; onBack: () => void } | undefined;
  status: TemplateResult | undefined;
  /** The people toggle (in the widget's room): how many are here, the unread private messages. */
  people: { count: number; open: boolean; unread: number; mentions: number; onToggle: () => void } | undefined;
  /** The notifications menu's button, where the room keeps levels (not in ephemeral rooms). */
  bell: { open: boolean; off: boolean; onToggle: () => void } | undefined;
  /** The call buttons (`<chat-room calls>`), drawn by the call chunk. */
  calls?: unknown;
  /** The search button (search/loader.ts). */
  search?: unknown;
  /** The room menu's button, for moderators (parts/moderation-menu.ts). */
  moderation?: unknown;
  /** The room is end-to-end encrypted: a lock and a line that says so. */
  encrypted?: boolean;
  /** Closes the header's panels: a button that opens one closes the others first (they would lie over each other). */
  _closePanels?: () => void;
}

/**
 * The top bar: the title, the people toggle or the way back from a private conversation, and the
 * notifications button. The buttons go under the title, together, when both do not fit on one line.
 */
export function renderHeader(view: HeaderView): TemplateResult {
  const { strings, back, people, bell } = view;
  const opening = {
    capture: true,
    handleEvent: (event: Event) => (event.target as Element).closest('[aria-expanded=false]') && view._closePanels?.(),
  };
  return html`<header part="header" @click=${opening}>
    ${
      back
        ? html`<button type="button" class="back" @click=${back.onBack}>
            <span aria-hidden="true">‹</span> ${inSentence(strings.backTo(QUOTE), back.name)}${badges(back.unread, back.mentions, strings)}
          </button>`
        : nothing
    }
    <div class="who">
      <h2>${view.title}</h2>
      ${view.status ? html`<small>${view.status}</small>` : nothing}
      ${view.encrypted ? html`<small class="e2ee" part="e2ee">${icon(LOCK)} ${strings.encrypted}</small>` : nothing}
    </div>
    <div class="tools">
      ${view.calls ?? nothing}
      ${
        people
          ? html`<button
              type="button"
              aria-expanded=${String(people.open)}
              aria-controls="members"
              title=${people.open ? strings.hideMembers : strings.showMembers}
              @click=${people.onToggle}
              @keydown=${people.open ? escapeCloses(people.onToggle) : nothing}
            >
              ${strings.membersCount(people.count)}${badges(people.unread, people.mentions, strings)}
            </button>`
          : nothing
      }
      ${view.search ?? nothing}
      ${
        bell
          ? html`<button
              type="button"
              class="icon bell"
              aria-label=${strings.notifications}
              title=${strings.notifications}
              aria-expanded=${String(bell.open)}
              aria-controls="notify"
              @click=${bell.onToggle}
            >
              ${icon(bell.off ? BELL_OFF : BELL)}
            </button>`
          : nothing
      }
      ${view.moderation ?? nothing}
    </div>
  </header>`;
}
