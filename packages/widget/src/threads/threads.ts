// The threads chunk (chat-room.threads.js): the panel of one thread beside or over the log, with
// its replies and their files, older pages, your pending replies and its own composer (`@` people,
// `/` commands, files). Loaded the first time a thread opens.
import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { ChatError, ChatRoom, ChatThread, Message, OutboxEntry } from '@chat/client';
import { addStyles } from '../add-styles.js';
import { formatsFor } from '../formats.js';
import { errorText } from '../i18n/error-text.js';
import type { ChatStrings } from '../i18n/strings.js';
import type { LazyPartHost } from '../lazy-part.js';
import { attachButtons, pasteFiles, type FileTarget } from '../parts/attach.js';
import { renderAttachments, type FileShow } from '../parts/attachments.js';
import { composerLine } from '../parts/composer-line.js';
import { CLOSE, icon } from '../parts/icons.js';
import type { PickerSlot } from '../pickers/loader.js';
import { UploadSlot } from '../uploads/loader.js';
import { threadStrings, type ThreadStrings } from './thread-strings.js';
import { threadStyles } from './thread-styles.js';
import { shownName } from '../parts/shown-name.js';

/** What the thread panel reads of `<chat-room>`. */
export interface ThreadHost {
  /** The element: where to draw and find focus, a new render, and whether people may send files (its `uploads`). */
  element: ReactiveControllerHost & HTMLElement & { readonly renderRoot: ParentNode; readonly uploads?: string | undefined };
  room(): ChatRoom | undefined;
  strings(): ChatStrings;
  lang(): string;
  /** Fires `chat-error`, and shows it in the banner unless `line` is false. */
  fail(error: ChatError, line?: boolean): void;
  /** The thread composer's `@` and `/` suggestions (lists of its own, as the room composer's). */
  picker: PickerSlot;
  /** How files are shown: as the log shows them. */
  _files: FileShow;
  /** Where the thread composer's files chunk (chat-room.uploads.js, the room composer's) reports its loading. */
  _part: LazyPartHost;
}

/** The panel of one `<chat-room>`. */
export interface ThreadUi {
  /**
   * Opens the thread of the message `parentId`; `opener` (what had focus) gets it back when it
   * closes. With `found` (a reply's id, a search result), that reply is scrolled to, marked and
   * focused, older pages loaded until it is; else focus goes to the thread's text box.
   */
  open(parentId: string, opener: Element | null, found?: string): void;
  /** The panel; `closed` (the room's composer is closed: the device was removed, the room ended...): its composer too. */
  render(closed: boolean): TemplateResult | typeof nothing;
  /** Where files dropped at `event` go: the thread composer's tray when they are over the open panel. */
  dropTarget(event: DragEvent): FileTarget | undefined;
}

/** The thread panel of `host`. */
export function createThreadUi(host: ThreadHost): ThreadUi {
  addStyles(host.element, threadStyles);
  return new ThreadPanel(host);
}

/**
 * One thread open at a time: opening moves focus to its text box and says so on its status line;
 * Escape or the close button closes it, with focus back where it came from. New replies are
 * announced by its log (`role="log"`), as the room's are.
 */
class ThreadPanel implements ThreadUi {
  readonly #host: ThreadHost;
  #thread: ChatThread | undefined;
  #room: ChatRoom | undefined;
  #opener: HTMLElement | undefined;
  #offs: Array<() => void> = [];
  /** The status line: which thread opened. */
  #said = '';
  /** The private answer of the last command run in the thread (shown to this user only). */
  #answer = '';
  /** The reply a search went to: marked, and focusable. */
  #found: string | undefined;
  /** The files of the next reply (the thread composer's own, as the room composer has its own). */
  readonly #uploads: UploadSlot;
  /** Whether the composer was closed at the last render (as the room's). */
  #closed = false;

  constructor(host: ThreadHost) {
    this.#host = host;
    // A file the server refuses says why in the tray, not in the banner (as in the room composer).
    const view = {
      room: () => this.#room,
      fail: (error: ChatError) => host.fail(error, false),
      // A recording is a reply in the thread open when it started.
      threadOf: () => this.#thread?.parentId,
    };
    this.#uploads = new UploadSlot(host.element, view, host._part);
  }

