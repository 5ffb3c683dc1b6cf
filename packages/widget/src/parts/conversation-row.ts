import { html, nothing, type TemplateResult } from 'lit';
import type { Message, RoomSummary, UserPresence, UserRef } from '@chat/client';
import type { ChatStrings } from '../i18n/strings.js';
import { avatar } from './avatar.js';
import { clip } from './message-list.js';
import { badges } from './badges.js';
import { dot } from './status-line.js';
import { shownName } from './shown-name.js';

/** What a conversation row shows besides the summary. */
export interface ConversationRowView {
  name: string;
  /** The other people of a direct room, as far as they are known. */
  people: readonly UserRef[];
  /** Where the first of them is (the dot of a direct room). */
  presence: UserPresence | undefined;
  strings: ChatStrings;
  /** When the last message was sent, formatted. */
  when: string;
  /** Your user id, when known: your own last message reads "You: …". */
  selfId?: string | undefined;
  /** The language of the last message's text when it is not the widget's (`lang` on it). */
  _textLang?: string | undefined;
}

/**
 * One conversation: avatar (a direct room's: its other person's, with a status dot), name, the
 * last message, its time, unread and mention badges. Text only: the element around it makes it
 * an option or a button.
 */
export function conversationRow(summary: RoomSummary, view: ConversationRowView): TemplateResult {
  const { room, lastMessage: last } = summary;
  const { strings, presence } = view;
  const person = room.options.direct ? view.people[0] : undefined;
  const status = presence ? (presence.online ? presence.status : 'offline') : undefined;
  // The last message: its text in the language people write in (marked when it is not the widget's).
  const text = (m: Message) =>
    m.deletedAt !== undefined
      ? strings.deletedMessage
      : m.text
        ? html`<bdi lang=${view._textLang ?? nothing}>${clip(m.text, 60)}</bdi>`
        : strings.attachment;
  const preview = last ? html`<bdi>${last.user.id === view.selfId ? strings.you : shownName(last.user, strings)}</bdi>: ${text(last)}` : '';
  return html`${avatar(person ?? { id: room.id, name: view.name })}${status ? dot(status) : nothing}<span class="who"
      ><span>${view.name}</span><small>${preview}</small></span
    ><span class="end"><time>${view.when}</time><span>${badges(summary.unread, summary.mentions, strings)}</span></span>`;
}
