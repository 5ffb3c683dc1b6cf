// @vitest-environment jsdom
import { render } from 'lit';
import { describe, expect, it, vi } from 'vitest';
import type { Message } from '@chat/client';
import { en } from '../i18n/en.js';
import { es } from '../i18n/es.js';
import { clip, highlight } from './message-list.js';
import { reactedBy, renderReactions } from './reactions.js';

const names = new Map([
  ['ana', 'Ana'],
  ['luis', 'Luis'],
  ['eva', 'Eva'],
]);

describe('reactedBy: who reacted, for the chip tooltip', () => {
  it('names the people it knows, says "You" for yourself, and counts the rest', () => {
    const view = { strings: en, selfId: 'eva', names };
    expect(reactedBy({ count: 1, userIds: ['ana'] }, view)).toBe('Ana');
    expect(reactedBy({ count: 2, userIds: ['ana', 'eva'] }, view)).toBe('Ana and You');
    expect(reactedBy({ count: 3, userIds: ['ana', 'luis', 'eva'] }, view)).toBe('Ana, Luis and You');
    // Ids the widget has no name for, and users beyond the ids the server lists, are counted.
    expect(reactedBy({ count: 30, userIds: ['ana', 'ghost', 'luis'] }, view)).toBe('Ana, Luis and 28 more');
    expect(reactedBy({ count: 2, userIds: ['ghost', 'ghost2'] }, view)).toBe('2 people');
    expect(reactedBy({ count: 1, userIds: [] }, view)).toBe('1 person');
    expect(reactedBy({ count: 4, userIds: ['ana', 'luis'] }, { ...view, strings: es })).toBe('Ana, Luis y 2 más');
  });

  it('lists at most ten names', () => {
    const many = new Map(Array.from({ length: 25 }, (_, i) => [`u${i}`, `User ${i}`] as const));
    const text = reactedBy({ count: 25, userIds: [...many.keys()] }, { strings: en, selfId: undefined, names: many });
    expect(text).toBe(`${Array.from({ length: 10 }, (_, i) => `User ${i}`).join(', ')} and 15 more`);
  });
});

describe('renderReactions (jsdom)', () => {
  const message = (reactions: Message['reactions']): Message => ({
    id: 'm1',
    roomId: 'r',
    seq: 1,
    rev: 3,
    clientId: 'c',
    user: { id: 'ana', name: 'Ana' },
    text: 'hi',
    attachments: [],
    createdAt: new Date().toISOString(),
    ...(reactions && { reactions }),
  });

  it('draws a chip per emoji with its count, pressed where you reacted, and toggles yours on click', () => {
    const onToggle = vi.fn();
    const host = document.createElement('div');
    const m = message({ '👍': { count: 2, userIds: ['ana', 'eva'] }, '🎉': { count: 1, userIds: ['luis'] } });
    const mine = (emoji: string) => emoji === '👍';
    render(renderReactions(m, { strings: en, selfId: 'eva', names, mine, tab: -1, _onToggle: onToggle }), host);
    const chips = Array.from(host.querySelectorAll('button'));
    expect(chips.map((c) => [c.textContent?.replace(/\s+/gu, ' ').trim(), c.getAttribute('aria-pressed'), c.title, c.tabIndex])).toEqual([
      ['👍 2', 'true', 'Ana and You', -1],
      ['🎉 1', 'false', 'Luis', -1],
    ]);
    chips[0]?.click();
    chips[1]?.click();
    expect(onToggle.mock.calls).toEqual([
      ['👍', true],
      ['🎉', false],
    ]);
  });

  it('draws nothing without reactions', () => {
    const host = document.createElement('div');
    render(
      renderReactions(message(undefined), { strings: en, selfId: 'eva', names, mine: () => false, tab: 0, _onToggle: () => {} }),
      host,
    );
    expect(host.querySelector('button')).toBeNull();
  });
});

describe('highlight and clip', () => {
  it('splits text around each @name, case-insensitively, matches at odd places', () => {
    expect(highlight('hi @Eva and @eva!', '@Eva')).toEqual(['hi ', '@Eva', ' and ', '@eva', '!']);
    expect(highlight('nothing here', '@Eva')).toEqual(['nothing here']);
    expect(highlight('@Eva', '@Eva')).toEqual(['', '@Eva', '']);
  });

  it('cuts a long quote with an ellipsis', () => {
    expect(clip('short')).toBe('short');
    expect(clip('x'.repeat(100), 10)).toBe(`${'x'.repeat(10)}…`);
  });
});