  /** The thread composer's files, when the widget lets people send files. */
  #files(): UploadSlot | undefined {
    return this.#host.element.uploads == null ? undefined : this.#uploads;
  }

  open(parentId: string, opener: Element | null, found?: string): void {
    const room = this.#host.room();
    if (!room) return;
    if (this.#thread?.parentId !== parentId || this.#room !== room) {
      this.#stop();
      const thread = room.thread(parentId);
      this.#thread = thread;
      this.#room = room;
      this.#opener = opener instanceof HTMLElement ? opener : undefined;
      const update = () => this.#host.element.requestUpdate();
      this.#offs = [
        // A live reply is counted unread after its `message` (then `updated`): read it then.
        thread.on('updated', () => (update(), this.#read(thread))),
        thread.on('message', () => {
          void this.#afterRender(() => this.#toEnd());
          this.#read(thread);
        }),
        thread.on('error', (error) => this.#host.fail(error)),
      ];
      const parent = thread.parent;
      this.#said = parent ? this.#strings().threadOpened(shownName(parent.user, this.#host.strings())) : this.#strings().threadTitle;
      void thread.ready().then(
        () => {
          this.#read(thread);
          // Going to a reply found, the log scrolls there instead (#reveal).
          return found === undefined ? this.#afterRender(() => this.#toEnd()) : undefined;
        },
        () => undefined,
      );
    }
    const shown = this.#thread;
    if (found !== undefined && shown) void this.#reveal(shown, found);
    else void this.#afterRender(() => this.#focusInput());
  }

  /** Goes to the reply `id` (loading older pages until it is loaded): scrolled to the middle of the log, marked and focused. */
  async #reveal(thread: ChatThread, id: string): Promise<void> {
    this.#found = id;
    const held = () => thread.messages.some((m) => m.id === id);
    try {
      await thread.ready();
      while (!held() && thread.hasMoreHistory) await thread.history();
    } catch (error) {
      return this.#host.fail(error as ChatError);
    }
    if (this.#thread !== thread || this.#found !== id) return;
    await this.#afterRender(() => {
      const log = this.#find('.thread-log');
      const item = Array.from(log?.querySelectorAll<HTMLElement>('li[data-id]') ?? []).find((li) => li.dataset['id'] === id);
      // A reply gone meanwhile (removed by retention): the thread still opened, its text box has focus.
      if (!log || !item) return this.#focusInput();
      const [box, at] = [log.getBoundingClientRect(), item.getBoundingClientRect()];
      log.scrollTop += at.top - box.top - (box.height - at.height) / 2;
      item.focus({ preventScroll: true });
    });
  }

  /** The replies are on screen: the thread is read up to the newest (on every device of the reader). */
  #read(thread: ChatThread): void {
    if (thread.unread === 0 || document.visibilityState === 'hidden') return;
    // A mark that fails (offline) is made again with the next reply shown or at the next opening.
    thread.markRead().catch(() => undefined);
  }

  render(closed: boolean): TemplateResult | typeof nothing {
    const thread = this.#thread;
    this.#closed = closed;
    if (!thread) return nothing;
    // Another room is shown (or the widget left it): the panel goes with the room it belonged to.
    if (this.#room !== this.#host.room()) {
      this.#stop();
      return nothing;
    }
    const strings = this.#host.strings();
    const own = this.#strings();
    const parent = thread.parent;
    const count = thread.summary?.replyCount ?? 0;
    const outbox = thread.outbox;
    const picker = this.#host.picker;
    const open = picker.open;
    const uploads = closed ? undefined : this.#files();
    const keydown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      event.stopPropagation();
      this.#close();
    };
    return html`<section class="thread" part="thread" role="region" aria-labelledby="thread-title" @keydown=${keydown}>
      <div class="thread-head">
        <h3 id="thread-title">${own.threadTitle}${count > 0 ? html` · ${strings.replyCount(count)}` : nothing}</h3>
        <button
          type="button"
          class="icon close-thread"
          aria-label=${own.closeThread}
          title=${own.closeThread}
          @click=${() => this.#close()}
        >
          ${icon(CLOSE)}
        </button>
      </div>
      ${parent ? html`<div class="thread-parent">${this.#item(parent, strings)}</div>` : nothing}
      <div class="thread-log" role="log" aria-live="polite" aria-relevant="additions" aria-label=${own.threadReplies} tabindex="0">
        ${
          thread.hasMoreHistory
            ? html`<button
                type="button"
                class="older"
                @click=${() => void thread.history().catch((error: ChatError) => this.#host.fail(error))}
              >
                ${own.olderReplies}
              </button>`
            : nothing
        }
        ${
          thread.messages.length > 0 || outbox.length > 0
            ? html`<ul>
                ${repeat(
                  thread.messages,
                  (m) => m.id,
                  (m) =>
                    html`<li
                      data-id=${m.id}
                      class=${m.id === this.#found ? 'found' : nothing}
                      tabindex=${m.id === this.#found ? '-1' : nothing}
                    >
                      ${this.#item(m, strings)}
                    </li>`,
                )}${repeat(
                  outbox,
                  (e) => e.clientId,
                  (e) => this.#pending(e, strings),
                )}
              </ul>`
            : thread.loaded
              ? html`<p class="notice">${closed ? own.noRepliesClosed : own.noReplies}</p>`
              : nothing
        }
      </div>
      ${this.#answer ? html`<p class="notice command-reply" part="command-reply"><small>${strings.onlyYou}</small> ${this.#answer}</p>` : nothing}
      <p class="visually-hidden" role="status">${this.#said}</p>
      <div class="composer">
        ${picker.render(strings)}${uploads ? uploads.render(strings) : nothing}
        <form class="thread-composer" @submit=${this.#submit}>
          ${uploads ? attachButtons(uploads, strings, closed) : nothing}
          <textarea
            id="thread-input"
            rows="1"
            aria-label=${own.threadComposer}
            placeholder=${own.threadComposer}
            aria-autocomplete="list"
            aria-controls=${open ? `${open.list}s` : nothing}
            aria-activedescendant=${open ? `${open.list}-${open.active}` : nothing}
            @keydown=${this.#enter}
            @input=${this.#input}
            ?disabled=${closed}
            @paste=${pasteFiles(uploads)}
            @blur=${() => picker.close()}
          ></textarea>
          <button type="submit" class="primary" ?disabled=${closed}>${strings.send}</button>
        </form>
      </div>
    </section>`;
  }

  dropTarget(event: DragEvent): FileTarget | undefined {
    const panel = this.#thread && !this.#closed ? this.#host.element.renderRoot.querySelector('[part=thread]') : null;
    if (!panel) return undefined;
    // Over the panel: in its tree, or under the point (the room's drop notice covers the panel while files are dragged).
    const box = panel.getBoundingClientRect();
    const over = event.clientX >= box.left && event.clientX < box.right && event.clientY >= box.top && event.clientY < box.bottom;
    return over || event.composedPath().includes(panel) ? this.#files() : undefined;
  }

  /** A message of the thread (the parent, or a reply): who, when, the text (as text), and its files as the log shows them. */
  #item(m: Message, strings: ChatStrings): TemplateResult {
    const self = this.#room?.self?.id;
    const time = new Date(m.createdAt);
    return html`<div class="by">
        <b>${m.user.id === self ? strings.you : shownName(m.user, strings)}</b>
        <time datetime=${m.createdAt}
          >${Number.isNaN(time.getTime()) ? '' : time.toLocaleTimeString(this.#host.lang(), { timeStyle: 'short' })}</time
        >
      </div>
      <div class="said">${m.deletedAt === undefined ? m.text : strings.deleted}</div>
      ${m.deletedAt === undefined ? this.#attachments(m.attachments, strings) : nothing}`;
  }

  #attachments(attachments: OutboxEntry['attachments'], strings: ChatStrings): TemplateResult | typeof nothing {
    return renderAttachments(attachments, { strings, lang: formatsFor(this.#host.lang()).lang, tab: 0, _files: this.#host._files });
  }

  /** A reply of yours not stored yet: "Sending…", or why it failed with Retry and Discard. */
  #pending(entry: OutboxEntry, strings: ChatStrings): TemplateResult {
    const room = this.#room;
    return html`<li class="own ${entry.status}">
      <div class="said">${entry.text}</div>
      ${this.#attachments(entry.attachments, strings)}
      ${
        entry.status === 'failed'
          ? html`<div class="status failed" role="alert">
              ${entry.error ? errorText(strings, entry.error) : strings.failed}
              <button type="button" @click=${() => void room?.retry(entry.clientId).catch((error: ChatError) => this.#host.fail(error))}>
                ${strings.retry}
              </button>
              <button type="button" @click=${() => room?.discard(entry.clientId)}>${strings.discard}</button>
            </div>`
          : html`<div class="pending">${strings.sending}</div>`
      }
    </li>`;
  }

  // An open list takes its keys first (arrows, Enter or Tab to choose, Escape to close it, not the thread).
  #enter = (event: KeyboardEvent): void => {
    const box = event.target as HTMLTextAreaElement;
    if (this.#host.picker.keydown(event, box) || event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    box.form?.requestSubmit();
  };

  /** After each input: the room's people matching the `@name` typed, or its commands matching the `/name`, as the room composer offers them. */
  #input = (event: Event): void => {
    const room = this.#room;
    this.#host.picker.update(event.target as HTMLTextAreaElement, {
      people: room?.members ?? [],
      selfId: room?.self?.id,
      commands: room?.commands ?? [],
    });
  };

  #submit = (event: SubmitEvent): void => {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).querySelector('textarea');
    const text = input?.value.trim() ?? '';
    const thread = this.#thread;
    const uploads = this.#files();
    if (!input || !thread || this.#closed) return;
    // Files still on their way: the reply waits for them (the status line says so).
    if (uploads?.busy) {
      this.#said = this.#host.strings().waitForUploads;
      return this.#host.element.requestUpdate();
    }
    if (!text && !uploads?.ready) return;
    input.value = '';
    this.#answer = '';
    const mentions = this.#host.picker.take(text);
    const line = composerLine(text);
    // A slash command runs in the thread: what it posts arrives as replies, its private answer shows under them.
    if ('command' in line) this.#command(thread, line.command);
    else {
      const attachments = uploads?.take() ?? [];
      const reply = { text: line.message, ...(attachments.length > 0 && { attachments }), ...(mentions.length > 0 && { mentions }) };
      thread.send(reply).catch((error: ChatError) => this.#host.fail(error));
    }
    this.#host.element.requestUpdate();
    void this.#afterRender(() => this.#toEnd());
  };

  #command(thread: ChatThread, line: string): void {
    thread.runCommand(line).then(
      ({ reply }) => {
        if (reply === undefined || this.#thread !== thread) return;
        this.#answer = reply;
        this.#said = reply;
        void this.#afterRender(() => this.#toEnd());
      },
      (error: ChatError) => this.#host.fail(error),
    );
  }

  #close(): void {
    const thread = this.#thread;
    const opener = this.#opener;
    this.#stop();
    this.#host.element.requestUpdate();
    void this.#afterRender(() => {
      // The button that opened it (the reply count), or its message (a message's actions hide once it lost focus), or the room's text box.
      if (opener?.isConnected && !opener.closest('.actions')) return opener.focus();
      const article = Array.from(this.#host.element.renderRoot.querySelectorAll<HTMLElement>('[role=article]')).find(
        (a) => a.dataset['id'] === thread?.parentId,
      );
      (article ?? this.#find('#input'))?.focus();
    });
  }

  #stop(): void {
    for (const off of this.#offs.splice(0)) off();
    this.#thread?.close();
    this.#thread = this.#room = this.#opener = undefined;
    this.#said = this.#answer = '';
    this.#found = undefined;
    this.#host.picker.close();
    this.#uploads.clear();
  }

  #focusInput(): void {
    this.#find<HTMLTextAreaElement>('#thread-input')?.focus();
  }

  #toEnd(): void {
    const log = this.#find('.thread-log');
    if (log) log.scrollTop = log.scrollHeight;
  }

  async #afterRender(action: () => void): Promise<void> {
    this.#host.element.requestUpdate();
    await this.#host.element.updateComplete;
    action();
  }

  #find<E extends HTMLElement>(selector: string): E | null {
    return this.#host.element.renderRoot.querySelector<E>(selector);
  }

  #strings(): ThreadStrings {
    return threadStrings(this.#host.strings());
  }
}
