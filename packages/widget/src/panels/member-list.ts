import { html, nothing, type TemplateResult } from 'lit';
import type { Member, RoomSummary } from '@chat/client';
import type { PanelText } from './panel-text.js';
import { avatar } from '../parts/avatar.js';
import { botMark } from '../parts/message-list.js';
import { conversationRow, type ConversationRowView } from '../parts/conversation-row.js';
import { statusLine } from '../parts/status-line.js';
import { renderPersonCard, type PersonCardView } from './person-card.js';
import { CLOSE, icon } from '../parts/icons.js';
import { escapeCloses } from '../parts/escape.js';

/** What the people panel needs. */
export interface MemberListView {
  members: readonly Member[];
  selfId: string | undefined;
  strings: PanelText;
  _onClose: () => void;
  /** The person whose card is open, and what it shows. */
  card: string | undefined;
  _cardView: (member: Member) => PersonCardView;
  _onCard: (member: Member) => void;
  /** The user's private conversations (direct rooms), each with what its row shows. */
  chats: readonly RoomSummary[];
  _chatView: (summary: RoomSummary) => ConversationRowView;
  _onChat: (roomId: string) => void;
  when: (iso: string | undefined) => string;
  /** A large room: how many are here in all (more than `members` holds). */
  total?: number;
  /** A large room with people not loaded yet: loads the next page. */
  _onMore?: () => void;
}

/**
 * The people here, yourself marked, each with their status (online, away, busy: a dot and the
 * word) and what they say about it; a click (Enter) on a person opens their card below them
 * (a disclosure). Then the user's private conversations with their unread badges. A close
 * button, and Escape, hide the panel. In a large room the list is paged: it says how many of
 * everyone it shows, and a button loads the next page.
 */
export function renderMemberList(view: MemberListView): TemplateResult {
  const { strings, selfId } = view;
  const keydown = escapeCloses(view._onClose);
  return html`<div id="members" part="members" class="members" role="region" aria-labelledby="members-title" @keydown=${keydown}>
    <div class="members-head">
      <h3 id="members-title">${strings.membersLabel}</h3>
      <button type="button" class="icon" aria-label=${strings.hideMembers} title=${strings.hideMembers} @click=${view._onClose}>
        ${icon(CLOSE)}
      </button>
    </div>
    <ul>
      ${view.members.map((m) => {
        const who = html`${avatar(m)}<span class="who"
            ><span>${m.id === selfId ? `${m.name} (${strings.you})` : m.name}${m.bot ? botMark(strings) : nothing}${marks(m, strings)}</span
            ><small>${statusLine(m, undefined, strings, view.when)}</small></span
          >`;
        // Yourself: no card to open.
        if (m.id === selfId) return html`<li><div class="person">${who}</div></li>`;
        return html`<li>
          <button
            type="button"
            class="person"
            aria-expanded=${String(view.card === m.id)}
            aria-controls=${`card-${m.id}`}
            @click=${() => view._onCard(m)}
          >
            ${who}
          </button>
          ${view.card === m.id ? renderPersonCard(m, view._cardView(m)) : nothing}
        </li>`;
      })}
    </ul>
    ${
      view.total !== undefined && view.total > view.members.length
        ? html`<p class="members-shown" aria-live="polite">${strings.membersShown(view.members.length, view.total)}</p>`
        : nothing
    }
    ${view._onMore ? html`<button type="button" class="members-more" @click=${view._onMore}>${strings.moreMembers}</button>` : nothing}
    ${
      view.chats.length
        ? html`<h3>${strings.privateChats}</h3>
            <ul>
              ${view.chats.map(
                (s) =>
                  html`<li>
                    <button type="button" class="person" @click=${() => view._onChat(s.room.id)}>
                      ${conversationRow(s, view._chatView(s))}
                    </button>
                  </li>`,
              )}
            </ul>`
        : nothing
    }
  </div>`;
}

/** A person's role and mute, beside their name: " · moderator · muted". */
function marks(m: Member, strings: PanelText): string {
  const role = m.role === 'owner' ? strings.roleOwner : m.role === 'moderator' ? strings.roleModerator : '';
  return [role, m.muted ? strings.mutedMark : ''].map((t) => (t ? ` · ${t}` : '')).join('');
}
