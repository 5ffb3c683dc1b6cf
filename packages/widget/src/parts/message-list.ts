import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Attachment, ChatError, Message, OutboxEntry } from '@chat/client';
import { groupMessages } from '../group-messages.js';
import { errorText } from '../i18n/error-text.js';
import type { ChatStrings } from '../i18n/strings.js';
import { linkify } from '@chat/protocol';
import { renderAttachments, type FileShow } from './attachments.js';
import { avatar } from './avatar.js';
import { inSentence, QUOTE } from './in-sentence.js';
import { renderReactions } from './reactions.js';
import { icon, REPLY, THREAD } from './icons.js';
import { badges } from './badges.js';
import type { MessageTools } from '../message-tools/message-tools.js';
import { shownName } from './shown-name.js';

/**
 * A quiet line in the list ("Ana joined", the name in a `<bdi>`), placed after the message with seq
 * `afterSeq`. A part loaded later may draw its own line, whole (`kind` `line`: the e2ee chunk's key
 * change, with its button).
 */
export interface Notice {
  id: number;
  text: string | TemplateResult;
  _afterSeq: number;
  /**
   * `gap`: messages are missing here for good; `reset`: the history started over; `new`: the
   * first unread message follows. Drawn as a break in the list. `reply`: a command's answer to
   * you alone (not stored), marked as such. `line`: `text` is the whole line.
   */
  kind?: 'gap' | 'reset' | 'new' | 'reply' | 'line';
}

/**
 * What is open on a message: its controls (opened with Enter: they are tab stops then), the
 * emoji choice, the delete question, or the editor (with why the last save failed).
 */
export interface MessageMode {
  id: string;
  kind: 'open' | 'choose' | 'confirm' | 'edit' | 'report';
  error?: ChatError;
}

/** What is open on which message, and what the controls of a message do. */
export interface MessageUi {
  /** The message that is the log's one tab stop. */
  readonly active: string | undefined;
  /** The message a search went to (marked). */
  readonly found?: string | undefined;
  readonly mode: MessageMode | undefined;
  /** What opens on a message (the emoji choice, the editor, the questions): a mode other than `open` opens once it is loaded. */
  readonly _tools?: MessageTools | undefined;
  reply(message: Message): void;
  choose(message: Message): void;
  react(message: Message, emoji: string, mine: boolean): void;
  edit(message: Message): void;
  save(message: Message, text: string): void;
  cancel(message: Message): void;
  _askDelete(message: Message): void;
  delete(message: Message): void;
  _askReport(message: Message): void;
  report(message: Message, reason: string, thanks: string): void;
  /** Shows the message `id` answers, loading older history until it is found. */
  jump(id: string): void;
  /** Opens the thread of the message. */
  thread(message: Message): void;
  /** A system line (a call's) in the widget's language, once its chunk is here; the server's English text before. */
  _line(message: Message, strings: ChatStrings): unknown;
}

/** What the list needs to render. */
export interface MessageListView {
  /** The messages drawn (the newest of the loaded ones). */
  messages: readonly Message[];
  /** Every loaded message (what replies quote, positions in the feed). */
  all: readonly Message[];
  /** Older history exists beyond the loaded messages. */
  more: boolean;
  _notices: readonly Notice[];
  outbox: readonly OutboxEntry[];
  selfId: string | undefined;
  /** You moderate the room: you can delete anyone's message. */
  moderator: boolean;
  /** A feature's own action on a message, after the others (a moderator's "Pin"). */
  _more?: ((message: Message, tab: number) => unknown) | undefined;
  /** What features draw under a message's text and files (link previews); `own`: the message is yours. */
  _extra?: ((message: Message, tab: number, own: boolean) => unknown) | undefined;
  /** Your name: where a message mentions you, `@` and it are highlighted. */
  selfName: string | undefined;
  /** Names of the users the widget knows (who reacted). */
  names: ReadonlyMap<string, string>;
  /** You reacted to the message with the emoji. */
  reacted: (message: Message, emoji: string) => boolean;
  /** Your unread replies in the thread of a message (a badge on its reply count). */
  threadUnread: (message: Message) => number;
  ui: MessageUi;
  strings: ChatStrings;
  /** The widget's language (file sizes). */
  lang: string;
  /** The page's language, given to message text when the widget's own texts are in another. */
  _textLang: string | undefined;
  _timeFormat: Intl.DateTimeFormat;
  /** The date above the messages of a day before yesterday. */
  _dayFormat: Intl.DateTimeFormat;
  /** How files are shown (the thread panel shows them the same way). */
  _files: FileShow;
  _atBeginning: boolean;
  loadingOlder: boolean;
  /** Without it (a room you are no longer in), a failed message offers Discard only. */
  _onRetry: ((clientId: string) => void) | undefined;
  _onDiscard: (clientId: string) => void;
}

