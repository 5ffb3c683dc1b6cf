import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Message } from '@chat/client';
import { axeViolations, fetchedScripts, screenshot, skipWithoutChromium } from '../../../test-support/browser.js';
import { startWidgetSite } from '../../../test-support/widget-site.js';

// The search panel of <chat-room>, in Chromium against a real server: the search chunk loaded on
// the first click, results newest first with the matched words in <mark>, a message older than
// what the room loaded reached by loading the history around it, the keyboard path, errors said,
// English and Spanish, in a 340 px sidebar.

const el = (page: Page, selector: string) => page.locator(`chat-room ${selector}`);
/** The id of the message (or the part of one) that has focus in the widget. */
const focusedMessage = (page: Page) =>
  page.evaluate(() => {
    const active = document.querySelector('chat-room')?.shadowRoot?.activeElement as HTMLElement | null | undefined;
    return active?.closest<HTMLElement>('[data-id]')?.dataset['id'] ?? active?.id;
  });

/** A server whose room `lobby` has an old message about a penguin under 120 others, and a newer one. */
async function seeded() {
  const site = await startWidgetSite({}, { sidebarWidth: 340, waitForLog: true });
  const ana = { id: 'ana', name: 'Ana' };
  const old: Message = await site.chat.sendMessage('lobby', { user: ana, text: 'El pingüino del zoo se escapó anoche' });
  for (let i = 0; i < 120; i++) await site.chat.sendMessage('lobby', { user: ana, text: `relleno ${i}` });
  const recent = await site.chat.sendMessage('lobby', { user: ana, text: 'Otro pinguino, sin tilde' });
  return { site, old, recent };
}

describe.skipIf(skipWithoutChromium())('<chat-room> search, in Chromium', { timeout: 90_000 }, () => {
  it('finds the room’s messages with the words marked, and goes to an old one by the keyboard, loading the history around it', async () => {
    const { site, old, recent } = await seeded();
    const page = await site.open({ room: 'lobby', name: 'Luis' });
    expect(await el(page, `[data-id="${old.id}"]`).count()).toBe(0); // not loaded by the join
    expect(await fetchedScripts(page)).not.toContain('/chat-room.search.js');

    const toggle = el(page, '.search-toggle');
    expect(await toggle.getAttribute('aria-label')).toBe('Search messages');
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedMessage(page)).toBe('search-q');
    expect(await fetchedScripts(page)).toContain('/chat-room.search.js');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.type('pingüino');
    await page.keyboard.press('Enter');
    await expect.poll(() => el(page, '#search-status').textContent()).toBe('2 messages found. Choose one to go to it.');
    const results = el(page, '#search .result');
    expect(await results.evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-id')))).toEqual([recent.id, old.id]);
    expect(await results.nth(0).locator('mark').allTextContents()).toEqual(['pinguino']);
    expect(await results.nth(1).locator('mark').allTextContents()).toEqual(['pingüino']);
    expect(await results.nth(1).textContent()).toContain('El pingüino del zoo se escapó anoche');
    // The panel fits the sidebar: nothing wider than the widget.
    const widths = await page.evaluate(() => {
      const root = document.querySelector('chat-room') as HTMLElement;
      const panel = root.shadowRoot?.querySelector('#search') as HTMLElement;
      return [root.getBoundingClientRect().width, panel.getBoundingClientRect().right, panel.scrollWidth, panel.clientWidth];
    });
    expect(widths[1]).toBeLessThanOrEqual(widths[0] as number);
    expect(widths[2]).toBeLessThanOrEqual(widths[3] as number);
    expect(await axeViolations(page), 'axe-core: results').toEqual([]);
    await screenshot(el(page, '.frame'), 'widget-search-results-light', { docs: true });

    // Tab: the search button, the choice of conversations, then the results in order; Enter on the older one goes to it.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect
      .poll(() => page.evaluate(() => document.querySelector('chat-room')?.shadowRoot?.activeElement?.textContent))
      .toContain('El pingüino');
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedMessage(page)).toBe(old.id);
    expect(await el(page, '#search').count()).toBe(0);
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await expect.poll(() => el(page, `[data-id="${old.id}"]`).isVisible()).toBe(true);
    expect(await axeViolations(page), 'axe-core: the message reached').toEqual([]);
    await screenshot(el(page, '.frame'), 'widget-search-jumped-light');
  });

  it('says when nothing matched and why a search was refused; Escape closes it with focus back on the button', async () => {
    const { site } = await seeded();
    const page = await site.open({ room: 'lobby', name: 'Luis' });
    const toggle = el(page, '.search-toggle');
    await toggle.click();
    const input = el(page, '#search-q');
    await input.fill('jirafa');
    await input.press('Enter');
    await expect.poll(() => el(page, '#search-status').textContent()).toBe('No messages found.');
    expect(await el(page, '#search .result').count()).toBe(0);
    expect(await axeViolations(page), 'axe-core: nothing found').toEqual([]);
    await input.fill(Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '));
    await input.press('Enter');
    await expect.poll(() => el(page, '#search-status').textContent()).toBe('A search can have at most 32 words.');
    await page.keyboard.press('Escape');
    await expect.poll(() => el(page, '#search').count()).toBe(0);
    await expect
      .poll(() => page.evaluate(() => document.querySelector('chat-room')?.shadowRoot?.activeElement?.classList.contains('search-toggle')))
      .toBe(true);
  });

  it('in Spanish', async () => {
    const { site, old } = await seeded();
    const page = await site.open({ room: 'lobby', name: 'Luis', lang: 'es' });
    const toggle = el(page, '.search-toggle');
    await expect.poll(() => toggle.getAttribute('aria-label')).toBe('Buscar mensajes');
    await toggle.click();
    expect(await el(page, '#search label[for=search-q]').textContent()).toBe('Buscar en esta conversación');
    await el(page, '#search-q').fill('zoo');
    await el(page, '#search button[type=submit]').click();
    await expect.poll(() => el(page, '#search-status').textContent()).toBe('1 mensaje encontrado. Elige uno para ir a él.');
    expect(await axeViolations(page), 'axe-core: results in Spanish').toEqual([]);
    await screenshot(el(page, '.frame'), 'widget-search-results-es');
    await el(page, '#search .result').click();
    await expect.poll(() => focusedMessage(page)).toBe(old.id);
    await el(page, '.search-toggle').click();
    await el(page, '#search-q').fill('jirafa');
    await el(page, '#search-q').press('Enter');
    await expect.poll(() => el(page, '#search-status').textContent()).toBe('No se encontró ningún mensaje.');
  });
});
