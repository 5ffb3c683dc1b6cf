import { html, nothing, type TemplateResult } from 'lit';

/**
 * A suggestion list under the composer's text box (the WAI-ARIA combobox pattern on a multi-line
 * text box: the text box keeps focus and points at the option with `aria-activedescendant`; a
 * `textarea` cannot take the combobox role itself). Subclasses say what is offered and what a
 * choice puts in the text; the keys and the list are the same for all of them.
 */
export abstract class ComposerPicker<T> {
  /** What is offered now; nothing when closed. */
  options: T[] = [];
  /** Index of the highlighted option. */
  active = 0;
  protected readonly changed: () => void;

  constructor(changed: () => void) {
    this.changed = changed;
  }

  get open(): boolean {
    return this.options.length > 0;
  }

  /** Puts option `index` in the text box. */
  abstract choose(box: HTMLTextAreaElement, index: number): void;

  /** Offers `options` (the highlight back on the first), unless nothing is offered and nothing was. */
  protected offer(options: T[]): boolean {
    if (options.length === 0 && !this.open) return false;
    this.options = options;
    this.active = 0;
    this.changed();
    return true;
  }

  /** Arrow keys move, Enter or Tab choose, Escape closes: true when the key was the picker's. */
  keydown(event: KeyboardEvent, box: HTMLTextAreaElement): boolean {
    if (!this.open || event.isComposing) return false;
    const n = this.options.length;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      this.active = (this.active + (event.key === 'ArrowDown' ? 1 : n - 1)) % n;
      this.changed();
    } else if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey) {
      this.choose(box, this.active);
    } else if (event.key === 'Escape') {
      this.close();
    } else return false;
    event.preventDefault();
    event.stopPropagation();
    return true;
  }

  close(): void {
    if (!this.open) return;
    this.options = [];
    this.changed();
  }

  /** The list above the text box (next to the composer's `textarea`): its `id` (options `${optionId}-${i}`), `class`, label, and each option's content. */
  protected list(
    id: string,
    optionId: string,
    className: string,
    label: string,
    item: (option: T) => unknown,
  ): TemplateResult | typeof nothing {
    if (!this.open) return nothing;
    const pick = (event: Event, i: number) => {
      const input = (event.currentTarget as Element).closest('.composer')?.querySelector('textarea');
      if (input) this.choose(input, i);
    };
    return html`<ul id=${id} class=${className} role="listbox" aria-label=${label}>
      ${this.options.map(
        (option, i) =>
          html`<li
            id=${`${optionId}-${i}`}
            role="option"
            aria-selected=${String(i === this.active)}
            @mousedown=${(e: Event) => e.preventDefault()}
            @click=${(e: Event) => pick(e, i)}
          >
            ${item(option)}
          </li>`,
      )}
    </ul>`;
  }
}
