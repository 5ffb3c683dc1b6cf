import { html, nothing, type TemplateResult } from 'lit';
import { commandsMatching, type CommandInfo } from '@chat/client';
import type { ChatStrings } from '../i18n/strings.js';

/**
 * The composer's slash command suggestions: typing `/` at the start of the text offers the
 * room's commands (name, usage, description), the same combobox pattern as the `@` picker (the
 * text box keeps focus and points at the option with `aria-activedescendant`). A chosen command
 * goes into the text as `/name `, for its arguments to follow.
 */
export class CommandPicker {
  /** The commands offered now; none when closed. */
  options: CommandInfo[] = [];
  /** Index of the highlighted option. */
  active = 0;
  readonly #changed: () => void;

  constructor(changed: () => void) {
    this.#changed = changed;
  }

  get open(): boolean {
    return this.options.length > 0;
  }

  /** After each input: offers the commands matching the `/name` typed (the whole text, up to the caret), or closes. */
  update(box: HTMLTextAreaElement, commands: readonly CommandInfo[]): void {
    const caret = box.selectionStart;
    const typed = box.selectionStart === box.selectionEnd && caret === box.value.length ? box.value : '';
    const options = commandsMatching(commands, typed);
    if (options.length === 0 && !this.open) return;
    this.options = options;
    this.active = 0;
    this.#changed();
  }

  /** Arrow keys move, Enter or Tab choose, Escape closes: true when the key was the picker's. */
  keydown(event: KeyboardEvent, box: HTMLTextAreaElement): boolean {
    if (!this.open || event.isComposing) return false;
    const n = this.options.length;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      this.active = (this.active + (event.key === 'ArrowDown' ? 1 : n - 1)) % n;
      this.#changed();
    } else if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey) {
      this.choose(box, this.active);
    } else if (event.key === 'Escape') {
      this.close();
    } else return false;
    event.preventDefault();
    event.stopPropagation();
    return true;
  }

  /** Puts `/name ` in the text box, the caret after it. */
  choose(box: HTMLTextAreaElement, index: number): void {
    const command = this.options[index];
    if (!command) return;
    box.value = `/${command.name} `;
    box.selectionStart = box.selectionEnd = box.value.length;
    this.close();
    box.focus();
  }

  close(): void {
    if (!this.open) return;
    this.options = [];
    this.#changed();
  }

  /** The list above the text box, for the composer to show. */
  render(strings: ChatStrings): TemplateResult | typeof nothing {
    if (!this.open) return nothing;
    const pick = (event: Event, i: number) => {
      const input = (event.currentTarget as Element).closest('.composer')?.querySelector('textarea');
      if (input) this.choose(input, i);
    };
    return html`<ul id="commands" class="mentions commands" role="listbox" aria-label=${strings.commandsLabel}>
      ${this.options.map(
        (c, i) =>
          html`<li
            id=${`command-${i}`}
            role="option"
            aria-selected=${String(i === this.active)}
            @mousedown=${(e: Event) => e.preventDefault()}
            @click=${(e: Event) => pick(e, i)}
          >
            <b>${c.usage ?? `/${c.name}`}</b><small>${c.description}</small>
          </li>`,
      )}
    </ul>`;
  }
}

/**
 * What a line typed in the composer asks for: a command to run (`/name args`), or a message to
 * send; `//text` sends `/text` as a message.
 */
export function composerLine(text: string): { command: string } | { message: string } {
  if (text.startsWith('//')) return { message: text.slice(1) };
  return /^\/[A-Za-z0-9]/u.test(text) ? { command: text } : { message: text };
}
