import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, skipWithoutChromium } from '../../../test-support/browser.js';
import { track } from '../../../test-support/servers.js';
import { startWidgetSite } from '../../../test-support/widget-site.js';

// The widget's UI icons (the bell, the moderator's shield, the paperclip, the message actions,
// the close and reply marks) are inline SVG, not emoji or symbol characters, which show as empty
// boxes where no font has them. Seen in a Chromium whose fonts have no emoji at all; screenshots
// of both go to artifacts/screenshots/ (not tracked), for a person to look at.

const artifacts = fileURLToPath(new URL('../../../artifacts/screenshots/', import.meta.url));

/** Chromium with every font of the system but its emoji font (fontconfig rejects it). */
async function browserWithoutEmoji(): Promise<Browser> {
  const dir = mkdtempSync(join(tmpdir(), 'fonts-'));
  const config = join(dir, 'fonts.conf');
  writeFileSync(
    config,
    `<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>
      <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
      <selectfont><rejectfont><pattern><patelt name="family"><string>Noto Color Emoji</string></patelt></pattern></rejectfont></selectfont>
    </fontconfig>`,
  );
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
    env: { ...process.env, FONTCONFIG_FILE: config },
  });
  track(() => browser.close());
  return browser;
}

/**
 * Every UI icon of the widget, in two screenshots `name`-actions and `name`-panel: Ana owns the room
 * (shield), can attach files, answers her message (a reply mark) and starts a second reply (its
 * cancel button); then the actions of a message, then the people panel (its close button).
 */
async function showIcons(page: Page, name: string): Promise<void> {
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill('first');
  await input.press('Enter');
  await expect.poll(() => page.locator('chat-room .message .text').allTextContents()).toEqual(['first']);
  await page.locator('chat-room .message').first().hover();
  await page.locator('chat-room .act-reply').click();
  await input.fill('an answer');
  await input.press('Enter');
  await expect.poll(() => page.locator('chat-room .message .text').allTextContents()).toEqual(['first', 'an answer']);
  await page.locator('chat-room .message').first().hover();
  await page.locator('chat-room .act-reply').first().click();
  // The actions of the last message, shown while focus is in it.
  await page.evaluate(() => document.querySelector('chat-room')?.shadowRoot?.querySelectorAll<HTMLElement>('.act-edit')[1]?.focus());
  mkdirSync(artifacts, { recursive: true });
  await page.locator('chat-room').screenshot({ path: `${artifacts}${name}-actions.png` });
  await page.locator('chat-room [aria-controls=members]').click();
  await page.evaluate(() => document.querySelector('chat-room')?.shadowRoot?.querySelectorAll<HTMLElement>('.act-edit')[1]?.focus());
  await page.locator('chat-room').screenshot({ path: `${artifacts}${name}-panel.png` });
}

/** What an icon button or mark shows: its accessible name, whether it has an SVG icon, and its text. */
const icons = (page: Page) =>
  page.evaluate(() => {
    const root = document.querySelector('chat-room')!.shadowRoot!;
    const selectors = [
      '.bell',
      '.moderate-room',
      '.attach',
      '.act-reply',
      '.act-react',
      '.act-edit',
      '.act-delete',
      '#members .icon',
      '.replying .icon',
      '.reply',
    ];
    return selectors.map((selector) => {
      const el = root.querySelector(selector);
      const svg = el?.querySelector('svg');
      return {
        selector,
        name: el?.getAttribute('aria-label') ?? el?.textContent?.trim(),
        svg: svg?.getAttribute('aria-hidden') === 'true' && svg.getBoundingClientRect().width > 0,
        // A symbol or emoji character: what needs a font to show.
        glyph: /[\u2190-\u2bff\u{1f000}-\u{1faff}]/u.test(el?.textContent ?? ''),
      };
    });
  });

describe.skipIf(skipWithoutChromium())('<chat-room> UI icons in Chromium', { timeout: 60_000 }, () => {
  it('draws its UI icons as SVG that needs no emoji font; buttons keep their names', async () => {
    const { url, browser } = await startWidgetSite({ ownerOnJoin: true }, { waitForLog: false });
    const params = new URLSearchParams({ server: url, room: 'icons', name: 'Ana', uploads: '' });
    const page = await (await browser.newContext({ viewport: { width: 420, height: 640 } })).newPage();
    await page.goto(`${url}/page?${params}`);
    await showIcons(page, 'icons-emoji-font');
    const bare = await (await (await browserWithoutEmoji()).newContext({ viewport: { width: 420, height: 640 } })).newPage();
    await bare.goto(`${url}/page?${new URLSearchParams({ server: url, room: 'icons-2', name: 'Ana', uploads: '' })}`);
    await showIcons(bare, 'icons-no-emoji-font');

    expect(await icons(page)).toEqual([
      { selector: '.bell', name: 'Notifications', svg: true, glyph: false },
      { selector: '.moderate-room', name: 'Moderation', svg: true, glyph: false },
      { selector: '.attach', name: 'Attach files', svg: true, glyph: false },
      { selector: '.act-reply', name: 'Reply', svg: true, glyph: false },
      { selector: '.act-react', name: 'React', svg: true, glyph: false },
      { selector: '.act-edit', name: 'Edit', svg: true, glyph: false },
      { selector: '.act-delete', name: 'Delete', svg: true, glyph: false },
      { selector: '#members .icon', name: 'Hide people here', svg: true, glyph: false },
      { selector: '.replying .icon', name: 'Cancel reply', svg: true, glyph: false },
      { selector: '.reply', name: 'in reply to Ana: first', svg: true, glyph: false },
    ]);
    expect(await icons(bare)).toEqual(await icons(page));
    expect(await axeViolations(page), 'axe-core with every icon shown').toEqual([]);
  });
});
