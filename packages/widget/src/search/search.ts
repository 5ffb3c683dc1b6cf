// The search chunk (chat-room.search.js): the panel the header's search button opens, loaded on
// the first click. It searches the conversation shown or all of the user's (`client.search`), lists
// what matched newest first with its room and the matched words marked, and goes to a message
// chosen: its room is shown, and the history around it is loaded (`room.around`), or its thread opened.
import { html, nothing, type TemplateResult } from 'lit';
import {
  ChatError,
  type ChatClient,
  type ChatRoom,
  type Message,
  type MessageWindow,
  type RoomSummary,
  type SearchResult,
} from '@chat/client';
import type { ChatStrings } from '../i18n/strings.js';
import { addStyles } from '../add-styles.js';
import { errorText } from '../i18n/error-text.js';
import { renderResult } from './search-results.js';
import { searchStrings } from './search-strings.js';
import { searchStyles } from './search-styles.js';

/** What the search panel reads of `<chat-room>`. */
export interface SearchHost {
  element: { readonly renderRoot: ParentNode; readonly updateComplete: Promise<boolean>; requestUpdate(): void };
  client(): ChatClient | undefined;
  /** The conversation shown (what is searched). */
  room(): ChatRoom | undefined;
  strings(): ChatStrings;
  lang(): string;
  fail(error: ChatError): void;
  /** The log's messages: goes to one loaded (`jump`), focuses one drawn (`_focus`), marks the one found. */
  _messages: { found: string | undefined; jump(messageId: string): void; _focus(messageId: string, found?: boolean): void };
  /** The log's scrolling: draws a window of the history (none: the newest again). */
  _scroll: { _show(window?: MessageWindow): void };
  /** Shows another conversation. */
  _direct: { open(roomId: string): void };
  /** Opens the thread of a message (a reply: the thread it belongs to, `found`: with the reply shown and focused). */
  _threads: { open(message: Message, found?: boolean): void };
  /** The user's conversations (the server's list) and their names. */
  _conversations: {
    readonly list: readonly RoomSummary[];
    get(roomId: string): RoomSummary | undefined;
    name(summary: RoomSummary): string;
  };
}

/** Where a search looks: the conversation shown, or every conversation the user may read. */
type Scope = 'room' | 'all';

/** The search UI of one `<chat-room>`. */
export interface SearchUi {
  readonly open: boolean;
  toggle(): void;
  /** Closes the panel, keeping what was asked, without moving focus (another header panel opens). */
  _close(): void;
  render(): TemplateResult | typeof nothing;
}

/** Where a search stands: nothing asked yet, waiting for the server, answered, or refused (the sentence). */
type SearchState = { kind: 'idle' } | { kind: 'busy' } | { kind: 'done' } | { kind: 'failed'; text: string };

