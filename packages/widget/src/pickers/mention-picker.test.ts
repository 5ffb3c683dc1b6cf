// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { en } from '../i18n/en.js';
import { filterMembers, mentionQuery, MentionPicker } from './mention-picker.js';

const people = [
  { id: 'u1', name: 'Ana Ruiz' },
  { id: 'u2', name: 'Luis' },
  { id: 'u3', name: 'Álvaro' },
  { id: 'u4', name: 'Lucía Pérez' },
  { id: 'me', name: 'Eva' },
  { id: 'u5', name: 'María Ana' },
];

describe('mentionQuery: the @name being typed before the caret', () => {
  it('finds the @ at the start of the text or after a blank, and what follows it', () => {
    expect(mentionQuery('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQuery('hi @lu', 6)).toEqual({ start: 3, query: 'lu' });
    expect(mentionQuery('hi @Ana R', 9)).toEqual({ start: 3, query: 'Ana R' });
    expect(mentionQuery('line\n@an', 8)).toEqual({ start: 5, query: 'an' });
    // Only up to the caret: the text after it does not count.
    expect(mentionQuery('hi @lu and more', 6)).toEqual({ start: 3, query: 'lu' });
  });

  it('is nothing in an e-mail address or across a line break', () => {
    expect(mentionQuery('ana@example.com', 15)).toBeUndefined();
    expect(mentionQuery('hi there', 8)).toBeUndefined();
    expect(mentionQuery('@ana\nmore', 9)).toBeUndefined();
  });
});

describe('filterMembers: who @ offers', () => {
  it('matches the start of the name or of a word, ignoring case and accents, by name', () => {
    expect(filterMembers(people, 'lu').map((p) => p.name)).toEqual(['Lucía Pérez', 'Luis']);
    expect(filterMembers(people, 'alv').map((p) => p.name)).toEqual(['Álvaro']);
    expect(filterMembers(people, 'PER').map((p) => p.name)).toEqual(['Lucía Pérez']);
    expect(filterMembers(people, 'ana').map((p) => p.name)).toEqual(['Ana Ruiz', 'María Ana']);
    expect(filterMembers(people, 'ana r').map((p) => p.name)).toEqual(['Ana Ruiz']);
    expect(filterMembers(people, 'zz')).toEqual([]);
  });

  it('leaves yourself out and offers at most six', () => {
    expect(filterMembers(people, 'e', 'me').map((p) => p.id)).not.toContain('me');
    expect(filterMembers(people, '', 'me')).toHaveLength(5);
    const many = Array.from({ length: 20 }, (_, i) => ({ id: `p${i}`, name: `Pat ${i}` }));
    expect(filterMembers(many, 'pa')).toHaveLength(6);
  });
});

describe('MentionPicker in a text box (jsdom)', () => {
  const setup = (text: string) => {
    const box = document.createElement('textarea');
    document.body.append(box);
    box.value = text;
    box.selectionStart = box.selectionEnd = text.length;
    const changed = vi.fn();
    const picker = new MentionPicker(changed);
    picker.update(box, people, 'me');
    return { box, picker, changed };
  };
  const key = (k: string, init: KeyboardEventInit = {}) => new KeyboardEvent('keydown', { key: k, cancelable: true, ...init });

  it('offers the matches, moves with the arrows (wrapping), and Enter puts @Name in the text', () => {
    const { box, picker, changed } = setup('hello @lu');
    expect(picker.open).toBe(true);
    expect(picker.options.map((p) => p.name)).toEqual(['Lucía Pérez', 'Luis']);
    expect(changed).toHaveBeenCalled();
    const down = key('ArrowDown');
    expect(picker.keydown(down, box)).toBe(true);
    expect(down.defaultPrevented).toBe(true);
    expect(picker.active).toBe(1);
    picker.keydown(key('ArrowDown'), box);
    expect(picker.active).toBe(0);
    picker.keydown(key('ArrowUp'), box);
    expect(picker.active).toBe(1);
    const enter = key('Enter');
    expect(picker.keydown(enter, box)).toBe(true);
    expect(enter.defaultPrevented).toBe(true); // Enter chose: it does not send
    expect(box.value).toBe('hello @Luis ');
    expect(box.selectionStart).toBe('hello @Luis '.length);
    expect(picker.open).toBe(false);
    expect(picker.take('hello @Luis ')).toEqual(['u2']);
    expect(picker.take('again @Luis')).toEqual([]); // taken once: the next message starts afresh
  });

  it('Tab chooses too; Escape closes without choosing; keys are not its own once closed', () => {
    const { box, picker } = setup('@ana');
    picker.keydown(key('Tab'), box);
    expect(box.value).toBe('@Ana Ruiz ');
    box.value += '@ma';
    box.selectionStart = box.selectionEnd = box.value.length;
    picker.update(box, people, 'me');
    expect(picker.options.map((p) => p.name)).toEqual(['María Ana']);
    expect(picker.keydown(key('Escape'), box)).toBe(true);
    expect(picker.open).toBe(false);
    expect(box.value).toBe('@Ana Ruiz @ma');
    expect(picker.keydown(key('Enter'), box)).toBe(false);
    expect(picker.keydown(key('Tab', { shiftKey: true }), box)).toBe(false);
  });

  it('keeps only the ids whose @Name is still in the text, and closes when nothing matches', () => {
    const { box, picker } = setup('@lu');
    picker.choose(box, 1);
    box.value += 'and @al';
    box.selectionStart = box.selectionEnd = box.value.length;
    picker.update(box, people, 'me');
    picker.choose(box, 0);
    expect(box.value).toBe('@Luis and @Álvaro ');
    expect(picker.take('and @Álvaro only')).toEqual(['u3']);
    box.value = '@zz';
    box.selectionStart = box.selectionEnd = 3;
    picker.update(box, people, 'me');
    expect(picker.open).toBe(false);
  });

  it('renders a labelled listbox whose options say which one is selected', async () => {
    const { picker } = setup('@l');
    const { render } = await import('lit');
    const host = document.createElement('div');
    render(picker.render(en), host);
    const list = host.querySelector('[role=listbox]');
    expect(list?.getAttribute('aria-label')).toBe('People to mention');
    const options = Array.from(host.querySelectorAll('[role=option]'));
    expect(options.map((o) => [o.id, o.querySelector('span:not([aria-hidden])')?.textContent, o.getAttribute('aria-selected')])).toEqual([
      ['mention-0', 'Lucía Pérez', 'true'],
      ['mention-1', 'Luis', 'false'],
    ]);
  });
});