/**
 * The items of the message log: a feed (WAI-ARIA feed pattern) of groups of messages, each
 * message an article, with notices between them; then your pending messages.
 */
export function renderMessageList(view: MessageListView): TemplateResult {
  const { strings } = view;
  const segments: Array<{ key: string; messages: Message[]; notices: Notice[] }> = [];
  let notices = [...view._notices].sort((a, b) => a._afterSeq - b._afterSeq);
  // Notices before the first loaded message sit at the top.
  const first = view.messages[0]?.seq ?? Infinity;
  const leading = notices.filter((n) => n._afterSeq < first);
  notices = notices.filter((n) => n._afterSeq >= first);
  let current: Message[] = [];
  for (const message of view.messages) {
    current.push(message);
    const here = notices.filter((n) => n._afterSeq === message.seq);
    if (here.length > 0) {
      segments.push({ key: `s${message.seq}`, messages: current, notices: here });
      current = [];
    }
  }
  const trailing = notices.filter((n) => !view.messages.some((m) => m.seq === n._afterSeq));
  const byId = new Map(view.all.map((m, i) => [m.id, { m, i }]));
  segments.push({ key: 'tail', messages: current, notices: trailing });
  // An empty feed is no feed (it must hold articles).
  const feed = view.messages.length > 0;
  // A line with the day above the first group of each day: "Today", "Yesterday", or the date.
  const now = new Date();
  const today = now.toDateString();
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1).toDateString();
  let lastDay = '';
  const days = new Map<string, string>();
  const grouped = segments.map((segment) => {
    const groups = groupMessages(segment.messages);
    for (const group of groups) {
      const time = Date.parse(group.messages[0]?.createdAt ?? '');
      if (group.day === lastDay || Number.isNaN(time)) continue;
      lastDay = group.day;
      days.set(group.key, group.day === today ? strings.today : group.day === yesterday ? strings.yesterday : view._dayFormat.format(time));
    }
    return { notices: segment.notices, groups };
  });
  // The first day line comes before notices from before the first loaded message (Ana joined an
  // empty room, the unread line at 0), next to the message they precede; a break in the history
  // (it started over, messages missing) stays above it, at the edge of what is there.
  const isBreak = (n: Notice) => n.kind === 'reset' || n.kind === 'gap';
  const firstKey = grouped[0]?.groups[0]?.key ?? '';
  const firstDay = days.get(firstKey);
  days.delete(firstKey);
  const files = (attachments: readonly Attachment[], tab = 0) =>
    renderAttachments(attachments, { strings, lang: view.lang, tab, _files: view._files });

  return html`
    ${view.loadingOlder ? html`<p class="notice" role="status">${strings.loadingOlder}</p>` : nothing}
    ${view._atBeginning && !view.loadingOlder ? html`<p class="notice">${view.messages.length ? strings.beginning : strings.empty}</p>` : nothing}
    <div
      role=${feed ? 'feed' : nothing}
      aria-label=${feed ? strings.messagesLabel : nothing}
      aria-busy=${feed ? String(view.loadingOlder) : nothing}
    >
      ${leading.filter(isBreak).map((n) => renderNotice(n, strings))}${firstDay ? dayLine(firstDay) : nothing}${leading
        .filter((n) => !isBreak(n))
        .map((n) => renderNotice(n, strings))}
      ${grouped.map(
        (segment) =>
          html`${repeat(
            segment.groups,
            (g) => g.key,
            (group, _, name = shownName({ id: group.userId, name: group.name }, strings)) => html`
              ${days.has(group.key) ? dayLine(days.get(group.key)) : nothing}
              <div part="message-group" class="group ${group.userId === view.selfId ? 'own' : ''}">
                ${avatar({ id: group.userId, name, avatarUrl: group.avatarUrl })}
                <div class="group-body">
                  <div class="meta">
                    <span class="name" id=${`n${group.messages[0]?.seq}`}
                      >${group.userId === view.selfId ? strings.you : name}${group.messages[0]?.user.bot ? botMark(strings) : nothing}</span
                    >
                    <time datetime=${group.messages[0]?.createdAt ?? ''}
                      >${formatTime(view._timeFormat, group.messages[0]?.createdAt)}</time
                    >
                  </div>
                  ${repeat(
                    group.messages,
                    (m) => m.id,
                    (m) => renderMessage(m, `n${group.messages[0]?.seq}`, byId, view, files),
                  )}
                </div>
              </div>
            `,
          )}${segment.notices.map((n) => renderNotice(n, strings))}`,
      )}
    </div>
    ${repeat(
      view.outbox,
      (e) => e.clientId,
      (entry) => html`
        <div part="message-group" class="group own ${entry.status}">
          <div class="group-body">
            <div part="message" class="message">${renderText(entry.text, 0, view._textLang)}${files(entry.attachments)}</div>
            ${
              entry.status === 'failed'
                ? html`<div class="status failed" role="alert">
                    ${entry.error ? errorText(strings, entry.error) : strings.failed}
                    ${
                      view._onRetry
                        ? html`<button type="button" @click=${() => view._onRetry?.(entry.clientId)}>${strings.retry}</button>`
                        : nothing
                    }
                    <button type="button" @click=${() => view._onDiscard(entry.clientId)}>${strings.discard}</button>
                  </div>`
                : html`<div class="status">${strings.sending}</div>`
            }
          </div>
        </div>
      `,
    )}
  `;
}

