// The search chunk (chat-room.search.js): the panel the header's search button opens, loaded on
// the first click. It searches the conversation shown (`client.search(query, { roomId })`), lists
// what matched newest first with the matched words marked, and goes to a message chosen (the log
// loads the history back to it, then focuses it).
import { html, nothing, type TemplateResult } from 'lit';
import { ChatError, type ChatClient, type ChatRoom, type SearchResult } from '@chat/client';
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
  /** Goes to a message of the conversation shown: loads the history back to it, and focuses it. */
  jump(messageId: string): void;
}

/** The search UI of one `<chat-room>`. */
export interface SearchUi {
  readonly open: boolean;
  toggle(): void;
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
    asked++;
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
      const page = await client.search(query, { roomId, ...(before !== undefined && { before }) });
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
    host.jump(result.message.id);
  };

  const when = (iso: string) => new Intl.DateTimeFormat(host.lang(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

  return {
    get open() {
      return open && host.room()?.id === shown;
    },
    toggle: () => setOpen(!open),
    render() {
      if (open && host.room()?.id !== shown) reset();
      if (!open) return nothing;
      const s = searchStrings(host.lang(), host.strings());
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
      return html`<div
        id="search"
        class="menu search-panel"
        @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (e.stopPropagation(), setOpen(false))}
      >
        <form role="search" @submit=${submit}>
          <label for="search-q">${s.searchLabel}</label>
          <input id="search-q" name="q" type="search" enterkeyhint="search" maxlength="256" autocomplete="off" .value=${query} />
          <button type="submit" ?disabled=${state.kind === 'busy'}>${s.searchGo}</button>
        </form>
        <p id="search-status" role="status">${status}</p>
        ${
          results.length > 0
            ? html`<ul aria-labelledby="search-status">
                ${results.map((result) => renderResult(result, when, go))}
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
