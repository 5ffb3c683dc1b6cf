import { html, type TemplateResult } from 'lit';
import type { Member } from '@chat/client';
import type { ChatStrings } from '../i18n/strings.js';
import { avatar } from './avatar.js';

/** The people here, yourself marked. */
export function renderMemberList(members: readonly Member[], selfId: string | undefined, strings: ChatStrings): TemplateResult {
  return html`<ul id="members" part="members" class="members" aria-label=${strings.membersLabel}>
    ${members.map((m) => html`<li>${avatar(m)}<span>${m.id === selfId ? `${m.name} (${strings.you})` : m.name}</span></li>`)}
  </ul>`;
}
