import { html, nothing, type TemplateResult } from 'lit';
import { commandsMatching, type CommandInfo } from '@chat/client';
import type { ChatStrings } from '../i18n/strings.js';
import { ComposerPicker } from './composer-picker.js';
import { pickerStrings } from './picker-strings.js';

/**
 * The composer's slash command suggestions: typing `/` at the start of the text offers the
 * room's commands (name, usage, description), the same combobox pattern as the `@` picker (the
 * text box keeps focus and points at the option with `aria-activedescendant`). A chosen command
 * goes into the text as `/name `, for its arguments to follow.
 */
export class CommandPicker extends ComposerPicker<CommandInfo> {
  /** After each input: offers the commands matching the `/name` typed (the whole text, up to the caret), or closes. */
  update(box: HTMLTextAreaElement, commands: readonly CommandInfo[]): void {
    const caret = box.selectionStart;
    const typed = box.selectionStart === box.selectionEnd && caret === box.value.length ? box.value : '';
    this.offer(commandsMatching(commands, typed));
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

  /** The list above the text box, for the composer to show. */
  render(strings: ChatStrings): TemplateResult | typeof nothing {
    return this.list(
      'commands',
      'command',
      'mentions commands',
      pickerStrings(strings).commandsLabel,
      (c) => html`<b>${c.usage ?? `/${c.name}`}</b><small>${c.description}</small>`,
    );
  }
}
