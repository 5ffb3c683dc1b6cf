import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, screenshot, skipWithoutChromium } from '../../../test-support/browser.js';
import { startWidgetSite } from '../../../test-support/widget-site.js';

// The thread composer offers the room's slash commands as the room composer does, in Chromium
// against a real server with a real bot command: `/` lists them (a listbox the text box points at
// with aria-activedescendant), arrows move, Tab or Enter chooses, Escape closes the list and not
// the thread; the command chosen runs in the thread. English and Spanish, axe-core on each state.

const el = (page: Page, selector: string) => page.locator(`chat-room ${selector}`);
const box = (page: Page) => el(page, '#thread-input');
const options = (page: Page) => el(page, '.thread #commands [role=option]').evaluateAll((items) => items.map((o) => o.textContent?.trim()));
const replies = async (page: Page) => (await el(page, '.thread-log li .said').allTextContents()).map((t) => t.trim());

/** A room with a parent message, a bot's `/shout` (it posts where it was run) and `/ping` (a private answer). */
async function siteWithCommands() {
  const site = await startWidgetSite({}, { sidebarWidth: 340, waitForLog: true });
  const { chat } = site;
  const bot = chat.bot({ id: 'crier', name: 'Town Crier' });
  chat.command({ name: 'ping', description: 'Answers pong.', usage: '/ping [text]', handler: (ctx) => ctx.reply('pong') });
  chat.command({
    name: 'shout',
    description: 'Shouts.',
    usage: '/shout [text]',
    bot,
    handler: async (ctx) => void (await ctx.send(ctx.args.toUpperCase())),
  });
  const parent = await chat.sendMessage('plans', { user: { id: 'luis', name: 'Luis' }, text: 'Release on Friday?' });
  await chat.sendMessage('plans', { user: { id: 'luis', name: 'Luis' }, text: 'Yes', threadOf: parent.id });
  return site;
}

async function openThread(page: Page) {
  await el(page, '[part=thread-count]').click();
  await expect.poll(() => replies(page)).toEqual(['Yes']);
  await expect.poll(() => box(page).evaluate((b) => (b.getRootNode() as ShadowRoot).activeElement === b)).toBe(true);
}

describe.skipIf(skipWithoutChromium())('<chat-room> slash command suggestions in a thread, in Chromium', { timeout: 120_000 }, () => {
  it('offers the commands from the keyboard; the one chosen runs in the thread', async () => {
    const page = await (await siteWithCommands()).open({ room: 'plans', name: 'Ana' });
    await openThread(page);

    await page.keyboard.type('/');
    // The server's built-in /help first, then the room's.
    await expect
      .poll(() => options(page))
      .toEqual(['/helpLists the commands you can use here.', '/ping [text]Answers pong.', '/shout [text]Shouts.']);
    expect(await el(page, '#commands').count()).toBe(1);
    expect(await el(page, '.thread #commands').getAttribute('aria-label')).toBe('Commands');
    expect(await box(page).getAttribute('aria-autocomplete')).toBe('list');
    expect(await box(page).getAttribute('aria-controls')).toBe('commands');
    expect(await box(page).getAttribute('aria-activedescendant')).toBe('command-0');
    await page.keyboard.press('ArrowDown');
    expect(await box(page).getAttribute('aria-activedescendant')).toBe('command-1');
    expect(await el(page, '#command-1').getAttribute('aria-selected')).toBe('true');
    expect(await axeViolations(page), 'axe-core: the thread composer offering commands').toEqual([]);
    await screenshot(el(page, '.frame'), 'widget-thread-commands');

    // Escape closes the list and leaves the thread open, the text as typed.
    await page.keyboard.press('Escape');
    await expect.poll(() => el(page, '#commands').count()).toBe(0);
    expect(await el(page, '[part=thread]').count()).toBe(1);
    expect(await box(page).getAttribute('aria-activedescendant')).toBeNull();

    // Narrowed by what is typed; Tab chooses, the arguments follow, Enter runs it in the thread.
    await page.keyboard.type('s');
    await expect.poll(() => options(page)).toEqual(['/shout [text]Shouts.']);
    await page.keyboard.press('Tab');
    expect(await box(page).inputValue()).toBe('/shout ');
    await expect.poll(() => el(page, '#commands').count()).toBe(0);
    await page.keyboard.type('fire drill');
    await page.keyboard.press('Enter');
    await expect.poll(() => replies(page)).toEqual(['Yes', 'FIRE DRILL']);
    expect(await box(page).inputValue()).toBe('');
    expect(await axeViolations(page), 'axe-core: the command ran in the thread').toEqual([]);
  });

  it('in Spanish', async () => {
    const page = await (await siteWithCommands()).open({ room: 'plans', name: 'Eva', lang: 'es' });
    await openThread(page);
    await page.keyboard.type('/p');
    await expect.poll(() => options(page)).toEqual(['/ping [text]Answers pong.']);
    expect(await el(page, '.thread #commands').getAttribute('aria-label')).toBe('Comandos');
    expect(await axeViolations(page), 'axe-core: commands offered in Spanish').toEqual([]);
    await screenshot(el(page, '.frame'), 'widget-thread-commands-es');
    await page.keyboard.press('Enter');
    expect(await box(page).inputValue()).toBe('/ping ');
    await page.keyboard.press('Enter');
    await expect.poll(() => el(page, '[part=thread] [part=command-reply]').textContent()).toMatch(/pong$/u);
  });
});
