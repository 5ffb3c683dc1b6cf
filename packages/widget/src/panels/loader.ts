// The one file of panels/ in the main bundle: the places of the header's people panel and
// notifications menu in <chat-room>. What they show (./panels.ts) is loaded the first time one of
// them opens; in chat-room.min.js the chunk is chat-room.panels.js, found next to the script
// (rollup.config.mjs).
import { html } from 'lit';
import type { ChatRoom, Member } from '@chat/client';
import type { ChatStrings } from '../i18n/strings.js';
import { LazyPart, type LazyPartHost } from '../lazy-part.js';
import type { CardActions, PanelHost, Panels } from './panels.js';

/**
 * The header's panels, drawn by their chunk once it is in. Until then an open panel is its frame
 * with its heading, busy (`aria-busy`); once the chunk is in, the panel is drawn whole, and the
 * notifications menu takes the focus on the level chosen as it does when it opens with the chunk
 * in. A panel whose chunk cannot be loaded closes again (the banner says why, `LazyPart`).
 */
export class PanelSlot {
  readonly #element: PanelHost['element'];
  readonly #chunk: LazyPart<Panels>;
  /** The panels drawn open while the chunk loads, by id: their close, and where the focus goes once drawn whole. */
  readonly #waiting = new Map<string, [close: () => void, focus?: string]>();

  constructor(host: PanelHost, part: LazyPartHost) {
    this.#element = host.element;
    const load = () => import('./panels.js').then((chunk) => chunk.createPanels(host));
    this.#chunk = new LazyPart(part, load, 'The people panel and the notifications menu', 'chat-room.panels.js');
  }

  /** The open people panel (see `Panels._people`). */
  people(
    room: ChatRoom | undefined,
    members: readonly Member[],
    strings: ChatStrings,
    when: (iso: string | undefined) => string,
    onClose: () => void,
    actions: CardActions,
  ): unknown {
    return (
      this.#chunk.module?._people(room, members, strings, when, onClose, actions) ??
      this.#wait('#members', onClose) ??
      html`<div id="members" part="members" class="members" role="region" aria-labelledby="members-title" aria-busy="true">
        <h3 id="members-title">${strings.membersLabel}</h3>
      </div>`
    );
  }

  /** The open notifications menu of `room` (see `Panels._notify`). */
  notify(room: ChatRoom, strings: ChatStrings, onClose: () => void, device: unknown): unknown {
    return (
      this.#chunk.module?._notify(room, strings, onClose, device) ??
      this.#wait('#notify', onClose, '#notify :checked') ??
      html`<fieldset id="notify" class="menu" aria-busy="true"><legend>${strings.notifications}</legend></fieldset>`
    );
  }

  /**
   * Loads the chunk for the panel `id`, drawn open while it loads. When the load ends, each panel
   * still open (not closed meanwhile) takes the focus to its `focus` once drawn whole, or closes
   * (`close`) if the chunk could not be loaded.
   */
  #wait(id: string, close: () => void, focus?: string): undefined {
    const first = this.#waiting.size === 0;
    this.#waiting.set(id, [close, focus]);
    if (!first) return;
    void this.#chunk.load().then(async (loaded) => {
      const root = this.#element.renderRoot;
      const open = [...this.#waiting].filter(([panel]) => root.querySelector(panel));
      this.#waiting.clear();
      if (!loaded) return open.forEach(([, [shut]]) => shut());
      await this.#element.updateComplete;
      for (const [, [, to]] of open) if (to) root.querySelector<HTMLElement>(to)?.focus();
    });
  }
}
