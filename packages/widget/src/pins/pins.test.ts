// @vitest-environment jsdom
import { render } from 'lit';
import { describe, expect, it, vi } from 'vitest';
import type { ChatRoom, Message } from '@chat/client';
import { createPinsBar, type PinsHost } from './pins.js';
import { es } from '../i18n/es.js';

// The pinned bar alone, with a stand-in room (room.pins against a real server is tested in
// packages/client; the bar in Chromium with axe-core in test/pins.e2e.test.ts).

const message = (id: string, text: string, extra: Partial<Message> = {}): Message =>
  ({ id, roomId: 'r', seq: Number(id.slice(1)), text, user: { id: 'u', name: 'Ana' }, createdAt: '', ...extra }) as Message;

function setup(pinned: Message[], options: { moderator?: boolean; loaded?: Message[]; lang?: string } = {}) {
  const removed: string[] = [];
  const room = {
    canModerate: options.moderator === true,
    messages: options.loaded ?? [],
    pins: { list: pinned, remove: (id: string) => (removed.push(id), Promise.resolve([])), add: vi.fn() },
  } as unknown as ChatRoom;
  const element = Object.assign(document.createElement('div'), { requestUpdate: vi.fn(), addController: vi.fn() });
  element.attachShadow({ mode: 'open' });
  const host: PinsHost = {
    element: element as unknown as PinsHost['element'],
    room: () => room,
    // The element's strings: its language's table (a part's texts come from it).
    strings: () => (options.lang === 'es' ? es : { attachment: 'Attachment', encrypted: 'End-to-end encrypted' }),
    lang: () => options.lang ?? 'en',
    fail: vi.fn(),
    _messages: { jump: vi.fn(), _focus: vi.fn() },
    _scroll: { _show: vi.fn() },
    _threads: { open: vi.fn() },
  };
  const ui = createPinsBar(host);
  const root = document.createElement('div');
  const draw = () => render(ui.render(room, pinned), root);
  return { root, draw, removed, host, element };
}

const texts = (root: Element, selector: string) =>
  Array.from(root.querySelectorAll(selector), (e) => e.textContent?.replace(/\s+/g, ' ').trim());

describe('the pinned bar (chat-room.pins.js)', () => {
  it('shows the newest pin on one line and the count; the toggle opens the list, labelled, in the widget’s language', () => {
    const { root, draw, element } = setup([message('m2', 'Q&A at 3pm'), message('m1', 'House rules')], { lang: 'es' });
    draw();
    expect(root.querySelector('section')?.getAttribute('aria-label')).toBe('Mensajes fijados');
    expect(texts(root, '.pins-line .pin-go')).toEqual(['Ir al mensaje fijado: Ana: Q&A at 3pm']);
    const toggle = root.querySelector<HTMLButtonElement>('.pins-line .pins-toggle');
    expect([toggle?.textContent?.trim(), toggle?.getAttribute('aria-expanded')]).toEqual(['2 fijados', 'false']);
    toggle?.click();
    expect(element.requestUpdate).toHaveBeenCalled();
    draw();
    expect(root.querySelector('.pins-toggle')?.getAttribute('aria-expanded')).toBe('true');
    expect(texts(root, '#pins-list .pin-go')).toEqual(['Ir al mensaje fijado: Ana: Q&A at 3pm', 'Ir al mensaje fijado: Ana: House rules']);
    expect(root.querySelectorAll('#pins-list li button[aria-label]')).toHaveLength(0); // a member unpins nothing
  });

  it('gives a moderator Unpin beside each pin in the list', () => {
    const { root, draw, removed } = setup([message('m1', 'House rules')], { moderator: true });
    draw();
    root.querySelector<HTMLButtonElement>('.pins-toggle')?.click();
    draw();
    const unpin = root.querySelector<HTMLButtonElement>('#pins-list button[aria-label]');
    expect(unpin?.getAttribute('aria-label')).toBe('Unpin: House rules');
    unpin?.click();
    expect(removed).toEqual(['m1']);
  });

  it('says what a message without text is: its files, or encrypted; and shows the decrypted copy where the log has it', () => {
    const files = message('m1', '', { attachments: [{ url: '/f', name: 'a.png', type: 'image/png', size: 1 }] as Message['attachments'] });
    const sealed = message('m2', '', { ciphertext: 'x' });
    const opened = message('m3', '', { ciphertext: 'y' });
    const { root, draw } = setup([opened, sealed, files], { loaded: [{ ...opened, text: 'Decrypted here' }] });
    draw();
    root.querySelector<HTMLButtonElement>('.pins-toggle')?.click();
    draw();
    expect(texts(root, '#pins-list .pin-go')).toEqual([
      'Go to the pinned message: Ana: Decrypted here',
      'Go to the pinned message: Ana: End-to-end encrypted',
      'Go to the pinned message: Ana: Attachment',
    ]);
  });
});
