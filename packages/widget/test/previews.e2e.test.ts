import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { linkPreviews } from '@chat/server';
import { axeViolations, fetchedScripts, screenshot, skipWithoutChromium } from '../../../test-support/browser.js';
import { serve, startSite } from '../../../test-support/stand-in-site.js';
import { startWidgetSite } from '../../../test-support/widget-site.js';

// Link previews in the widget (#47): a card under the message (title, site, description and the
// image the chat server serves), every text drawn as text, keyboard reachable with the message's
// controls; the sender's "Remove preview". chat-room.previews.js comes with the first preview.

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const el = (page: Page, selector: string) => page.locator(`chat-room ${selector}`);
const article = (page: Page, text: string) => page.locator('chat-room [role=article]').filter({ hasText: text });
async function expectAccessible(page: Page, state: string) {
  expect(await axeViolations(page), `axe-core in state: ${state}`).toEqual([]);
}

describe.skipIf(skipWithoutChromium())('<chat-room> link previews, in Chromium', { timeout: 60_000 }, () => {
  it('shows the card to everyone, as text, with the image from the chat server; the sender removes it', async () => {
    const site = await startSite({
      '/agenda': serve(
        'text/html; charset=utf-8',
        `<!doctype html><html><head><title>ignored</title>
         <meta property="og:title" content="Town hall &lt;script&gt;alert(1)&lt;/script&gt;">
         <meta property="og:description" content="What we will talk about, and when.">
         <meta property="og:site_name" content="Example">
         <meta property="og:image" content="/cover.png"></head><body></body></html>`,
      ),
      '/cover.png': serve('image/png', PNG),
    });
    const previews = linkPreviews({ allowedAddresses: ['127.0.0.1/32'], publicPath: '/chat/previews' });
    const { open, url } = await startWidgetSite({ plugins: [previews] }, { waitForLog: true, rest: true });
    const ana = await open({ room: 'plaza', name: 'Ana' }, 560);
    const luis = await open({ room: 'plaza', name: 'Luis', lang: 'es' }, 560);
    expect(await fetchedScripts(luis)).not.toContain('/chat-room.previews.js');

    await el(ana, '#input').fill(`Agenda: ${site.url}/agenda`);
    await el(ana, '#input').press('Enter');
    const card = (page: Page) => article(page, 'Agenda').locator('[part=preview]');
    await expect.poll(() => card(luis).count()).toBe(1);
    await expect.poll(() => card(ana).count()).toBe(1);
    expect(await fetchedScripts(luis)).toContain('/chat-room.previews.js');

    // Text stays text: the title's markup is shown, not run.
    const link = card(luis).getByRole('link');
    expect(await link.textContent()).toBe('Town hall <script>alert(1)</script>');
    expect(await link.getAttribute('href')).toBe(`${site.url}/agenda`);
    expect(await link.getAttribute('rel')).toContain('noopener');
    expect(await card(luis).textContent()).toContain('What we will talk about, and when.');
    expect(await card(luis).textContent()).toContain('Example');
    // The image is the chat server's copy, and it loaded.
    const image = card(luis).locator('img');
    expect(await image.getAttribute('src')).toMatch(new RegExp(`^${url}/chat/previews/[0-9a-f]{64}$`));
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect(await card(luis).getByRole('button').count()).toBe(0); // only the sender removes it
    await expectAccessible(luis, 'a message with a link preview');
    await screenshot(el(ana, '').first(), 'widget-link-preview');

    // With the message's controls opened from the keyboard, the card's link is a tab stop.
    await article(ana, 'Agenda').focus();
    await ana.keyboard.press('Enter');
    await expect.poll(() => card(ana).getByRole('link').getAttribute('tabindex')).toBe('0');

    await article(ana, 'Agenda').getByRole('button', { name: 'Remove preview' }).click();
    await expect.poll(() => card(luis).count()).toBe(0);
    await expect.poll(() => card(ana).count()).toBe(0);
    expect(await article(luis, 'Agenda').textContent()).toContain(`${site.url}/agenda`); // the text and its link stay
  });
});