/** The search UI of one `<chat-room>`. */
export function createSearchUi(host: SearchHost): SearchUi {
  addStyles(host.element, searchStyles);
  let open = false;
  let query = '';
  let results: SearchResult[] = [];
  let next: string | undefined;
  let state: SearchState = { kind: 'idle' };
  /** Chosen by the user, else all conversations when there are several. */
  let scope: Scope | undefined;
  /** The conversation the panel was opened on: when another is shown, the panel closes and forgets. */
  let shown: string | undefined;
  /** Bumped by each new search and reset: an answer to an older one is dropped. */
  let asked = 0;
  const update = () => host.element.requestUpdate();
  const focus = (selector: string) =>
    void host.element.updateComplete.then(() => host.element.renderRoot.querySelector<HTMLElement>(selector)?.focus());

  const reset = () => {
    open = false;
    query = '';
    results = [];
    next = undefined;
    state = { kind: 'idle' };
    scope = undefined;
    asked++;
  };
  const where = (): Scope => scope ?? (host._conversations.list.length > 1 ? 'all' : 'room');
  const roomName = (roomId: string) => {
    const summary = host._conversations.get(roomId);
    return summary ? host._conversations.name(summary) : roomId;
  };
  /** Goes to a message the room has loaded: the newest messages are drawn again (not a window), with it marked. */
  const jump = (id: string) => {
    host._scroll._show();
    host._messages.found = id;
    host._messages.jump(id);
  };

  const setOpen = (value: boolean) => {
    open = value;
    shown = host.room()?.id;
    update();
    focus(open ? '#search-q' : '.search-toggle');
  };

  const run = async (before?: string) => {
    const client = host.client();
    const roomId = host.room()?.id;
    if (!client || roomId === undefined || query === '') return;
    const mine = ++asked;
    state = { kind: 'busy' };
    update();
    try {
      const page = await client.search(query, { ...(where() === 'room' && { roomId }), ...(before !== undefined && { before }) });
      if (mine !== asked) return;
      results = before === undefined ? page.results : [...results, ...page.results];
      next = page.next;
      state = { kind: 'done' };
    } catch (error) {
      if (mine !== asked) return;
      const chatError = error instanceof ChatError ? error : new ChatError('INTERNAL', String(error));
      state = { kind: 'failed', text: errorText(host.strings(), chatError) };
    }
    update();
  };

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('q') as HTMLInputElement;
    query = input.value.trim();
    results = [];
    next = undefined;
    void run();
  };

  const go = (result: SearchResult) => {
    open = false;
    update();
    void goTo(result.message).catch((error: unknown) =>
      host.fail(error instanceof ChatError ? error : new ChatError('INTERNAL', String(error))),
    );
  };

  // Shows the message's room (another one: once joined), then its thread (a reply kept out of the
  // room's log), the message where the log has it, or the history around it.
  const goTo = async (message: Message) => {
    const client = host.client();
    if (!client) return;
    if (host.room()?.id !== message.roomId) host._direct.open(message.roomId);
    const room = await client.join(message.roomId);
    await host.element.updateComplete;
    if (host.room() !== room) return; // the user went elsewhere meanwhile
    if (message.threadOf !== undefined && message.alsoInRoom !== true) return host._threads.open(message, true);
    if (room.messages.some((m) => m.id === message.id)) return jump(message.id);
    const window = await room.around(message.seq);
    if (host.room() !== room) return window.close();
    if (window.merged) return jump(message.id);
    host._scroll._show(window);
    host._messages._focus(message.id, true);
  };

  const when = (iso: string) => new Intl.DateTimeFormat(host.lang(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

  return {
    get open() {
      return open && host.room()?.id === shown;
    },
    toggle: () => setOpen(!open),
    _close: () => (open = false),
    render() {
      if (open && host.room()?.id !== shown) reset();
      if (!open) return nothing;
      const s = searchStrings(host.strings());
      const status =
        state.kind === 'busy'
          ? s.searching
          : state.kind === 'failed'
            ? state.text
            : state.kind === 'done'
              ? results.length === 0
                ? s.searchNone
                : s.searchFound(results.length, next !== undefined)
              : '';
      const all = where() === 'all';
      const scoped = (value: Scope, label: string) =>
        html`<label
          ><input
            type="radio"
            name="scope"
            .checked=${where() === value}
            @change=${() => ((scope = value), query !== '' && ((results = []), (next = undefined), void run()))}
          />
          ${label}</label
        >`;
      return html`<div
        id="search"
        class="menu search-panel"
        @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (e.stopPropagation(), setOpen(false))}
      >
        <form role="search" @submit=${submit}>
          <label for="search-q">${all ? s.searchAllLabel : s.searchLabel}</label>
          <input id="search-q" name="q" type="search" enterkeyhint="search" maxlength="256" autocomplete="off" .value=${query} />
          <button type="submit" ?disabled=${state.kind === 'busy'}>${s.searchGo}</button>
          <fieldset class="scope">
            <legend class="visually-hidden">${s.searchScope}</legend>
            ${scoped('room', s.searchHere)} ${scoped('all', s.searchAll)}
          </fieldset>
        </form>
        <p id="search-status" role="status">${status}</p>
        ${
          results.length > 0
            ? html`<ul aria-labelledby="search-status">
                ${results.map((result) => renderResult(result, when, go, all ? roomName(result.roomId) : undefined))}
              </ul>`
            : nothing
        }
        ${
          next !== undefined && state.kind === 'done'
            ? html`<button type="button" class="more" @click=${() => void run(next)}>${s.searchMore}</button>`
            : nothing
        }
      </div>`;
    },
  };
}
