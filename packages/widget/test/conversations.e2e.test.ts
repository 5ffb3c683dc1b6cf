import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ChatServerOptions } from '@chat/server';
import { axeViolations, skipWithoutChromium, screenshot } from '../../../test-support/browser.js';
import { sdkClient } from '../../../test-support/servers.js';
import { startWidgetSite, type WidgetSiteOptions } from '../../../test-support/widget-site.js';

// Conversations in the script-tag bundle, in Chromium: a person's card and a private
// conversation inside <chat-room> (two guests of one meeting), exact unread counts and badges,
// the "new messages" line after a reload, browser notifications (permission on a click only, by
// the room's level), and <chat-inbox>. axe-core on each new state; screenshots for the docs.

const startSite = (options: ChatServerOptions = {}, site: WidgetSiteOptions = {}) =>
  startWidgetSite(options, { sidebarWidth: 360, waitForLog: site.tag === undefined, ...site });

const widget = (page: Page, tag = 'chat-room') => page.locator(tag);
async function expectAccessible(page: Page, state: string, tag = 'chat-room') {
  expect(await axeViolations(page, tag), `axe-core in state: ${state}`).toEqual([]);
}
/** Saves a screenshot of the element (artifacts/, and docs/images/ for the docs). */
function shoot(page: Page, name: string, tag = 'chat-room') {
  return screenshot(page.locator(tag), name, { docs: true });
}
const textarea = (page: Page) => page.locator('chat-room #input');
const texts = (page: Page) => page.locator('chat-room [role=article] .text').allTextContents();
async function send(page: Page, text: string) {
  await textarea(page).fill(text);
  await textarea(page).press('Enter');
}
const eventsOf = <T>(page: Page, type: string) =>
  page.evaluate((t) => (window as unknown as { events: Array<[string, T]> }).events.filter(([e]) => e === t).map(([, d]) => d), type);
