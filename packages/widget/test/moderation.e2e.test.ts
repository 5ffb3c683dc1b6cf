import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ChatServerOptions, Report } from '@chat/server';
import { axeViolations, skipWithoutChromium, fetchedScripts, screenshot } from '../../../test-support/browser.js';
import { startWidgetSite } from '../../../test-support/widget-site.js';

// Moderation, bots and slash commands in the script-tag bundle as a user embeds it: a room's
// creator (its owner: `ownerOnJoin`, the first to join) moderates from the people panel and the room menu (the chunk
// chat-room.moderation.js, loaded on first use); the others see why they cannot write, or what
// happened to them; commands are offered as you type `/`.

const startSite = (options: ChatServerOptions = {}) =>
  startWidgetSite({ ownerOnJoin: true, ...options }, { sidebarWidth: 360, waitForLog: true });
const el = (page: Page, selector: string) => page.locator(`chat-room ${selector}`);
const textarea = (page: Page) => el(page, '#input');
const texts = (page: Page) => el(page, '[role=article] .text').allTextContents();
async function send(page: Page, text: string) {
  await textarea(page).fill(text);
  await textarea(page).press('Enter');
}
async function expectAccessible(page: Page, state: string) {
  expect(await axeViolations(page), `axe-core in state: ${state}`).toEqual([]);
}
function shoot(page: Page, name: string) {
  return screenshot(page.locator('chat-room'), name, { docs: true });
}
/** What has focus inside the widget: its tag or role, and text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const active = document.querySelector('chat-room')?.shadowRoot?.activeElement as HTMLElement | null | undefined;
    return { tag: active?.tagName.toLowerCase(), text: active?.textContent?.trim(), name: active?.getAttribute('name') };
  });

/** The owner opens the people panel, then the moderation of `name` in their card (the chunk loads then). */
async function moderate(host: Page, name: string) {
  if ((await el(host, '#members').count()) === 0) await el(host, 'header [aria-controls=members]').click();
  await el(host, '.person').filter({ hasText: name }).click();
  await el(host, '.moderate-person').click();
  await expect.poll(() => el(host, '.moderate').count()).toBe(1);
}

