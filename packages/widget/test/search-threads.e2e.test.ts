import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Message } from '@chat/client';
import { axeViolations, screenshot, skipWithoutChromium } from '../../../test-support/browser.js';
import { startWidgetSite } from '../../../test-support/widget-site.js';

// A search result that is a thread reply, in Chromium against a real server: its thread opens
// with the reply scrolled into view, marked and focused, older pages of the thread loaded until
// it is (the reply is the 3rd of 63, the first page holds the latest 50). English and Spanish,
// axe-core on each state, in a 340 px sidebar.

const el = (page: Page, selector: string) => page.locator(`chat-room ${selector}`);
/** The reply that has focus (its id), or what else has it. */
const focusedReply = (page: Page) =>
  page.evaluate(() => {
    const active = document.querySelector('chat-room')?.shadowRoot?.activeElement as HTMLElement | null | undefined;
    return active?.closest<HTMLElement>('.thread-log li')?.dataset['id'] ?? active?.id ?? active?.tagName;
  });
/** The focused reply lies inside what the thread's log shows. */
const inView = (page: Page) =>
  el(page, '.thread-log').evaluate((log) => {
    const item = log.getRootNode() instanceof ShadowRoot ? (log.getRootNode() as ShadowRoot).activeElement : null;
    if (!item) return false;
    const [box, at] = [log.getBoundingClientRect(), item.getBoundingClientRect()];
    return at.top >= box.top && at.bottom <= box.bottom;
  });
/** Garden: a message with 63 replies, the 3rd about a fountain; then a message of the room. */
async function seeded() {
  const site = await startWidgetSite({}, { sidebarWidth: 340, waitForLog: true });
  const { chat } = site;
  const ana = { id: 'ana', name: 'Ana' };
  const parent = await chat.sendMessage('garden', { user: ana, text: 'Riego a las ocho' });
  let found: Message | undefined;
  for (let i = 0; i < 63; i++) {
    const text = i === 2 ? 'Vi un pingüino junto a la fuente' : `respuesta ${i}`;
    const reply = await chat.sendMessage('garden', { user: ana, text, threadOf: parent.id });
    if (i === 2) found = reply;
  }
  await chat.sendMessage('garden', { user: ana, text: 'Mañana llueve' });
  return { site, found: found as Message };
}

async function goToFound(page: Page, found: Message) {
  await el(page, '.search-toggle').click();
  await el(page, '#search-q').fill('fuente');
  await el(page, '#search-q').press('Enter');
  await expect.poll(() => el(page, '#search .result').count()).toBe(1);
  await el(page, '#search .result').click();
  await expect.poll(() => focusedReply(page)).toBe(found.id);
}

describe.skipIf(skipWithoutChromium())('<chat-room> a thread reply found by search, in Chromium', { timeout: 120_000 }, () => {
  it('opens its thread with the reply in view, marked and focused, older pages loaded until it is', async () => {
    const { site, found } = await seeded();
    const page = await site.open({ room: 'garden', name: 'Luis' });
    await goToFound(page, found);
    expect(await el(page, `.thread-log li[data-id="${found.id}"]`).getAttribute('class')).toContain('found');
    expect(await el(page, `.thread-log li[data-id="${found.id}"] .said`).textContent()).toBe(found.text);
    // Every reply, the older page included; the mark is on that one only.
    expect(await el(page, '.thread-log li').count()).toBe(63);
    expect(await el(page, '.thread-log li.found').count()).toBe(1);
    expect(await inView(page)).toBe(true);
    expect(await axeViolations(page), 'axe-core: a thread reply found').toEqual([]);
    await screenshot(el(page, '.frame'), 'widget-search-thread-reply');

    // Escape from the reply closes the thread, as from anywhere in it.
    await page.keyboard.press('Escape');
    await expect.poll(() => el(page, '[part=thread]').count()).toBe(0);
  });

  it('in Spanish', async () => {
    const { site, found } = await seeded();
    const page = await site.open({ room: 'garden', name: 'Luis', lang: 'es' });
    await goToFound(page, found);
    expect(await el(page, '.thread-log').getAttribute('aria-label')).toBe('Respuestas');
    expect(await inView(page)).toBe(true);
    expect(await axeViolations(page), 'axe-core: a thread reply found, Spanish').toEqual([]);
  });
});
