import { html, nothing, type TemplateResult } from 'lit';
import type { Member, UserPresence } from '@chat/client';
import type { PanelText } from './panel-text.js';
import { statusLine } from '../parts/status-line.js';

/** What the card of a person needs. */
export interface PersonCardView {
  strings: PanelText;
  /** From `presenceOf`, asked when the card opened: last seen, for someone who went offline. */
  presence: UserPresence | undefined;
  when: (iso: string | undefined) => string;
  /** Opens the private conversation with them; none on your own card. */
  _onMessage: (() => void) | undefined;
  /** The call button (`<chat-room calls>`), drawn by the call chunk. */
  call?: unknown;
  /** A moderator's actions on them (parts/moderation-menu.ts). */
  moderation?: unknown;
  /** In an encrypted room: their fingerprint (`client.e2ee.fingerprint`), to compare with the one their app shows. */
  fingerprint?: string | undefined;
}

/**
 * A person's card, under their name and status in the people panel: when they were last seen if
 * they went offline meanwhile (`presenceOf`), and "Message privately".
 */
export function renderPersonCard(member: Member, view: PersonCardView): TemplateResult {
  const { strings, presence } = view;
  return html`<div class="card" id=${`card-${member.id}`}>
    ${presence && !presence.online ? html`<small>${statusLine(undefined, presence, strings, view.when)}</small>` : nothing}
    ${view.fingerprint ? html`<p class="fingerprint"><small>${strings.fingerprint}</small> <code>${view.fingerprint}</code></p>` : nothing}
    ${view._onMessage ? html`<button type="button" class="primary" @click=${view._onMessage}>${strings.messagePrivately}</button>` : nothing}
    ${view.call ?? nothing}${view.moderation ?? nothing}
  </div>`;
}
