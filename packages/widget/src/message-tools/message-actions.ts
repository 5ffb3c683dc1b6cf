// A message's actions (reply, react, edit, delete, report, thread), in the message tools' chunk: the
// log draws them once it is in, fetched as the first messages are drawn (chat-room/message-controller.ts).
import { html, nothing, type TemplateResult } from 'lit';
import type { ChatStrings } from '../i18n/strings.js';
import { icon, REPLY, THREAD } from '../parts/icons.js';

// The icons only the actions use (parts/icons.ts has the others, and says how they are drawn).
const SMILE = 'M12 3a9 9 0 1 0 .1 0M8 14a5 5 0 0 0 8 0M9 9h0m6 0h0';
const PENCIL = 'M4 20h4L19 9l-4-4L4 16zm9-13l4 4';
const TRASH = 'M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13';
const FLAG = 'M5 21V4h12l-2 4 2 4H5';

/** What a message's actions need. */
export interface MessageActionsView {
  strings: ChatStrings;
  /** The message is yours: it can be edited and deleted. */
  own: boolean;
  /** You moderate the room: you can delete anyone's message. */
  moderator?: boolean;
  /** `tabindex` of the buttons: -1 unless the actions were opened (the log is one tab stop). */
  tab: number;
  _onReply: () => void;
  _onReact: () => void;
  /** Absent where the text cannot be edited here (a call's line, a message this device cannot read). */
  _onEdit?: (() => void) | undefined;
  _onDelete: () => void;
  /** Report someone else's message to the room's hosts. */
  _onReport?: () => void;
  /** Opens the message's thread with its composer. */
  _onThread: () => void;
  /** A feature's own action, drawn last (a moderator's "Pin", from the pins chunk). */
  _more?: unknown;
}

/**
 * Reply, react; for your own messages edit and delete, for others' report (and delete, for
 * moderators); then reply in thread, and a feature's own action (`_more`). Shown on hover, on focus, and when opened with Enter.
 */
export function renderMessageActions(view: MessageActionsView): TemplateResult {
  const { strings, tab } = view;
  const button = (label: string, d: string, onClick: () => void, name: string) =>
    html`<button type="button" class=${name} tabindex=${tab} aria-label=${label} title=${label} @click=${onClick}>${icon(d)}</button>`;
  return html`<div class="actions" role="group" aria-label=${strings.actionsLabel}>
    ${button(strings.reply, REPLY, view._onReply, 'act-reply')}${button(strings.react, SMILE, view._onReact, 'act-react')}
    ${view.own && view._onEdit ? button(strings.edit, PENCIL, view._onEdit, 'act-edit') : nothing}
    ${view.own || view.moderator ? button(strings.delete, TRASH, view._onDelete, 'act-delete') : nothing}
    ${!view.own && view._onReport ? button(strings.report, FLAG, view._onReport, 'act-report') : nothing}
    ${button(strings.replyInThread, THREAD, view._onThread, 'act-thread')}${view._more}
  </div>`;
}
