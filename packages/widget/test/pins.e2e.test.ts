import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { pins } from '@chat/server';
import { axeViolations, fetchedScripts, screenshot, skipWithoutChromium } from '../../../test-support/browser.js';
import { startWidgetSite } from '../../../test-support/widget-site.js';

// Pins in the widget (#46): a moderator's "Pin" among a message's actions, the pinned bar above
// the log for everyone (one line, opened into the list), going to a pinned message, and "Unpin"
// from the list; chat-room.pins.js is fetched only where the room has pins, or for its moderators.

const el = (page: Page, selector: string) => page.locator(`chat-room ${selector}`);
const article = (page: Page, text: string) => page.locator('chat-room [role=article]').filter({ hasText: text });
async function send(page: Page, text: string) {
  await el(page, '#input').fill(text);
  await el(page, '#input').press('Enter');
  await expect.poll(() => article(page, text).count()).toBe(1);
}
async function expectAccessible(page: Page, state: string) {
  expect(await axeViolations(page), `axe-core in state: ${state}`).toEqual([]);
}
/** What has focus inside the widget: its role and text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const active = document.querySelector('chat-room')?.shadowRoot?.activeElement as HTMLElement | null | undefined;
    return { role: active?.getAttribute('role'), text: active?.textContent?.replace(/\s+/g, ' ').trim() };
  });

describe.skipIf(skipWithoutChromium())('<chat-room> pins, in Chromium', { timeout: 60_000 }, () => {
  it('a moderator pins from the message actions; everyone sees the bar, opens it, goes to the message; the moderator unpins', async () => {
    const { open } = await startWidgetSite({ ownerOnJoin: true, plugins: [pins()] }, { waitForLog: true });
    const host = await open({ room: 'townhall', name: 'Host' }, 560); // the first to join owns the room
    await send(host, 'Welcome to the town hall: questions at the end');
    const ana = await open({ room: 'townhall', name: 'Ana', lang: 'es' }, 560);
    for (let i = 1; i <= 30; i++) await send(host, `Update ${i}`);
    // A member of a room without pins fetches nothing of them.
    expect(await fetchedScripts(ana)).not.toContain('/chat-room.pins.js');

    await article(host, 'Welcome').hover();
    const pin = article(host, 'Welcome').getByRole('button', { name: 'Pin', exact: true });
    await pin.click();
    const bar = (page: Page, name: string) => page.getByRole('region', { name });
    await expect.poll(() => bar(host, 'Pinned messages').textContent()).toContain('Welcome to the town hall');
    await expect.poll(() => bar(ana, 'Mensajes fijados').textContent()).toContain('Welcome to the town hall');
    expect(await bar(ana, 'Mensajes fijados').getByRole('button', { name: '1 fijado' }).getAttribute('aria-expanded')).toBe('false');
    expect(await fetchedScripts(ana)).toContain('/chat-room.pins.js');
    await article(host, 'Welcome').hover();
    expect(await article(host, 'Welcome').getByRole('button', { name: 'Unpin', exact: true }).count()).toBe(1);
    expect(await article(ana, 'Update 30').getByRole('button', { name: 'Fijar' }).count()).toBe(0); // members do not pin
    await expectAccessible(host, 'a message pinned, the bar closed');
    await expectAccessible(ana, 'the bar in Spanish');

    // Ana goes to the pinned message: the log shows it and focus is on it.
    await bar(ana, 'Mensajes fijados')
      .getByRole('button', { name: /^Ir al mensaje fijado: Host: Welcome/ })
      .click();
    await expect.poll(async () => (await focused(ana)).text).toContain('Welcome to the town hall');
    expect((await focused(ana)).role).toBe('article');

    // A second pin: the newest is the line; the list opens with both, and the moderator unpins.
    await article(host, 'Update 30').hover();
    await article(host, 'Update 30').getByRole('button', { name: 'Pin', exact: true }).click();
    await expect.poll(() => bar(ana, 'Mensajes fijados').getByRole('button', { name: '2 fijados' }).count()).toBe(1);
    const toggle = bar(host, 'Pinned messages').getByRole('button', { name: '2 pinned' });
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const list = el(host, '#pins-list li');
    await expect.poll(() => list.allTextContents()).toHaveLength(2);
    expect((await list.allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
      'Go to the pinned message: Host: Update 30',
      'Go to the pinned message: Host: Welcome to the town hall: questions at the end',
    ]);
    await expectAccessible(host, 'the pinned list open, with Unpin');
    await screenshot(el(host, '').first(), 'widget-pins-open');
    await bar(host, 'Pinned messages').getByRole('button', { name: 'Unpin: Update 30' }).click();
    await expect.poll(() => bar(ana, 'Mensajes fijados').getByRole('button', { name: '1 fijado' }).count()).toBe(1);
    await bar(host, 'Pinned messages')
      .getByRole('button', { name: /^Unpin: Welcome/ })
      .click();
    await expect.poll(() => bar(ana, 'Mensajes fijados').count()).toBe(0);
    await expect.poll(() => bar(host, 'Pinned messages').count()).toBe(0);
  });

  it('fetches nothing of pins where the server offers none, not even for a moderator', async () => {
    const { open } = await startWidgetSite({ ownerOnJoin: true }, { waitForLog: true });
    const host = await open({ room: 'lobby', name: 'Host' }, 560);
    await send(host, 'Hello');
    await article(host, 'Hello').hover();
    expect(await article(host, 'Hello').getByRole('button', { name: 'Pin', exact: true }).count()).toBe(0);
    expect(await fetchedScripts(host)).not.toContain('/chat-room.pins.js');
  });
});