/** One message: an article of the log's feed, with its reply quote, text, reactions and controls. */
function renderMessage(
  m: Message,
  nameId: string,
  byId: Map<string, { m: Message; i: number }>,
  view: MessageListView,
  files: (attachments: readonly Attachment[], tab: number) => TemplateResult | typeof nothing,
): TemplateResult {
  const { ui, strings } = view;
  const tools = ui._tools;
  const mode = ui.mode?.id === m.id ? ui.mode : undefined;
  const tab = mode ? 0 : -1;
  const own = m.user.id === view.selfId;
  const deleted = m.deletedAt !== undefined;
  const editing = mode?.kind === 'edit' ? mode : undefined;
  const mine = (emoji: string) => view.reacted(m, emoji);
  const mentioned = !deleted && view.selfId !== undefined && (m.mentions?.includes(view.selfId) ?? false);
  // A message this device cannot decrypt (an encrypted room's) says so, as a deleted one does.
  const body =
    deleted || m.undecryptable
      ? html`<span class="gone" id=${`c${m.seq}`}>${deleted ? strings.deleted : strings.undecryptable}</span>`
      : m.system
        ? html`<span class="system" id=${`c${m.seq}`}>${ui._line(m, strings)}</span>`
        : editing && tools
          ? tools._edit({
              strings,
              key: m.seq,
              text: m.text,
              error: editing.error && errorText(strings, editing.error),
              _onSave: (text) => ui.save(m, text),
              _onCancel: () => ui.cancel(m),
            })
          : html`${renderText(m.text, tab, view._textLang, mentioned ? view.selfName : undefined, `c${m.seq}`)}${
              m.editedAt ? html` <span class="edited" title=${m.editedAt}>(${strings.edited})</span>` : nothing
            }${mentioned ? html`<span class="visually-hidden">${strings.mentionsYou}</span>` : nothing}`;
  return html`<div
    part="message"
    class="message ${mentioned ? 'mentioned' : ''} ${deleted ? 'deleted' : ''} ${mode ? 'open' : ''} ${editing ? 'editing' : ''} ${ui.found === m.id ? 'found' : ''}"
    role="article"
    data-id=${m.id}
    data-seq=${m.seq}
    tabindex=${ui.active === m.id ? 0 : -1}
    aria-posinset=${(byId.get(m.id)?.i ?? 0) + 1}
    aria-setsize=${view.more ? -1 : view.all.length}
    aria-labelledby="${nameId} c${m.seq}"
    aria-describedby="log-hint"
  >
    ${renderReply(m.replyTo, byId, strings, tab, ui)}${body}${deleted ? nothing : [files(m.attachments, tab), view._extra?.(m, tab, own)]}
    ${renderReactions(m, { strings, selfId: view.selfId, names: view.names, mine, tab, _onToggle: (emoji, on) => ui.react(m, emoji, on) })}
    ${
      m.thread && m.thread.replyCount > 0
        ? html`<button type="button" part="thread-count" class="thread-count" tabindex=${tab} @click=${() => ui.thread(m)}>
            ${icon(THREAD)} ${strings.replyCount(m.thread.replyCount)}${badges(view.threadUnread(m), 0, strings)}
          </button>`
        : nothing
    }
    ${
      deleted || editing || mode?.kind === 'confirm' || mode?.kind === 'report' || !tools
        ? nothing
        : tools._actions({
            strings,
            own,
            moderator: view.moderator,
            _onReport: () => ui._askReport(m),
            tab,
            _onReply: () => ui.reply(m),
            _onReact: () => ui.choose(m),
            _onEdit: m.system || m.undecryptable || m.poll || m.question ? undefined : () => ui.edit(m),
            _onDelete: () => ui._askDelete(m),
            _onThread: () => ui.thread(m),
            _more: view._more?.(m, tab),
          })
    }
    ${
      mode?.kind === 'choose' && tools
        ? tools._choice({ strings, mine, _onPick: (emoji) => ui.react(m, emoji, mine(emoji)), _onClose: () => ui.cancel(m) })
        : nothing
    }
    ${
      !tools
        ? nothing
        : mode?.kind === 'confirm'
          ? tools._confirm({ strings, key: m.seq, _onConfirm: () => ui.delete(m), _onCancel: () => ui.cancel(m) })
          : mode?.kind === 'report'
            ? tools._report({
                strings,
                key: m.seq,
                onReport: (reason, thanks) => ui.report(m, reason, thanks),
                onCancel: () => ui.cancel(m),
              })
            : nothing
    }
  </div>`;
}

