// @vitest-environment jsdom
// The header panels' slot (panels/loader.ts): what an open panel is while chat-room.panels.js
// loads, once it is in, and when it cannot be loaded. The chunk's import waits for each test's gate.
import { html, render } from 'lit';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatError, ChatRoom, Member } from '@chat/client';
import { en } from '../i18n/en.js';
import type { PanelHost } from './panels.js';

/** The chunk's gate for the test under way (`true`: served, `false`: missing), and how often it was imported. */
const chunk = { served: Promise.resolve(true), loads: 0 };
/** How long the real chunk's import may take to settle on a loaded machine (vitest's 1 s default is short). */
const LOADED = { timeout: 10_000 };

const ana: Member = { id: 'ana', name: 'Ana', role: 'member', status: 'online', joinedAt: '2026-01-01T00:00:00.000Z' };
const luis: Member = { id: 'luis', name: 'Luis', role: 'member', status: 'away', joinedAt: '2026-01-01T00:00:00.000Z' };
const room = {
  id: 'plaza',
  self: ana,
  encrypted: false,
  isLarge: false,
  setNotifications: vi.fn(async () => undefined),
} as unknown as ChatRoom;

/**
 * A slot in a shadow root, with a gate on its chunk (`true`: served, `false`: missing). `draw`
 * renders the panels open now (`open`) as <chat-room> does; the part host draws again on a load.
 */
async function setUp(served: Promise<boolean>) {
  chunk.served = served;
  chunk.loads = 0;
  const { PanelSlot } = await import('./loader.js');
  const where = document.body.appendChild(document.createElement('div'));
  const root = where.attachShadow({ mode: 'open' });
  const failed: ChatError[] = [];
  const open = { people: true, notify: true };
  const closed = { people: vi.fn(() => (open.people = false)), notify: vi.fn(() => (open.notify = false)) };
  const element = { renderRoot: root, updateComplete: Promise.resolve(true), requestUpdate: () => draw() };
  const host: PanelHost = {
    element,
    direct: { card: undefined, fingerprints: new Map(), toggleCard: vi.fn(), message: vi.fn(async () => undefined), open: vi.fn() },
    conversations: { list: [], presence: new Map(), row: vi.fn(), get: () => undefined },
    home: () => 'plaza',
    fail: (error) => failed.push(error),
    lang: () => 'en',
  };
  const slot = new PanelSlot(host, { requestUpdate: () => draw(), fail: (error) => failed.push(error) });
  const draw = () =>
    render(
      html`${
        open.people
          ? slot.people(
              room,
              [ana, luis],
              en,
              () => '',
              closed.people,
              () => ({}),
            )
          : ''
      }${open.notify ? slot.notify(room, en, closed.notify, undefined) : ''}`,
      root,
    );
  return { root, draw, open, closed, failed };
}

/** A gate the test opens. */
function gate() {
  let open!: (served: boolean) => void;
  const served = new Promise<boolean>((resolve) => (open = resolve));
  return { served, open };
}

describe('the header panels while chat-room.panels.js loads (jsdom)', () => {
  beforeEach(() => {
    // The chunk behind this test's gate, for the next import of it: one `doMock` per test (see
    // packages/client/src/calls/call-router.test.ts).
    vi.resetModules();
    vi.doMock('./panels.js', async (importOriginal) => {
      chunk.loads++;
      if (!(await chunk.served)) throw new TypeError('Failed to fetch dynamically imported module');
      return importOriginal();
    });
    document.body.replaceChildren();
  });

  it('draws an open panel as its frame and heading, busy; then whole, the menu focused on the level chosen; one fetch for both', async () => {
    const { served, open } = gate();
    const { root, draw, failed } = await setUp(served);
    draw();
    const people = () => root.querySelector('#members');
    const menu = () => root.querySelector('#notify');
    expect(people()?.getAttribute('aria-busy')).toBe('true');
    expect(people()?.getAttribute('aria-labelledby')).toBe('members-title');
    expect(root.querySelector('#members-title')?.textContent).toBe('People here');
    expect(menu()?.getAttribute('aria-busy')).toBe('true');
    expect(menu()?.querySelector('legend')?.textContent).toBe('Notifications');
    expect(root.querySelectorAll('.person, input')).toHaveLength(0);
    draw(); // drawn again while it loads (a message came): no second fetch
    open(true);
    await vi.waitFor(() => expect(root.activeElement?.matches('#notify :checked')).toBe(true), LOADED);
    expect((root.activeElement as HTMLInputElement).parentElement?.textContent?.trim()).toBe('All messages');
    expect(people()?.hasAttribute('aria-busy')).toBe(false);
    expect(Array.from(root.querySelectorAll('#members .person .who > span:first-child')).map((n) => n.textContent)).toEqual([
      'Ana (You)',
      'Luis',
    ]);
    expect(menu()?.hasAttribute('aria-busy')).toBe(false);
    expect(root.querySelectorAll('#notify input[type=radio]')).toHaveLength(3);
    expect(chunk.loads).toBe(1);
    expect(failed).toEqual([]);
  });

  it('closes a panel still open when the chunk cannot be loaded, and says which file to serve; one closed meanwhile stays closed', async () => {
    const { served, open: serve } = gate();
    const { draw, open, closed, failed } = await setUp(served);
    draw();
    open.notify = false; // the bell pressed again while it loads
    draw();
    serve(false);
    await vi.waitFor(() => expect(closed.people).toHaveBeenCalledTimes(1), LOADED);
    expect(closed.notify).not.toHaveBeenCalled();
    expect(failed.map((e) => [e.code, e.message])).toEqual([
      [
        'INTERNAL',
        'The people panel and the notifications menu could not be loaded (chat-room.panels.js must be served next to chat-room.min.js).',
      ],
    ]);
    // Opened again at once (within LazyPart's 10 s): closed again, no new fetch, no new report.
    open.people = true;
    draw();
    await vi.waitFor(() => expect(closed.people).toHaveBeenCalledTimes(2), LOADED);
    expect([chunk.loads, failed.length]).toEqual([1, 1]);
  });
});
