import { html, type TemplateResult } from 'lit';
import type { Member } from '@chat/client';
import type { ChatStrings } from '../i18n/strings.js';
import { avatar } from './avatar.js';

/**
 * The people here, yourself marked, each with their status (online, away, busy: a dot and the
 * word) and what they say about it; a close button, and Escape, hide the panel.
 */
export function renderMemberList(
  members: readonly Member[],
  selfId: string | undefined,
  strings: ChatStrings,
  onClose: () => void,
): TemplateResult {
  const keydown = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
  return html`<div id="members" part="members" class="members" role="region" aria-labelledby="members-title" @keydown=${keydown}>
    <div class="members-head">
      <h3 id="members-title">${strings.membersLabel}</h3>
      <button type="button" class="icon" aria-label=${strings.hideMembers} title=${strings.hideMembers} @click=${onClose}>✕</button>
    </div>
    <ul>
      ${members.map(
        (m) =>
          html`<li>
            ${avatar(m)}<span class="who"
              ><span>${m.id === selfId ? `${m.name} (${strings.you})` : m.name}</span
              ><small
                ><i class="dot ${m.status}"></i>${strings[m.status] ?? m.status}${m.statusText ? ` · ${m.statusText}` : ''}</small
              ></span
            >
          </li>`,
      )}
    </ul>
  </div>`;
}
