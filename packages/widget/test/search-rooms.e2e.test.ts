import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Message } from '@chat/client';
import { axeViolations, screenshot, skipWithoutChromium } from '../../../test-support/browser.js';
import { startWidgetSite } from '../../../test-support/widget-site.js';

// The widget's search across conversations, in Chromium against a real server: "All conversations"
// by default for a user in several, each result with its room's name; a result in another room
// opens that room, a thread reply its thread; an old message of a long history is shown with the
// history around it (not paged back to), marked and focused, with "Jump to latest", and scrolling
// down pages newer messages back to the newest with no hole and no duplicate. English and Spanish,
// axe-core on each state, in a 320 px sidebar.

const el = (page: Page, selector: string) => page.locator(`chat-room ${selector}`);
const focusedMessage = (page: Page) =>
  page.evaluate(() => {
    const active = document.querySelector('chat-room')?.shadowRoot?.activeElement as HTMLElement | null | undefined;
    return active?.closest<HTMLElement>('[data-id]')?.dataset['id'] ?? active?.id;
  });
/** The seqs of the messages drawn in the log, in order. */
const drawnSeqs = (page: Page) =>
  el(page, '[role=log] [role=article]').evaluateAll((articles) => articles.map((a) => Number((a as HTMLElement).dataset['seq'])));
const names: Record<string, string> = { luis: 'Luis', ana: 'Ana' };
const authenticate = (handshake: { auth: Record<string, unknown> }) => {
  const id = String(handshake.auth['token']);
  return { id, name: names[id] ?? id };
};

/** Luis is in two rooms: Lobby, with 300 messages (message 20 about a penguin), and Garden, with a penguin and a thread about one. */
async function seeded() {
  const site = await startWidgetSite({ authenticate }, { sidebarWidth: 320, waitForLog: true });
  const { chat } = site;
  const ana = { id: 'ana', name: 'Ana' };
  await chat.createRoom({ id: 'lobby', title: 'Lobby' });
  await chat.createRoom({ id: 'garden', title: 'Garden' });
  await chat.addMembers('lobby', [ana, { id: 'luis', name: 'Luis' }]);
  await chat.addMembers('garden', [ana, { id: 'luis', name: 'Luis' }]);
  const lobby: Message[] = [];
  for (let i = 0; i < 300; i++)
    lobby.push(await chat.sendMessage('lobby', { user: ana, text: i === 20 ? 'El pingüino del zoo se escapó' : `línea ${i}` }));
  const garden = await chat.sendMessage('garden', { user: ana, text: 'Un pingüino en el jardín' });
  const parent = await chat.sendMessage('garden', { user: ana, text: 'Riego a las ocho' });
  const reply = await chat.sendMessage('garden', { user: ana, text: 'Vi otro pingüino junto a la fuente', threadOf: parent.id });
  return { site, lobby, garden, reply };
}

async function searchFor(page: Page, query: string) {
  await el(page, '.search-toggle').click();
  await el(page, '#search-q').fill(query);
  await el(page, '#search-q').press('Enter');
}

