import { html, nothing, type TemplateResult } from 'lit';
import type { ChatStrings } from '../i18n/strings.js';
import { avatar } from '../parts/avatar.js';
import { ComposerPicker } from './composer-picker.js';
import { pickerStrings } from './picker-strings.js';

/** Someone the composer can mention. */
export interface MentionCandidate {
  id: string;
  name: string;
  avatarUrl?: string | undefined;
}

/** Most people offered at once. */
const MAX_OPTIONS = 6;

/** The `@name` being typed just before the caret: where its `@` is and what follows it. */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | undefined {
  const before = text.slice(0, caret);
  const start = before.lastIndexOf('@');
  if (start < 0 || (start > 0 && !/\s/u.test(before.charAt(start - 1)))) return undefined;
  const query = before.slice(start + 1);
  return query.includes('\n') ? undefined : { start, query };
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * The people whose name, or a word of it, starts with `query` (ignoring case and accents), by
 * name; `selfId` left out; at most `max`.
 */
export function filterMembers<T extends MentionCandidate>(people: readonly T[], query: string, selfId?: string, max = MAX_OPTIONS): T[] {
  const q = fold(query);
  return people
    .filter((p) => p.id !== selfId && ` ${fold(p.name)}`.includes(` ${q}`))
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, max);
}

/**
 * The composer's `@` suggestions ({@link ComposerPicker}): chosen names go into the text as
 * `@Name`, their ids into the message's `mentions`.
 */
export class MentionPicker extends ComposerPicker<MentionCandidate> {
  #start = 0;
  #chosen = new Map<string, string>();

  /** After each input: offers the people matching the `@name` before the caret, or closes. */
  update(box: HTMLTextAreaElement, people: readonly MentionCandidate[], selfId: string | undefined): void {
    const typed = box.selectionStart === box.selectionEnd ? mentionQuery(box.value, box.selectionStart) : undefined;
    const options = typed ? filterMembers(people, typed.query, selfId) : [];
    if (options.length > 0 || this.open) this.#start = typed?.start ?? 0;
    this.offer(options);
  }

  /** Puts `@Name ` in place of what was typed after `@`, and remembers the person's id. */
  choose(box: HTMLTextAreaElement, index: number): void {
    const person = this.options[index];
    if (!person) return;
    const caret = box.selectionStart;
    const insert = `@${person.name} `;
    box.value = box.value.slice(0, this.#start) + insert + box.value.slice(caret);
    box.selectionStart = box.selectionEnd = this.#start + insert.length;
    this.#chosen.set(person.name, person.id);
    this.close();
    box.focus();
  }

  /** The ids of the people chosen whose `@Name` is still in `text`; the picker starts afresh. */
  take(text: string): string[] {
    const ids = [...this.#chosen].filter(([name]) => text.includes(`@${name}`)).map(([, id]) => id);
    this.#chosen.clear();
    this.close();
    return [...new Set(ids)];
  }

  /** The list above the text box, for the composer to show (next to its `textarea`). */
  render(strings: ChatStrings): TemplateResult | typeof nothing {
    return this.list(
      'mentions',
      'mention',
      'mentions',
      pickerStrings(strings).mentionsLabel,
      (p) => html`${avatar(p)}<span>${p.name}</span>`,
    );
  }
}
