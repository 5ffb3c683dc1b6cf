// The one file of search/ in the main bundle: the header's search button, and the search chunk
// (./search.ts) loaded on its first click. In chat-room.min.js the chunk is chat-room.search.js,
// found next to the script (rollup.config.mjs).
import { html, nothing, type TemplateResult } from 'lit';
import type { ChatStrings } from '../i18n/strings.js';
import { LazyPart, type LazyPartHost } from '../lazy-part.js';
import { icon, SEARCH } from '../parts/icons.js';
import type { SearchHost, SearchUi } from './search.js';

/** Search's place in `<chat-room>`: the header's button, and the panel once the chunk is in. */
export class SearchSlot {
  readonly #chunk: LazyPart<SearchUi>;

  constructor(host: SearchHost, part: LazyPartHost) {
    this.#chunk = new LazyPart(part, () => import('./search.js').then((m) => m.createSearchUi(host)), 'Search', 'chat-room.search.js');
  }

  /** The header button that opens and closes the panel. */
  button(strings: ChatStrings): TemplateResult {
    return html`<button
      type="button"
      class="icon search-toggle"
      aria-label=${strings.searchMessages}
      title=${strings.searchMessages}
      aria-expanded=${String(this.#chunk.module?.open ?? false)}
      aria-controls="search"
      @click=${() => this.#chunk.use((ui) => ui.toggle())}
    >
      ${icon(SEARCH)}
    </button>`;
  }

  /** Closes the panel (another header panel opens). */
  _close(): void {
    this.#chunk.module?._close();
  }

  /** The panel, when open. */
  panel(): unknown {
    return this.#chunk.module?.render() ?? nothing;
  }
}
