// The one file of pickers/ in the main bundle: the composer hands it every input and key, and it
// loads the suggestion lists (./pickers.ts) the first time they could offer something. In
// chat-room.min.js the chunk is chat-room.pickers.js, found next to the script (rollup.config.mjs).
import { nothing, type ReactiveControllerHost } from 'lit';
import type { CommandInfo } from '@chat/client';
import type { ChatStrings } from '../i18n/strings.js';
import { LazyPart, type LazyPartHost } from '../lazy-part.js';
import type { MentionCandidate } from './mention-picker.js';
import type { Pickers } from './pickers.js';

/** What the suggestions are drawn from, after each input. */
export interface PickerInput {
  people: readonly MentionCandidate[];
  selfId: string | undefined;
  commands: readonly CommandInfo[];
}

/** The composer's `@` and `/` suggestions, before and after their chunk has loaded. */
export class PickerSlot {
  readonly #chunk: LazyPart<Pickers>;

  constructor(element: ReactiveControllerHost & HTMLElement, part: LazyPartHost) {
    const load = () => import('./pickers.js').then((chunk) => chunk.createPickers(element, () => element.requestUpdate()));
    this.#chunk = new LazyPart(part, load, 'The suggestions', 'chat-room.pickers.js');
  }

  /** After each input: offers what matches, or closes. */
  update(box: HTMLTextAreaElement, input: PickerInput): void {
    const pickers = this.#chunk.module;
    if (pickers) {
      pickers.mention.update(box, input.people, input.selfId);
      pickers.commands.update(box, input.commands);
    } else if (box.value.includes('@') || box.value.startsWith('/')) {
      // Offered once loaded, if the text box still has focus (the text is read again then).
      this.#chunk.use(() => {
        if ((box.getRootNode() as ShadowRoot | Document).activeElement === box) this.update(box, input);
      });
    }
  }

  /** A key for an open list (arrows, Enter, Tab, Escape): true when it was the list's. */
  keydown(event: KeyboardEvent, box: HTMLTextAreaElement): boolean {
    const pickers = this.#chunk.module;
    return !!pickers && (pickers.mention.keydown(event, box) || pickers.commands.keydown(event, box));
  }

  /** The ids of the people chosen whose `@Name` is still in `text`; both lists close and start afresh. */
  take(text: string): string[] {
    this.#chunk.module?.commands.close();
    return this.#chunk.module?.mention.take(text) ?? [];
  }

  close(): void {
    this.#chunk.module?.mention.close();
    this.#chunk.module?.commands.close();
  }

  /** Which list is open, if any, and its highlighted option (for the text box's ARIA). */
  get open(): { list: 'mention' | 'command'; active: number } | undefined {
    const pickers = this.#chunk.module;
    if (pickers?.mention.open) return { list: 'mention', active: pickers.mention.active };
    if (pickers?.commands.open) return { list: 'command', active: pickers.commands.active };
    return undefined;
  }

  render(strings: ChatStrings): unknown {
    const pickers = this.#chunk.module;
    return pickers ? [pickers.mention.render(strings), pickers.commands.render(strings)] : nothing;
  }
}
