// @vitest-environment jsdom
import { render } from 'lit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatError, type ChatRoom, type LiveReactionBurst } from '@chat/client';
import { createLiveReactions, MAX_FLOATING, type LiveReactionsHost } from './live-reactions.js';
import { es } from '../i18n/es.js';

// The bar alone, with a stand-in room (room.liveReactions against a real server is tested in
// packages/client; the bar in Chromium with axe-core in test/live-reactions.e2e.test.ts).

function setup(options: { lang?: string; reduced?: boolean; refuse?: ChatError } = {}) {
  vi.stubGlobal('matchMedia', (query: string) => ({ matches: options.reduced === true && query.includes('reduce') }));
  const listeners: Array<(burst: LiveReactionBurst) => void> = [];
  const sent: string[] = [];
  const room = {
    liveReactions: {
      emojis: ['👏', '🎉'],
      available: true,
      on: (_event: 'burst', listener: (burst: LiveReactionBurst) => void) => (listeners.push(listener), () => undefined),
      send: (emoji: string) => (sent.push(emoji), options.refuse ? Promise.reject(options.refuse) : Promise.resolve()),
    },
  } as unknown as ChatRoom;
  const element = Object.assign(document.createElement('div'), { requestUpdate: vi.fn(), addController: vi.fn() });
  element.attachShadow({ mode: 'open' });
  const failed: Array<[ChatError, boolean | undefined]> = [];
  const host: LiveReactionsHost = {
    element: element as unknown as LiveReactionsHost['element'],
    room: () => room,
    // The element's strings: its language's table (a part's texts come from it).
    strings: () => (options.lang?.startsWith('es') ? es : {}),
    lang: () => options.lang ?? 'en',
    fail: (error, line) => failed.push([error, line]),
  };
  const ui = createLiveReactions(host);
  const root = document.createElement('div');
  const draw = (disabled = false) => render(ui.render(room, disabled), root);
  return { root, draw, sent, failed, burst: (b: LiveReactionBurst) => listeners.forEach((l) => l(b)) };
}

afterEach(() => vi.unstubAllGlobals());

describe('the reaction bar (chat-room.live-reactions.js)', () => {
  it('draws a labelled button per emoji of the room, in its language, and sends the one pressed', () => {
    const { root, draw, sent } = setup({ lang: 'es-MX' });
    draw();
    const buttons = Array.from(root.querySelectorAll('button'));
    expect(buttons.map((b) => [b.textContent?.trim(), b.getAttribute('aria-label')])).toEqual([
      ['👏', 'Reaccionar con 👏'],
      ['🎉', 'Reaccionar con 🎉'],
    ]);
    expect(root.querySelector('[role="group"]')?.getAttribute('aria-label')).toBe('Reacciones en directo');
    buttons[1]?.click();
    expect(sent).toEqual(['🎉']);
    draw(true);
    expect(Array.from(root.querySelectorAll('button')).every((b) => b.disabled)).toBe(true);
  });

  it('floats each burst’s emoji, never more than MAX_FLOATING at once, hidden from screen readers', () => {
    const { root, draw, burst } = setup();
    draw();
    burst({ roomId: 'r', counts: { '👏': 3, '🎉': 1 } });
    draw();
    expect(Array.from(root.querySelectorAll('.floating span'), (s) => s.textContent)).toEqual(['👏', '👏', '👏', '🎉']);
    expect(root.querySelector('.floating')?.getAttribute('aria-hidden')).toBe('true');
    burst({ roomId: 'r', counts: { '👏': 500 } });
    draw();
    expect(root.querySelectorAll('.floating span')).toHaveLength(MAX_FLOATING);
  });

  it('floats nothing with prefers-reduced-motion', () => {
    const { root, draw, burst } = setup({ reduced: true });
    draw();
    burst({ roomId: 'r', counts: { '👏': 3 } });
    draw();
    expect(root.querySelectorAll('.floating span')).toHaveLength(0);
  });

  it('says a refusal: past the rate on the line, anything else in the banner', async () => {
    const limited = setup({ refuse: new ChatError('RATE_LIMITED', 'At most 5 reactions a second: wait a moment.') });
    limited.draw();
    limited.root.querySelector('button')?.click();
    await vi.waitFor(() => expect(limited.failed.map(([e, line]) => [e.code, line])).toEqual([['RATE_LIMITED', true]]));
    const other = setup({ refuse: new ChatError('NOT_IN_ROOM', 'You are not in this room.') });
    other.draw();
    other.root.querySelector('button')?.click();
    await vi.waitFor(() => expect(other.failed.map(([e, line]) => [e.code, line])).toEqual([['NOT_IN_ROOM', false]]));
  });
});