describe.skipIf(skipWithoutChromium())('<chat-room> search across conversations, in Chromium', { timeout: 120_000 }, () => {
  it('finds in every conversation, shows message 20 of 300 with the history around it, and pages down to the newest', async () => {
    const { site, lobby } = await seeded();
    const page = await site.open({ room: 'lobby', token: 'luis' });
    const toggle = el(page, '.search-toggle');
    await toggle.click();
    // Luis is in two conversations: all of them are searched unless he chooses.
    await expect.poll(() => el(page, '#search label[for=search-q]').textContent()).toBe('Search all conversations');
    expect(await el(page, '#search input[name=scope]:checked').evaluate((input) => input.parentElement?.textContent?.trim())).toBe(
      'All conversations',
    );
    await el(page, '#search-q').fill('pingüino');
    await el(page, '#search-q').press('Enter');
    await expect.poll(() => el(page, '#search-status').textContent()).toBe('3 messages found. Choose one to go to it.');
    const results = el(page, '#search .result');
    expect(await results.locator('.room').allTextContents()).toEqual(['Garden', 'Garden', 'Lobby']);
    const widths = await page.evaluate(() => {
      const root = document.querySelector('chat-room') as HTMLElement;
      const panel = root.shadowRoot?.querySelector('#search') as HTMLElement;
      return [root.getBoundingClientRect().width, panel.getBoundingClientRect().right, panel.scrollWidth, panel.clientWidth];
    });
    expect(widths[0]).toBeLessThanOrEqual(320);
    expect(widths[1]).toBeLessThanOrEqual(widths[0] as number);
    expect(widths[2]).toBeLessThanOrEqual(widths[3] as number);
    expect(await axeViolations(page), 'axe-core: results of all conversations').toEqual([]);
    await screenshot(el(page, '.frame'), 'widget-search-all-rooms', { docs: true });

    // "This conversation": Lobby's only.
    await el(page, '#search input[name=scope]').first().check();
    await expect.poll(() => results.locator('.room').count()).toBe(0);
    await expect.poll(() => results.count()).toBe(1);
    expect(await el(page, '#search label[for=search-q]').textContent()).toBe('Search this conversation');

    // Message 20 of 300: shown with the messages around it, not after paging back through 280.
    const old = lobby[20] as Message;
    await results.first().click();
    await expect.poll(() => focusedMessage(page)).toBe(old.id);
    const around = await drawnSeqs(page);
    expect(around).toContain(old.seq);
    expect(around.length).toBeLessThanOrEqual(60);
    expect(around).not.toContain((lobby[150] as Message).seq);
    expect(await el(page, `[data-id="${old.id}"]`).getAttribute('class')).toContain('found');
    const latest = el(page, '.jump');
    expect(await latest.textContent()).toContain('Jump to latest');
    expect(await axeViolations(page), 'axe-core: an old message found').toEqual([]);
    await screenshot(el(page, '.frame'), 'widget-search-around', { docs: true });

    // Scrolling down pages the newer messages in, until the window meets the newest.
    const newest = (lobby[299] as Message).seq;
    await expect
      .poll(
        async () => {
          await el(page, '[role=log]').evaluate((log) => (log.scrollTop = log.scrollHeight));
          return (await drawnSeqs(page)).at(-1);
        },
        { timeout: 60_000, interval: 300 },
      )
      .toBe(newest);
    const seqs = await drawnSeqs(page);
    const expected = lobby.map((m) => m.seq).filter((seq) => seq >= (seqs[0] as number));
    expect(seqs).toEqual(expected); // every message once, in order: no hole, no duplicate
    await expect.poll(() => latest.count()).toBe(0);
    expect(await axeViolations(page), 'axe-core: back at the newest').toEqual([]);
  });

  it('opens a result of another room in that room, and a thread reply in its thread; "Jump to latest" goes back', async () => {
    const { site, lobby, garden, reply } = await seeded();
    const page = await site.open({ room: 'lobby', token: 'luis' });
    await searchFor(page, 'pingüino');
    await expect.poll(() => el(page, '#search .result').count()).toBe(3);
    await el(page, `#search .result[data-id="${garden.id}"]`).click();
    await expect.poll(() => focusedMessage(page)).toBe(garden.id);
    expect(await el(page, '[part=header]').textContent()).toContain('Garden');
    expect(await el(page, `[data-id="${garden.id}"]`).getAttribute('class')).toContain('found');
    expect(await axeViolations(page), 'axe-core: a message of another room').toEqual([]);

    await searchFor(page, 'fuente');
    await expect.poll(() => el(page, '#search .result').count()).toBe(1);
    await el(page, '#search .result').click();
    await expect.poll(() => el(page, '.thread').textContent()).toContain(reply.text);
    expect(await axeViolations(page), 'axe-core: a thread reply found').toEqual([]);

    // Back in Lobby, an old message, then "Jump to latest": the newest messages again.
    const page2 = await site.open({ room: 'lobby', token: 'luis' });
    await searchFor(page2, 'zoo');
    await expect.poll(() => el(page2, '#search .result').count()).toBe(1);
    await el(page2, '#search .result').click();
    await expect.poll(() => focusedMessage(page2)).toBe((lobby[20] as Message).id);
    await el(page2, '.jump').click();
    await expect.poll(async () => (await drawnSeqs(page2)).at(-1)).toBe((lobby[299] as Message).seq);
    expect(await drawnSeqs(page2)).not.toContain((lobby[20] as Message).seq);
    expect(await el(page2, '.jump').count()).toBe(0);
  });

  it('in Spanish', async () => {
    const { site, lobby } = await seeded();
    const page = await site.open({ room: 'lobby', token: 'luis', lang: 'es' });
    await el(page, '.search-toggle').click();
    await expect.poll(() => el(page, '#search label[for=search-q]').textContent()).toBe('Buscar en todas las conversaciones');
    expect(await el(page, '#search fieldset').textContent()).toMatch(/Dónde buscar.*Esta conversación.*Todas las conversaciones/su);
    await el(page, '#search-q').fill('zoo');
    await el(page, '#search-q').press('Enter');
    await expect.poll(() => el(page, '#search .room').allTextContents()).toEqual(['Lobby']);
    await el(page, '#search .result').click();
    await expect.poll(() => focusedMessage(page)).toBe((lobby[20] as Message).id);
    expect(await el(page, '.jump').textContent()).toContain('Ir a lo más reciente');
    expect(await axeViolations(page), 'axe-core: Spanish').toEqual([]);
    await screenshot(el(page, '.frame'), 'widget-search-around-es');
  });
});
