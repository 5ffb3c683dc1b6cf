// The one file of moderation/ in the main bundle: it draws the moderators' buttons and loads the
// moderation chunk (./moderation.ts) the first time one is used. In chat-room.min.js the chunk is
// chat-room.moderation.js, found next to the script (rollup.config.mjs).
import { html, nothing, type TemplateResult } from 'lit';
import type { Member } from '@chat/client';
import type { ChatStrings } from '../i18n/strings.js';
import { LazyPart, type LazyPartHost } from '../lazy-part.js';
import type { ModerationHost, ModerationUi } from './moderation.js';
import { icon, SHIELD } from '../parts/icons.js';

/**
 * Moderation's place in `<chat-room>`, for moderators (`room.canModerate`): the header button of
 * the room menu and the "Moderation" button of a person's card, drawn here; what they open comes
 * from the chunk, loaded on the first click.
 */
export class ModerationSlot {
  readonly #host: ModerationHost;
  readonly #chunk: LazyPart<ModerationUi>;

  constructor(host: ModerationHost, part: LazyPartHost) {
    this.#host = host;
    const load = () => import('./moderation.js').then((chunk) => chunk.createModerationUi(host));
    this.#chunk = new LazyPart(part, load, 'Moderation', 'chat-room.moderation.js');
  }

  get #ui(): ModerationUi | undefined {
    return this.#chunk.module;
  }

  /** Whether the user moderates the room and may act on `member` (not themself; an owner only if they are one). */
  canAct(member: Member): boolean {
    const room = this.#host.room();
    const self = room?.self;
    return !!room?.canModerate && !!self && self.id !== member.id && (member.role !== 'owner' || self.role === 'owner');
  }

  /** The header button that opens the room menu (freeze, slow mode). */
  button(strings: ChatStrings): TemplateResult {
    return html`<button
      type="button"
      class="icon moderate-room"
      aria-label=${strings.moderation}
      title=${strings.moderation}
      aria-expanded=${String(this.#ui?.menuOpen ?? false)}
      aria-controls="moderation"
      @click=${() => this.#with((ui) => ui.toggleMenu())}
    >
      ${icon(SHIELD)}
    </button>`;
  }

  /** In a person's card: "Moderation" (a disclosure), and the actions on them once it is expanded. */
  card(member: Member, strings: ChatStrings): TemplateResult | typeof nothing {
    if (!this.canAct(member)) return nothing;
    const open = this.#ui?.card === member.id;
    return html`<button
        type="button"
        class="moderate-person"
        aria-expanded=${String(open)}
        @click=${() => this.#with((ui) => ui._toggleCard(member))}
      >
        ${strings.moderation}
      </button>
      ${open ? this.#ui?.render('card', member) : nothing}`;
  }

  /** The room menu, when open. */
  menu(): unknown {
    return this.#ui?.render('menu') ?? nothing;
  }

  /** Closes the room menu (another header panel opens). */
  _close(): void {
    this.#ui?._close();
  }

  /** Another room is shown: nothing stays open. */
  reset(): void {
    this.#ui?.reset();
  }

  #with(action: (ui: ModerationUi) => void): void {
    this.#chunk.use(action);
  }
}