describe.skipIf(skipWithoutChromium())('<chat-room> moderation, bots and commands in Chromium', { timeout: 60_000 }, () => {
  it('a moderator mutes, freezes and slows the room; the others see why they cannot write, until it is lifted', async () => {
    const { open } = await startSite();
    const host = await open({ room: 'townhall', name: 'Host' });
    await expect.poll(() => el(host, '.moderate-room').count()).toBe(1); // the creator owns the room
    const ana = await open({ room: 'townhall', name: 'Ana' });
    await expect.poll(() => el(ana, '.moderate-room').count()).toBe(0); // a member has no moderation
    await expect.poll(() => el(host, 'header [aria-controls=members]').textContent()).toContain('2');

    // What only moderators use is chat-room.moderation.js, fetched on the first click, not before (the people
    // panel the card is in is chat-room.panels.js, fetched when it opens).
    const scripts = fetchedScripts;
    expect(await scripts(host)).toEqual(['/chat-room.min.js']);
    await moderate(host, 'Ana');
    expect(await scripts(host)).toEqual(['/chat-room.min.js', '/chat-room.panels.js', '/chat-room.moderation.js']);
    expect(await el(host, '.moderate button').allTextContents()).toEqual(['Mute', 'Remove from room', 'Ban', 'Make moderator']);
    expect(await focused(host)).toMatchObject({ tag: 'button', text: 'Mute' });
    await expectAccessible(host, 'moderation of a person open');
    await shoot(host, 'widget-moderation-light');

    // Mute asks first, in the card: how long (1 hour chosen), why; Escape would cancel.
    await host.keyboard.press('Enter');
    await expect.poll(() => el(host, '.moderate-form').count()).toBe(1);
    expect(await el(host, '#moderate-q').textContent()).toBe('Mute: Ana?');
    expect(await focused(host)).toMatchObject({ tag: 'input', name: 'duration' });
    await expectAccessible(host, 'the mute question');
    await shoot(host, 'widget-moderation-mute-light');
    await host.keyboard.press('Escape');
    await expect.poll(() => el(host, '.moderate-form').count()).toBe(0);
    expect(await focused(host)).toMatchObject({ text: 'Mute' });
    await host.keyboard.press('Enter');
    await el(host, '.moderate-form input[name=reason]').fill('Shouting');
    await el(host, '.moderate-form button[type=submit]').click();

    // Ana's composer is off, saying until when.
    await expect.poll(() => textarea(ana).getAttribute('placeholder')).toMatch(/^You are muted until \d{1,2}:\d{2}/u);
    expect(await textarea(ana).isDisabled()).toBe(true);
    await expectAccessible(ana, 'a muted composer');
    await shoot(ana, 'widget-muted-light');
    await expect.poll(() => el(host, '.person').filter({ hasText: 'Ana' }).textContent()).toContain('muted');

    // Lifted: she writes again.
    await el(host, '.act-unmute').click();
    await expect.poll(() => textarea(ana).isDisabled()).toBe(false);

    // The room menu: freeze, then slow mode.
    await el(host, '.moderate-room').click();
    await expect.poll(() => el(host, '#moderation').count()).toBe(1);
    await expectAccessible(host, 'the room menu open');
    await shoot(host, 'widget-room-moderation-light');
    await el(host, '#moderation input[type=checkbox]').check();
    await expect.poll(() => textarea(ana).getAttribute('placeholder')).toBe('Only moderators can write in this room right now');
    expect(await textarea(host).isDisabled()).toBe(false); // moderators still write
    await el(host, '#moderation input[type=checkbox]').uncheck();
    await expect.poll(() => textarea(ana).isDisabled()).toBe(false);
    await el(host, '#moderation label').filter({ hasText: '30 s' }).locator('input').check();
    type Widget = { chatRoom?: { room?: { options: { slowModeMs?: number } } } };
    const slowMode = () =>
      ana.evaluate(() => (document.querySelector('chat-room') as unknown as Widget).chatRoom?.room?.options.slowModeMs);
    await expect.poll(slowMode).toBe(30_000);
    await host.keyboard.press('Escape');
    await expect.poll(() => el(host, '#moderation').count()).toBe(0);

    await send(ana, 'first');
    await expect.poll(() => texts(host)).toEqual(['first']);
    await send(ana, 'second');
    await expect.poll(() => el(ana, '.note').textContent()).toMatch(/^You can send again in \d+ s$/u);
    expect(await textarea(ana).inputValue()).toBe('second'); // kept, to send once allowed
  });

  it('a banned user sees why, in their language, instead of the room; the moderator lifts the ban from the room menu', async () => {
    const { open } = await startSite();
    const host = await open({ room: 'plaza', name: 'Host' });
    await expect.poll(() => el(host, '.moderate-room').count()).toBe(1);
    const ana = await open({ room: 'plaza', name: 'Ana', lang: 'es' });
    const luis = await open({ room: 'plaza', name: 'Luis' });
    await expect.poll(() => el(host, 'header [aria-controls=members]').textContent()).toContain('3');

    await moderate(host, 'Luis');
    await el(host, '.act-kick').click();
    expect(await el(host, '.moderate-form fieldset').count()).toBe(0); // a kick has no duration
    await el(host, '.moderate-form input[name=reason]').fill('Off topic');
    await el(host, '.moderate-form input[name=reason]').press('Enter');
    await expect.poll(() => el(luis, '[part=banner]').textContent()).toBe('A moderator removed you from this room. Reason: Off topic');

    await moderate(host, 'Ana');
    await el(host, '.act-ban').click();
    await el(host, '.moderate-form label').filter({ hasText: 'Until lifted' }).locator('input').check();
    await el(host, '.moderate-form input[name=reason]').fill('Spam');
    await el(host, '.moderate-form button[type=submit]').click();
    await expect.poll(() => el(ana, '[part=banner]').textContent()).toBe('Tienes prohibida la entrada a esta sala. Motivo: Spam');
    expect(await textarea(ana).isDisabled()).toBe(true);
    await expectAccessible(ana, 'banned');
    await shoot(ana, 'widget-banned-es-light');

    // Reloaded, she is refused on join with BANNED: the same words, not an error line.
    await ana.reload();
    await expect.poll(() => el(ana, '[part=banner]').textContent()).toBe('Tienes prohibida la entrada a esta sala.');

    await el(host, '.moderate-room').click();
    await expect.poll(() => el(host, '#moderation li').textContent()).toContain('Ana');
    await el(host, '#moderation .act-unban').click();
    await expect.poll(() => el(host, '#moderation li').count()).toBe(0);
    await ana.reload();
    await expect.poll(() => textarea(ana).isDisabled()).toBe(false);
  });

  it('offers slash commands as you type /, shows a private reply only to you, marks bots, and sends // as a message', async () => {
    const reports: Report[] = [];
    const { open, chat } = await startSite();
    chat.on('report', (report) => reports.push(report));
    chat.command({
      name: 'ping',
      description: 'Answers pong.',
      usage: '/ping [text]',
      handler: (ctx) => ctx.reply(`pong ${ctx.args}`.trim()),
    });
    const bot = chat.bot({ id: 'crier', name: 'Crier' });
    chat.command({ name: 'announce', description: 'Tells the room.', bot, handler: async (ctx) => void (await ctx.send(ctx.args)) });
    const ana = await open({ room: 'lobby', name: 'Ana' });
    const luis = await open({ room: 'lobby', name: 'Luis' });

    await textarea(ana).focus();
    await ana.keyboard.type('/');
    await expect.poll(() => el(ana, '#commands [role=option]').count()).toBe(3);
    expect(await textarea(ana).getAttribute('aria-activedescendant')).toBe('command-0');
    await ana.keyboard.press('ArrowUp');
    expect(await textarea(ana).getAttribute('aria-activedescendant')).toBe('command-2');
    await expectAccessible(ana, 'the command picker open');
    await shoot(ana, 'widget-commands-light');
    await ana.keyboard.type('pi');
    const options = () => el(ana, '#commands [role=option]').evaluateAll((els) => els.map((o) => o.textContent?.trim()));
    await expect.poll(options).toEqual(['/ping [text]Answers pong.']);
    await ana.keyboard.press('Tab');
    expect(await textarea(ana).inputValue()).toBe('/ping ');
    await ana.keyboard.type('hello');
    await ana.keyboard.press('Enter');
    await expect.poll(() => el(ana, '[part=command-reply]').textContent()).toMatch(/Only you can see this\s+pong hello/u);
    await expectAccessible(ana, 'a command reply line');
    expect(await el(luis, '[part=command-reply]').count()).toBe(0);

    // What a bot posts carries the bot mark; `//` sends a message starting with `/`.
    await send(ana, '/announce Doors open');
    await expect.poll(() => texts(luis)).toEqual(['Doors open']);
    expect(await el(luis, '.group .name').filter({ hasText: 'Crier' }).textContent()).toMatch(/Crier\s*BOT\s*\(bot\)/u);
    await expectAccessible(luis, 'a bot message');
    await el(luis, 'header [aria-controls=members]').click();
    await expect.poll(() => el(luis, '#members .person').filter({ hasText: 'Crier' }).textContent()).toMatch(/Crier\s*BOT\s*\(bot\)/u);
    await el(luis, 'header [aria-controls=members]').click(); // the panel covers the log at this width
    await shoot(luis, 'widget-bot-light');
    await send(ana, '//shrug');
    await expect.poll(() => texts(luis)).toEqual(['Doors open', '/shrug']);

    // Anyone reports a message: a short reason, in the message.
    const message = el(luis, '[role=article]').filter({ hasText: '/shrug' });
    await message.hover();
    await message.locator('.act-report').click();
    await expect.poll(() => focused(luis)).toMatchObject({ tag: 'input' }); // once chat-room.message-tools.js is in
    await expectAccessible(luis, 'the report question');
    await luis.keyboard.type('Rude');
    await luis.keyboard.press('Enter');
    await expect.poll(() => el(luis, '.note').textContent()).toBe('Thank you: the hosts were told.');
    await expect.poll(() => reports.map((r) => [r.reason, r.reporter.name])).toEqual([['Rude', 'Luis']]);
  });
});