// The message answered, quoted briefly (as text); a click shows it. An original that is not loaded is named only.
function renderReply(
  replyTo: string | undefined,
  byId: Map<string, { m: Message }>,
  strings: ChatStrings,
  tab: number,
  ui: MessageUi,
): TemplateResult | typeof nothing {
  if (replyTo === undefined) return nothing;
  const original = byId.get(replyTo)?.m;
  const quote = !original
    ? strings.earlierMessage
    : original.deletedAt !== undefined
      ? strings.deletedMessage
      : `${original.user.name}: ${clip(original.text)}`;
  const jump = () => ui.jump(replyTo);
  return html`<button type="button" part="reply" class="reply" tabindex=${tab} @click=${jump}>
    ${icon(REPLY)} ${inSentence(strings.replyingTo(QUOTE), quote)}
  </button>`;
}

/** Text cut to a quote's length. */
export function clip(text: string, length = 80): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

function dayLine(day: string | undefined): TemplateResult {
  return html`<p class="notice day" part="day">${day}</p>`;
}

function renderNotice(notice: Notice, strings: ChatStrings): TemplateResult | string {
  if (notice.kind === 'line') return notice.text; // a part's own line, drawn whole
  if (notice.kind === 'reply') {
    return html`<p class="notice command-reply" part="command-reply"><small>${strings.onlyYou}</small> ${notice.text}</p>`;
  }
  return html`<p class="notice ${notice.kind ? `break ${notice.kind}` : ''}" part="notice">${notice.text}</p>`;
}

/** The `BOT` mark beside a bot's name; screen readers say "(bot)". */
export function botMark(strings: ChatStrings): TemplateResult {
  return html` <span class="bot" aria-hidden="true">${strings.botMark}</span><span class="visually-hidden">${strings.botLabel}</span>`;
}

// Text is bound as text: Lit escapes it. Only http(s) URLs become links; `@you` is marked. People
// write in the page's language, which `lang` marks where the widget's own texts are in another.
function renderText(text: string, tab: number, lang: string | undefined, self?: string, id?: string): TemplateResult {
  const mark = (part: string) =>
    self ? highlight(part, `@${self}`).map((p, i) => (i % 2 ? html`<mark class="mention">${p}</mark>` : p)) : part;
  return html`<span class="text" id=${id ?? nothing} lang=${lang ?? nothing}
    >${linkify(text).map((part) =>
      part.kind === 'link'
        ? html`<a href=${part.href} target="_blank" rel="noopener noreferrer nofollow" tabindex=${tab}>${part.text}</a>`
        : mark(part.text),
    )}</span
  >`;
}

/**
 * Splits `text` around each `needle` (case-insensitive) that is not the start of a longer word
 * (`@Luis` in `@Luisa` is not Luis): odd items are the matches.
 */
export function highlight(text: string, needle: string): string[] {
  const parts: string[] = [];
  const lower = text.toLowerCase();
  const n = needle.toLowerCase();
  let last = 0;
  for (let at = lower.indexOf(n); n && at >= 0; at = lower.indexOf(n, Math.max(at + 1, last))) {
    if (WORD_CHAR.test(text.charAt(at + n.length))) continue;
    parts.push(text.slice(last, at), text.slice(at, at + n.length));
    last = at + n.length;
  }
  parts.push(text.slice(last));
  return parts;
}
const WORD_CHAR = /[\p{L}\p{M}\p{N}_]/u;

function formatTime(format: Intl.DateTimeFormat, iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : format.format(date);
}
