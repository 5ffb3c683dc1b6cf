import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Attachment, Message, OutboxEntry } from '@chat/client';
import { groupMessages } from '../group-messages.js';
import type { ChatStrings } from '../i18n/strings.js';
import { isHttpUrl, linkify } from '../linkify.js';
import { avatar } from './avatar.js';

/** A quiet line in the list ("Ana joined"), placed after the message with seq `afterSeq`. */
export interface Notice {
  id: number;
  text: string;
  afterSeq: number;
  /** `gap`: messages are missing here for good; `reset`: the history started over. Drawn as a break in the list. */
  kind?: 'gap' | 'reset';
}

/** What the list needs to render. */
export interface MessageListView {
  messages: readonly Message[];
  notices: readonly Notice[];
  outbox: readonly OutboxEntry[];
  selfId: string | undefined;
  strings: ChatStrings;
  timeFormat: Intl.DateTimeFormat;
  atBeginning: boolean;
  loadingOlder: boolean;
  /** Without it (a room you are no longer in), a failed message offers Discard only. */
  onRetry: ((clientId: string) => void) | undefined;
  onDiscard: (clientId: string) => void;
}

/** The items of the message log: groups of messages, notices, then your pending messages. */
export function renderMessageList(view: MessageListView): TemplateResult {
  const { strings } = view;
  const segments: Array<{ key: string; messages: Message[]; notices: Notice[] }> = [];
  let notices = [...view.notices].sort((a, b) => a.afterSeq - b.afterSeq);
  // Notices before the first loaded message sit at the top.
  const first = view.messages[0]?.seq ?? Number.POSITIVE_INFINITY;
  const leading = notices.filter((n) => n.afterSeq < first);
  notices = notices.filter((n) => n.afterSeq >= first);
  let current: Message[] = [];
  for (const message of view.messages) {
    current.push(message);
    const here = notices.filter((n) => n.afterSeq === message.seq);
    if (here.length > 0) {
      segments.push({ key: `s${message.seq}`, messages: current, notices: here });
      current = [];
    }
  }
  const trailing = notices.filter((n) => !view.messages.some((m) => m.seq === n.afterSeq));
  const byId = new Map(view.messages.map((m) => [m.id, m]));
  segments.push({ key: 'tail', messages: current, notices: trailing });

  return html`
    ${view.loadingOlder ? html`<p class="notice" role="status">${strings.loadingOlder}</p>` : nothing}
    ${view.atBeginning && !view.loadingOlder ? html`<p class="notice">${view.messages.length ? strings.beginning : strings.empty}</p>` : nothing}
    ${leading.map(renderNotice)}
    ${segments.map(
      (segment) =>
        html`${repeat(
          groupMessages(segment.messages),
          (g) => g.key,
          (group) => html`
            <div part="message-group" class="group ${group.userId === view.selfId ? 'own' : ''}">
              ${avatar({ id: group.userId, name: group.name, avatarUrl: group.avatarUrl })}
              <div class="group-body">
                <div class="meta">
                  <span class="name">${group.userId === view.selfId ? strings.you : group.name}</span>
                  <time datetime=${group.messages[0]?.createdAt ?? ''}>${formatTime(view.timeFormat, group.messages[0]?.createdAt)}</time>
                </div>
                ${repeat(
                  group.messages,
                  (m) => m.id,
                  (m) =>
                    html`<div part="message" class="message" data-seq=${m.seq}>
                      ${renderReply(m.replyTo, byId, strings)}${renderText(m.text)}${renderAttachments(m.attachments, strings)}
                    </div>`,
                )}
              </div>
            </div>
          `,
        )}${segment.notices.map(renderNotice)}`,
    )}
    ${repeat(
      view.outbox,
      (e) => e.clientId,
      (entry) => html`
        <div part="message-group" class="group own ${entry.status}">
          <div class="group-body">
            <div part="message" class="message">${renderText(entry.text)}${renderAttachments(entry.attachments, strings)}</div>
            ${
              entry.status === 'failed'
                ? html`<div class="status failed" role="alert">
                    ${entry.error?.message ?? strings.failed}
                    ${
                      view.onRetry
                        ? html`<button type="button" @click=${() => view.onRetry?.(entry.clientId)}>${strings.retry}</button>`
                        : nothing
                    }
                    <button type="button" @click=${() => view.onDiscard(entry.clientId)}>${strings.discard}</button>
                  </div>`
                : html`<div class="status">${strings.sending}</div>`
            }
          </div>
        </div>
      `,
    )}
  `;
}

// The message answered, quoted briefly (as text); an original that is not loaded is named only.
function renderReply(replyTo: string | undefined, byId: Map<string, Message>, strings: ChatStrings): TemplateResult | typeof nothing {
  if (replyTo === undefined) return nothing;
  const original = byId.get(replyTo);
  const quote = original
    ? `${original.user.name}: ${original.text.length > 80 ? `${original.text.slice(0, 80)}…` : original.text}`
    : strings.earlierMessage;
  return html`<div part="reply" class="reply">↪ ${strings.replyingTo(quote)}</div>`;
}

function renderNotice(notice: Notice): TemplateResult {
  return html`<p class="notice ${notice.kind ? 'break' : ''}" part="notice">${notice.text}</p>`;
}

// Text is bound as text: Lit escapes it. Only http(s) URLs become links.
function renderText(text: string): TemplateResult {
  return html`<span class="text"
    >${linkify(text).map((part) =>
      part.kind === 'link' ? html`<a href=${part.href} target="_blank" rel="noopener noreferrer nofollow">${part.text}</a>` : part.text,
    )}</span
  >`;
}

function renderAttachments(attachments: readonly Attachment[], strings: ChatStrings): TemplateResult | typeof nothing {
  const safe = attachments.filter((a) => isHttpUrl(a.url));
  if (safe.length === 0) return nothing;
  return html`<div class="attachments">
    ${safe.map((a) =>
      a.type.startsWith('image/')
        ? html`<a class="thumb" href=${a.url} target="_blank" rel="noopener noreferrer nofollow"
            ><img src=${a.url} alt=${a.name ?? strings.attachment} loading="lazy"
          /></a>`
        : html`<a class="file" href=${a.url} target="_blank" rel="noopener noreferrer nofollow" download=${a.name ?? ''}
            >📎 ${a.name ?? strings.attachment}</a
          >`,
    )}
  </div>`;
}

function formatTime(format: Intl.DateTimeFormat, iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : format.format(date);
}
