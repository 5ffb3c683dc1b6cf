import { html, nothing, type TemplateResult } from 'lit';
import type { Message } from '@chat/client';
import type { ChatStrings } from '../i18n/strings.js';

/** The reactions of one emoji, as `Message.reactions` holds them. */
type Reaction = NonNullable<Message['reactions']>[string];

/** Most names a chip's tooltip lists; the rest are counted. */
const MAX_NAMES = 10;

/** What the reaction chips need. */
export interface ReactionsView {
  strings: ChatStrings;
  selfId: string | undefined;
  /** Names of the users the widget knows (members here, senders of loaded messages). */
  names: ReadonlyMap<string, string>;
  /** You reacted with this emoji (the SDK's `room.reactedBy`, which also knows beyond the ids listed). */
  mine: (emoji: string) => boolean;
  /** `tabindex` of the chips: -1 unless the message's controls are open (the log is one tab stop). */
  tab: number;
  /** A chip was clicked: take your reaction back (`mine`) or add it. */
  _onToggle: (emoji: string, mine: boolean) => void;
}

/** Who reacted, for the tooltip: names where known, yourself as "You", then how many more. */
export function reactedBy(reaction: Reaction, view: Pick<ReactionsView, 'strings' | 'selfId' | 'names'>): string {
  const names: string[] = [];
  for (const id of reaction.userIds) {
    const name = id === view.selfId ? view.strings.you : view.names.get(id);
    if (name !== undefined && names.length < MAX_NAMES) names.push(name);
  }
  return view.strings.reactedBy(names, Math.max(0, reaction.count - names.length));
}

/** One chip per emoji: the emoji and its count, pressed when you reacted with it; a click toggles yours. */
export function renderReactions(message: Message, view: ReactionsView): TemplateResult | typeof nothing {
  const entries = Object.entries(message.reactions ?? {}).filter(([, r]) => r.count > 0);
  if (entries.length === 0) return nothing;
  return html`<div class="reactions">
    ${entries.map(([emoji, reaction]) => {
      const mine = view.mine(emoji);
      return html`<button
        type="button"
        part="reaction"
        class="chip"
        aria-pressed=${String(mine)}
        title=${reactedBy(reaction, view)}
        tabindex=${view.tab}
        @click=${() => view._onToggle(emoji, mine)}
      >
        ${emoji} <span class="count">${reaction.count}</span>
      </button>`;
    })}
  </div>`;
}
