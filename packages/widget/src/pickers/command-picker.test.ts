// @vitest-environment jsdom
import { render } from 'lit';
import { describe, expect, it, vi } from 'vitest';
import type { CommandInfo } from '@chat/client';
import { en } from '../i18n/en.js';
import { composerLine } from '../parts/composer-line.js';
import { CommandPicker } from './command-picker.js';

const commands: CommandInfo[] = [
  { name: 'help', description: 'Lists the commands.' },
  { name: 'remind', description: 'Reminds the room.', usage: '/remind 5m <text>' },
  { name: 'report', description: 'Reports.' },
];

function box(value: string): HTMLTextAreaElement {
  const el = document.createElement('textarea');
  document.body.append(el);
  el.value = value;
  el.selectionStart = el.selectionEnd = value.length;
  return el;
}
const key = (k: string, init: KeyboardEventInit = {}) => new KeyboardEvent('keydown', { key: k, cancelable: true, ...init });

describe('composerLine: what a line typed in the composer asks for', () => {
  it('runs /name lines as commands, sends // lines as messages starting with /, and anything else as messages', () => {
    expect(composerLine('/remind 5m stand-up')).toEqual({ command: '/remind 5m stand-up' });
    expect(composerLine('//shrug')).toEqual({ message: '/shrug' });
    expect(composerLine('// not a command')).toEqual({ message: '/ not a command' });
    expect(composerLine('hello /help')).toEqual({ message: 'hello /help' });
    expect(composerLine('/ alone')).toEqual({ message: '/ alone' });
  });
});

describe('CommandPicker: the / suggestions', () => {
  it('offers the commands matching what follows / at the start, and closes after a space or in the middle of text', () => {
    const changed = vi.fn();
    const picker = new CommandPicker(changed);
    picker.update(box('/'), commands);
    expect(picker.options.map((c) => c.name)).toEqual(['help', 'remind', 'report']);
    picker.update(box('/re'), commands);
    expect(picker.options.map((c) => c.name)).toEqual(['remind', 'report']);
    picker.update(box('/remind '), commands);
    expect(picker.open).toBe(false);
    picker.update(box('say /re'), commands);
    expect(picker.open).toBe(false);
    picker.update(box('//'), commands);
    expect(picker.open).toBe(false);
    expect(changed).toHaveBeenCalled();
  });

  it('moves with the arrows (wrapping), and picks with Enter or Tab as "/name "', () => {
    const picker = new CommandPicker(() => undefined);
    const input = box('/re');
    picker.update(input, commands);
    expect(picker.keydown(key('ArrowUp'), input)).toBe(true);
    expect(picker.active).toBe(1);
    expect(picker.keydown(key('ArrowDown'), input)).toBe(true);
    expect(picker.active).toBe(0);
    const enter = key('Enter');
    expect(picker.keydown(enter, input)).toBe(true);
    expect(enter.defaultPrevented).toBe(true);
    expect(input.value).toBe('/remind ');
    expect(input.selectionStart).toBe(8);
    expect(picker.open).toBe(false);

    picker.update(box('/h'), commands);
    const other = box('/h');
    expect(picker.keydown(key('Tab'), other)).toBe(true);
    expect(other.value).toBe('/help ');
  });

  it('leaves keys alone while closed or composing', () => {
    const picker = new CommandPicker(() => undefined);
    const input = box('hello');
    expect(picker.keydown(key('Enter'), input)).toBe(false);
    picker.update(box('/'), commands);
    expect(picker.keydown(key('Enter', { isComposing: true }), input)).toBe(false);
    expect(picker.keydown(key('a'), input)).toBe(false);
    expect(picker.keydown(key('Escape'), input)).toBe(true);
    expect(picker.open).toBe(false);
  });

  it('renders a listbox of options with usage and description, the active one selected', () => {
    const picker = new CommandPicker(() => undefined);
    picker.update(box('/'), commands);
    picker.active = 1;
    const host = document.createElement('div');
    render(picker.render(en), host);
    const list = host.querySelector('[role=listbox]');
    expect(list?.id).toBe('commands');
    expect(list?.getAttribute('aria-label')).toBe('Commands');
    const options = Array.from(host.querySelectorAll('[role=option]'));
    expect(options.map((o) => o.id)).toEqual(['command-0', 'command-1', 'command-2']);
    expect(options.map((o) => o.getAttribute('aria-selected'))).toEqual(['false', 'true', 'false']);
    expect(options[1]?.textContent?.replace(/\s+/gu, ' ').trim()).toBe('/remind 5m <text>Reminds the room.');
  });
});