type Unread = { count: number; mentions: number; rooms: Array<{ roomId: string; unread: number; mentions: number; direct: boolean }> };
const lastUnread = async (page: Page) => (await eventsOf<Unread>(page, 'chat-unread')).at(-1);
const setHidden = (page: Page, hidden: boolean) =>
  page.evaluate((h) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
const selfId = (page: Page) =>
  widget(page).evaluate((el) => (el as HTMLElement & { chatRoom?: { self?: { id: string } } }).chatRoom?.self?.id ?? '');

describe.skipIf(skipWithoutChromium())('<chat-room> private conversations, in Chromium', () => {
  it("a guest opens another guest's card and writes privately; the other sees exact badges and answers", async () => {
    const { open } = await startSite();
    const ana = await open({ room: 'cita', name: 'Ana' });
    const luis = await open({ room: 'cita', name: 'Luis' });
    await expect
      .poll(() =>
        widget(ana)
          .getByRole('button', { name: /^2 here/u })
          .count(),
      )
      .toBe(1);

    // The people panel, from the keyboard: a person is a button that opens their card below.
    await widget(ana)
      .getByRole('button', { name: /^2 here/u })
      .click();
    const luisRow = widget(ana).locator('#members .person', { hasText: 'Luis' });
    await luisRow.focus();
    await ana.keyboard.press('Enter');
    expect(await luisRow.getAttribute('aria-expanded')).toBe('true');
    const card = ana.locator('chat-room .card');
    await expect.poll(() => card.textContent()).toContain('Message privately');
    expect(await card.getAttribute('id')).toBe(await luisRow.getAttribute('aria-controls'));
    await expectAccessible(ana, 'a person card open');
    await shoot(ana, 'widget-person-card-light');
    // Ana's own card has no "Message privately".
    await ana.keyboard.press('Tab');
    expect(await ana.evaluate(() => document.querySelector('chat-room')?.shadowRoot?.activeElement?.textContent)).toBe('Message privately');
    await ana.keyboard.press('Enter');

    // The private conversation opens in the same widget, with the way back to the room; focus on its composer.
    await expect.poll(() => widget(ana).locator('header h2').textContent()).toBe('Luis');
    await expect.poll(() => ana.evaluate(() => document.querySelector('chat-room')?.shadowRoot?.activeElement?.id)).toBe('input');
    expect(await widget(ana).getByRole('button', { name: 'Back to cita' }).count()).toBe(1);
    expect(await widget(ana).locator('header small').textContent()).toContain('Online');
    await send(ana, 'solo para ti');
    await expect.poll(() => texts(ana)).toEqual(['solo para ti']);

    // Luis, in the room: the people toggle and chat-unread carry the server's count of the private conversation.
    await expect
      .poll(() =>
        widget(luis)
          .getByRole('button', { name: /^2 here\s*1 unread$/u })
          .count(),
      )
      .toBe(1);
    const unread = await lastUnread(luis);
    expect(unread).toMatchObject({ count: 1, mentions: 0 });
    expect(unread?.rooms).toEqual([
      { roomId: 'cita', unread: 0, mentions: 0, direct: false },
      { roomId: expect.stringMatching(/^dm:/u), unread: 1, mentions: 0, direct: true },
    ]);
    await widget(luis)
      .getByRole('button', { name: /^2 here/u })
      .click();
    const chat = widget(luis).locator('#members .person', { hasText: 'solo para ti' });
    await expect.poll(() => chat.textContent()).toContain('Ana');
    expect(await chat.locator('.badge').first().textContent()).toContain('1');
    await expectAccessible(luis, 'the people panel with a private conversation and its badge');
    await chat.click();
    await expect.poll(() => texts(luis)).toEqual(['solo para ti']);
    expect(await widget(luis).locator('header h2').textContent()).toBe('Ana');
    // Seen at the bottom of a visible page: read, on the server too.
    await expect.poll(async () => (await lastUnread(luis))?.count).toBe(0);
    await send(luis, 'gracias, Ana');
    await expectAccessible(luis, 'a private conversation open');
    await shoot(luis, 'widget-private-light');
    await luis.emulateMedia({ colorScheme: 'dark' });
    await expectAccessible(luis, 'a private conversation open, dark');
    await luis.emulateMedia({ colorScheme: 'light' });

    // Back to the room; what Ana writes next is counted on Luis's people toggle.
    await expect.poll(() => texts(ana)).toEqual(['solo para ti', 'gracias, Ana']);
    await widget(luis).getByRole('button', { name: 'Back to cita' }).click();
    await expect.poll(() => widget(luis).locator('header h2').textContent()).toBe('cita');
    await send(ana, 'hola');
    await expect
      .poll(() =>
        widget(luis)
          .getByRole('button', { name: /^2 here\s*1 unread$/u })
          .count(),
      )
      .toBe(1);

    // Ana goes: her private conversation says when she was last seen.
    await ana.context().close();
    await expect
      .poll(() =>
        widget(luis)
          .getByRole('button', { name: /^1 here/u })
          .count(),
      )
      .toBe(1);
    await widget(luis).locator('#members .person', { hasText: 'hola' }).click(); // the panel stayed open
    await expect.poll(() => widget(luis).locator('header small').textContent()).toMatch(/Last seen \d/u);
  }, 60_000);

  it('puts the "new messages" line at the first unread message after a reload (the server\'s read mark)', async () => {
    const { open, chat } = await startSite();
    const bot = { id: 'bot', name: 'Bot' };
    const ana = await open({ room: 'div', name: 'Ana' });
    await chat.sendMessage('div', { user: bot, text: 'one' });
    await chat.sendMessage('div', { user: bot, text: 'two' });
    await expect.poll(() => texts(ana)).toEqual(['one', 'two']);
    const id = await selfId(ana);
    // Seen: marked read on the server.
    await expect.poll(async () => (await chat.conversations(id)).find((s) => s.room.id === 'div')?.unread).toBe(0);
    await setHidden(ana, true);
    await chat.sendMessage('div', { user: bot, text: 'three' });
    await chat.sendMessage('div', { user: bot, text: 'four' });
    await expect.poll(async () => (await lastUnread(ana))?.count).toBe(2);
    expect((await chat.conversations(id)).find((s) => s.room.id === 'div')?.unread).toBe(2);

    await ana.reload(); // the same guest (the tab keeps its key), visible again
    const lines = () => ana.locator('chat-room [role=log] :is(.notice.new, [role=article] .text)').allTextContents();
    await expect.poll(lines).toEqual(['one', 'two', 'New messages', 'three', 'four']);
    await expect.poll(async () => (await chat.conversations(id)).find((s) => s.room.id === 'div')?.unread).toBe(0);
    await expectAccessible(ana, 'the new messages line');
    await shoot(ana, 'widget-unread-line-light');
  });
});

/** A page whose `Notification` is a stand-in that records what is shown and asked. */
async function openWithNotifications(site: Awaited<ReturnType<typeof startSite>>, params: Record<string, string>): Promise<Page> {
  const context = await site.browser.newContext({ viewport: { width: 360, height: 600 } });
  await context.addInitScript(() => {
    const w = window as unknown as { shown: string[][]; asked: number; Notification: unknown };
    w.shown = [];
    w.asked = 0;
    w.Notification = class {
      static permission = 'default';
      static requestPermission() {
        w.asked++;
        (w.Notification as { permission: string }).permission = 'granted';
        return Promise.resolve('granted');
      }
      constructor(title: string, options: { body: string }) {
        w.shown.push([title, options.body]);
      }
      close() {}
    };
  });
  const page = await context.newPage();
  await page.goto(`${site.url}/page?${new URLSearchParams({ server: site.url, ...params })}`);
  await expect.poll(() => page.locator('chat-room [role=log]').count()).toBe(1);
  return page;
}

describe.skipIf(skipWithoutChromium())('<chat-room> browser notifications, in Chromium', () => {
  it('asks for permission only on a click; while hidden, notifies by the room level (all, mentions and direct, none)', async () => {
    const site = await startSite();
    const luis = await openWithNotifications(site, { room: 'meet', name: 'Luis' });
    const ana = sdkClient(site.url, { auth: { name: 'Ana' } });
    const room = await ana.join('meet');
    const luisId = await selfId(luis);
    const shown = () => luis.evaluate(() => (window as unknown as { shown: string[][] }).shown);
    expect(await luis.evaluate(() => (window as unknown as { asked: number }).asked)).toBe(0);

    await widget(luis).getByRole('button', { name: 'Notifications' }).click();
    const menu = widget(luis).getByRole('group', { name: 'Notifications' });
    expect(await menu.getByRole('radio', { name: 'All messages' }).isChecked()).toBe(true);
    await expectAccessible(luis, 'the notifications menu');
    await shoot(luis, 'widget-notifications-light');
    // From the keyboard: focus on the level chosen; Escape closes, back on the button.
    const focused = () => luis.evaluate(() => document.querySelector('chat-room')?.shadowRoot?.activeElement?.outerHTML.slice(0, 40));
    await expect.poll(focused).toContain('type="radio"');
    await luis.keyboard.press('Escape');
    await expect.poll(() => menu.count()).toBe(0);
    await expect.poll(focused).toContain('bell');
    await luis.keyboard.press('Enter');
    await menu.getByRole('button', { name: 'Enable notifications' }).click();
    expect(await luis.evaluate(() => (window as unknown as { asked: number }).asked)).toBe(1);
    await expect.poll(() => menu.getByRole('button', { name: 'Enable notifications' }).count()).toBe(0);

    // All messages: while hidden, each message of others is shown (not while visible).
    await room.send('seen in the page');
    await expect.poll(() => texts(luis)).toEqual(['seen in the page']);
    await setHidden(luis, true);
    await room.send('while away');
    await expect.poll(shown).toEqual([['meet', 'Ana: while away']]);

    // Direct messages and mentions: stored on the server for Luis.
    await setHidden(luis, false);
    await menu.getByRole('radio', { name: 'Direct messages and mentions' }).check();
    await expect
      .poll(async () => (await site.chat.conversations(luisId)).find((s) => s.room.id === 'meet')?.notifications)
      .toBe('mentions');
    await setHidden(luis, true);
    await room.send('not for Luis');
    await room.send({ text: 'look @Luis', mentions: [luisId] });
    const dm = await ana.direct(luisId);
    await dm.send('just for you');
    await expect.poll(shown).toEqual([
      ['meet', 'Ana: while away'],
      ['meet', 'Ana: look @Luis'],
      ['Ana', 'Ana: just for you'],
    ]);

    // Nothing.
    await setHidden(luis, false);
    await menu.getByRole('radio', { name: 'Nothing' }).check();
    await expect.poll(async () => (await site.chat.conversations(luisId)).find((s) => s.room.id === 'meet')?.notifications).toBe('none');
    // The bell struck through (parts/icons.ts, BELL_OFF).
    await expect
      .poll(() => widget(luis).getByRole('button', { name: 'Notifications' }).locator('path').getAttribute('d'))
      .toMatch(/M3 3l18 18$/u);
    await setHidden(luis, true);
    await room.send({ text: 'again @Luis', mentions: [luisId] });
    await expect.poll(() => texts(luis)).toContain('again @Luis');
    expect(await shown()).toHaveLength(3);
  });
});

describe.skipIf(skipWithoutChromium())('<chat-inbox>, in Chromium', () => {
  const names: Record<string, string> = { ana: 'Ana', luis: 'Luis', eva: 'Eva' };
  const authenticate = (handshake: { auth: Record<string, unknown> }) => {
    const id = String(handshake.auth['token']);
    return { id, name: names[id] ?? id };
  };

  it('lists conversations with badges and dots, live; arrows move, Enter opens; chat-open can be cancelled', async () => {
    const site = await startSite({ authenticate }, { tag: 'chat-inbox' });
    const { chat } = site;
    const [ana, luis, eva] = [
      { id: 'ana', name: 'Ana' },
      { id: 'luis', name: 'Luis' },
      { id: 'eva', name: 'Eva' },
    ];
    await chat.createRoom({ id: 'equipo', title: 'Equipo' });
    await chat.addMembers('equipo', [ana, eva]);
    const dm = await chat.openDirectRoom([ana, luis]);
    await chat.sendMessage('equipo', { user: eva, text: '@Ana mira esto', mentions: ['ana'] });
    await chat.sendMessage(dm.id, { user: luis, text: '¿Vienes mañana?' });
    const luisClient = sdkClient(site.url, { auth: { token: 'luis' } });
    await luisClient.join(dm.id); // Luis is online

    const page = await site.open({ token: 'ana' });
    const inbox = widget(page, 'chat-inbox');
    const options = inbox.getByRole('option');
    await expect.poll(() => options.count()).toBe(2);
    // Newest first: the direct room, named by its other person, with Luis's dot.
    await expect.poll(() => options.nth(0).textContent()).toMatch(/Luis.*Luis: ¿Vienes mañana\?.*1 unread/su);
    await expect.poll(() => options.nth(0).locator('.dot.online').count()).toBe(1);
    expect(await options.nth(1).textContent()).toMatch(/Equipo.*Eva: @Ana mira esto.*1 unread.*1 mention/su);
    await expectAccessible(page, 'the inbox with unread badges', 'chat-inbox');
    await shoot(page, 'widget-inbox-light', 'chat-inbox');
    // In Spanish, in the dark theme.
    const es = await site.open({ token: 'ana', lang: 'es', theme: 'dark' });
    const esOptions = widget(es, 'chat-inbox').getByRole('option');
    await expect.poll(() => esOptions.nth(1).textContent()).toMatch(/Equipo.*1 sin leer.*1 mención/su);
    expect(await widget(es, 'chat-inbox').getByRole('listbox', { name: 'Conversaciones' }).count()).toBe(1);
    await expectAccessible(es, 'the inbox with unread badges, Spanish, dark', 'chat-inbox');
    await shoot(es, 'widget-inbox-dark-es', 'chat-inbox');

    // Live: a new message moves its room up.
    await chat.sendMessage('equipo', { user: eva, text: 'y esto también' });
    await expect.poll(() => options.nth(0).textContent()).toMatch(/Equipo.*y esto también.*2 unread/su);

    // One tab stop; arrows move; a cancelled chat-open keeps the list.
    await page.evaluate(() => {
      document.addEventListener(
        'chat-open',
        (e) => (e as CustomEvent<{ roomId: string }>).detail.roomId === 'equipo' && e.preventDefault(),
        { once: true },
      );
    });
    await options.nth(0).focus();
    expect(await options.nth(0).getAttribute('tabindex')).toBe('0');
    expect(await options.nth(1).getAttribute('tabindex')).toBe('-1');
    await page.keyboard.press('Enter'); // cancelled by the page
    expect(await eventsOf<{ roomId: string }>(page, 'chat-open')).toEqual([expect.objectContaining({ roomId: 'equipo' })]);
    expect(await options.count()).toBe(2);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');

    // Not cancelled: the inbox shows the room in its own <chat-room>, with the way back.
    const room = inbox.locator('chat-room');
    await expect.poll(() => room.locator('[role=article] .text').allTextContents()).toEqual(['¿Vienes mañana?']);
    expect(await room.locator('header h2').textContent()).toBe('Luis');
    await expectAccessible(page, 'a conversation opened in the inbox', 'chat-inbox');
    await inbox.getByRole('button', { name: 'Back to Conversations' }).click();
    await expect.poll(() => options.count()).toBe(2);
    // Read there: the server's count is 0 now.
    await expect.poll(async () => (await chat.conversations('ana')).find((s) => s.room.id === dm.id)?.unread).toBe(0);
    await expect.poll(() => options.nth(1).locator('.badge').count()).toBe(0);
  });

  it("names a direct room this browser never saw from the server's members, and your own last message as yours", async () => {
    const site = await startSite({ authenticate }, { tag: 'chat-inbox' });
    const { chat } = site;
    const [ana, luis, eva] = [
      { id: 'ana', name: 'Ana' },
      { id: 'luis', name: 'Luis' },
      { id: 'eva', name: 'Eva' },
    ];
    const trio = await chat.openDirectRoom([ana, luis, eva]);
    await chat.sendMessage(trio.id, { user: ana, text: 'Nos vemos a las 5' });

    // A fresh browser: nobody of the room was ever seen here.
    const page = await site.open({ token: 'ana' });
    const options = widget(page, 'chat-inbox').getByRole('option');
    await expect.poll(() => options.count()).toBe(1);
    // Members of one moment are ordered by id: Eva, Luis (you left out).
    await expect.poll(() => options.nth(0).textContent()).toMatch(/Eva, Luis.*You: Nos vemos a las 5/su);
    expect(await options.nth(0).textContent()).not.toMatch(/Private conversation/u);
    await expectAccessible(page, 'a direct room named by its members, your own last message', 'chat-inbox');
    const es = await site.open({ token: 'ana', lang: 'es' });
    await expect
      .poll(() => widget(es, 'chat-inbox').getByRole('option').nth(0).textContent())
      .toMatch(/Eva, Luis.*Tú: Nos vemos a las 5/su);
  });
});
