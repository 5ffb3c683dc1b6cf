import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ChatServerOptions } from '@chat/server';
import { axeViolations, fetchedScripts, skipWithoutChromium, screenshot } from '../../../test-support/browser.js';
import { sdkClient } from '../../../test-support/servers.js';
import { startWidgetSite } from '../../../test-support/widget-site.js';

// Messages that change, in the script-tag bundle as a user embeds it: edit, delete, reactions,
// replies and mentions, between two people, from the keyboard, with axe-core on every new state.

const startSite = (options: ChatServerOptions = {}) => startWidgetSite(options, { sidebarWidth: 360, waitForLog: true });

const widget = (page: Page) => page.locator('chat-room');
/** axe-core (WCAG 2.1 A and AA) finds nothing in the widget in the state named by `state`. */
async function expectAccessible(page: Page, state: string) {
  expect(await axeViolations(page), `axe-core in state: ${state}`).toEqual([]);
}
const textarea = (page: Page) => page.locator('chat-room #input');
const texts = (page: Page) => page.locator('chat-room [role=article] .text').allTextContents();
const article = (page: Page, text: string) => page.locator('chat-room [role=article]').filter({ hasText: text });
async function send(page: Page, text: string) {
  await textarea(page).fill(text);
  await textarea(page).press('Enter');
}
/** What has focus inside the widget: its role, label and text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector('chat-room')?.shadowRoot?.activeElement as HTMLElement | null | undefined;
    return {
      role: el?.getAttribute('role') ?? el?.tagName.toLowerCase(),
      label: el?.getAttribute('aria-label') ?? undefined,
      text: (el?.getAttribute('role') === 'article' ? el.querySelector('.text, .gone')?.textContent : el?.textContent)?.trim(),
    };
  });
/** Whether the focused element in the widget is wholly inside the message list's view. */
const focusedInView = (page: Page) =>
  page.evaluate(() => {
    const root = document.querySelector('chat-room')!.shadowRoot!;
    const log = root.querySelector('[role=log]')!.getBoundingClientRect();
    const el = (root.activeElement as HTMLElement).getBoundingClientRect();
    return el.top >= log.top && el.bottom <= log.bottom;
  });
/** Until the widget has no render pending and two frames have passed (scroll fixes run after a render). */
const settled = (page: Page) =>
  page.evaluate(async () => {
    const el = document.querySelector('chat-room') as (HTMLElement & { updateComplete: Promise<boolean> }) | null;
    while (el && !(await el.updateComplete));
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  });
/** The widget's DOM events of one type, in order. */
const eventsOf = <T>(page: Page, type: string) =>
  page.evaluate((t) => (window as unknown as { events: Array<[string, T]> }).events.filter(([e]) => e === t).map(([, d]) => d), type);
/** Each reaction chip of the message with `text`: emoji and count, pressed, tooltip. */
const chips = (page: Page, text: string) =>
  article(page, text)
    .locator('[part=reaction]')
    .evaluateAll((els) =>
      els.map((el) => [el.textContent?.replace(/\s+/gu, ' ').trim(), el.getAttribute('aria-pressed'), el.getAttribute('title')]),
    );
function shoot(page: Page, name: string) {
  return screenshot(widget(page), name);
}

describe.skipIf(skipWithoutChromium())('<chat-room> messages that change, in Chromium', () => {
  it('edits and deletes from the keyboard only: both people see the new text, "edited", then the placeholder', async () => {
    const { open } = await startSite({ limits: { maxTextLength: 40 }, ownerOnJoin: true });
    const ana = await open({ room: 'changes', name: 'Ana' });
    const luis = await open({ room: 'changes', name: 'Luis' });
    await send(luis, 'hi Ana');
    await send(ana, 'helo wrld');
    await expect.poll(() => texts(luis)).toEqual(['hi Ana', 'helo wrld']);

    // From the composer, Shift+Tab reaches the log: one tab stop, on the newest message.
    await ana.keyboard.press('Shift+Tab');
    expect(await focused(ana)).toMatchObject({ role: 'article', text: 'helo wrld' });
    await ana.keyboard.press('ArrowUp');
    expect(await focused(ana)).toMatchObject({ role: 'article', text: 'hi Ana' });
    await ana.keyboard.press('Enter'); // another's message: reply, react, report; and delete, as Ana created (owns) the room (ownerOnJoin)
    expect(
      await article(ana, 'hi Ana')
        .locator('.actions button')
        .evaluateAll((b) => b.map((x) => x.getAttribute('aria-label'))),
    ).toEqual(['Reply', 'React', 'Delete', 'Report', 'Reply in thread']);
    await ana.keyboard.press('Escape');
    await ana.keyboard.press('ArrowDown');
    await ana.keyboard.press('Enter');
    expect(await focused(ana)).toMatchObject({ role: 'button', label: 'Reply' });
    await expectAccessible(ana, 'a message with its actions open');
    await ana.keyboard.press('Tab');
    await ana.keyboard.press('Tab');
    expect(await focused(ana)).toMatchObject({ label: 'Edit' });
    await ana.keyboard.press('Enter');
    // The editor, the emoji choice and the questions are a chunk (chat-room.message-tools.js): the first opens once it is in.
    await expect.poll(() => focused(ana)).toMatchObject({ role: 'textarea', label: 'Edit message' });
    await expectAccessible(ana, 'inline edit');
    await shoot(ana, 'widget-edit-light');

    // Refused: the server's reason under the field, the text kept; then saved.
    await ana.keyboard.press('Control+A');
    await ana.keyboard.type('hello world, and a lot more than forty characters');
    await ana.keyboard.press('Enter');
    await expect.poll(() => article(ana, '').locator('[role=alert]').textContent()).toContain('40');
    await expectAccessible(ana, 'inline edit refused by the server');
    await ana.keyboard.press('Control+A');
    await ana.keyboard.type('hello world');
    await ana.keyboard.press('Shift+Enter');
    await ana.keyboard.type('second line');
    await ana.keyboard.press('Enter');
    for (const page of [ana, luis]) {
      await expect.poll(() => texts(page)).toEqual(['hi Ana', 'hello world\nsecond line']);
      expect(await article(page, 'hello world').locator('.edited').textContent()).toBe('(edited)');
    }
    await expect.poll(() => focused(ana)).toMatchObject({ role: 'article', text: 'hello world\nsecond line' });
    const errors = await eventsOf<{ error: { code: string } }>(ana, 'chat-error');
    expect(errors.map((e) => e.error.code)).toEqual(['PAYLOAD_TOO_LARGE']);

    // Escape leaves the edit as it was.
    await ana.keyboard.press('Enter');
    await ana.keyboard.press('Tab');
    await ana.keyboard.press('Tab');
    await ana.keyboard.press('Enter');
    await ana.keyboard.type(' not this');
    await ana.keyboard.press('Escape');
    expect(await focused(ana)).toMatchObject({ role: 'article', text: 'hello world\nsecond line' });

    // Delete asks first; Cancel has focus, Delete is one Shift+Tab away.
    await ana.keyboard.press('Enter');
    for (let i = 0; i < 3; i++) await ana.keyboard.press('Tab');
    expect(await focused(ana)).toMatchObject({ label: 'Delete' });
    await ana.keyboard.press('Enter');
    expect(await focused(ana)).toMatchObject({ role: 'button', text: 'Cancel' });
    expect(await article(ana, 'hello world').locator('.confirm').getAttribute('role')).toBe('group');
    await expectAccessible(ana, 'delete confirmation');
    await shoot(ana, 'widget-delete-light');
    await ana.keyboard.press('Shift+Tab');
    await ana.keyboard.press('Enter');
    for (const page of [ana, luis]) {
      await expect.poll(() => page.locator('chat-room [role=article] .gone').allTextContents()).toEqual(['This message was deleted.']);
      expect(await texts(page)).toEqual(['hi Ana']);
    }
    expect(await focused(ana)).toMatchObject({ role: 'article', text: 'This message was deleted.' });
    await ana.keyboard.press('Enter'); // a deleted message has no actions
    expect(await ana.locator('chat-room [role=article] .actions').count()).toBe(1); // Luis's message only
    await expectAccessible(luis, 'a deleted message and an edited one');
  });

  it('reacts and takes reactions back: counts and who on both pages; the emoji choice from the keyboard', async () => {
    const { open, url } = await startSite();
    const ana = await open({ room: 'react', name: 'Ana' });
    const luis = await open({ room: 'react', name: 'Luis' });
    await send(luis, 'Lunch at 1?');
    await expect.poll(() => texts(ana)).toEqual(['Lunch at 1?']);
    await textarea(ana).focus();
    await ana.keyboard.press('Shift+Tab');
    await ana.keyboard.press('Enter');
    await ana.keyboard.press('Tab');
    expect(await focused(ana)).toMatchObject({ label: 'React' });
    await ana.keyboard.press('Enter');
    await expect.poll(() => focused(ana)).toMatchObject({ role: 'button', text: '👍' }); // once chat-room.message-tools.js is in
    expect(await article(ana, 'Lunch').locator('.emoji-choice').getAttribute('aria-label')).toBe('Choose a reaction');
    await expectAccessible(ana, 'the emoji choice open');
    await shoot(ana, 'widget-emoji-choice-light');
    await ana.keyboard.press('ArrowRight');
    await ana.keyboard.press('Enter'); // ❤️
    await expect.poll(() => chips(ana, 'Lunch')).toEqual([['❤️ 1', 'true', 'You']]);
    await expect.poll(() => chips(luis, 'Lunch')).toEqual([['❤️ 1', 'false', 'Ana']]);
    expect(await focused(ana)).toMatchObject({ role: 'article', text: 'Lunch at 1?' });

    await article(luis, 'Lunch').locator('[part=reaction]').click(); // Luis adds his
    await expect.poll(() => chips(ana, 'Lunch')).toEqual([['❤️ 2', 'true', 'You and Luis']]);
    await expect.poll(() => chips(luis, 'Lunch')).toEqual([['❤️ 2', 'true', 'Ana and You']]);
    // A Node client reacts too; people the widget has no name for are counted.
    const eva = sdkClient(url, { auth: { name: 'Eva' } });
    const room = await eva.join('react');
    const target = room.messages.find((m) => m.text === 'Lunch at 1?')!;
    await room.react(target.id, '👍');
    await room.leave();
    await expect
      .poll(() => chips(ana, 'Lunch'))
      .toEqual([
        ['❤️ 2', 'true', 'You and Luis'],
        ['👍 1', 'false', '1 person'],
      ]);
    await expectAccessible(ana, 'reactions under a message');
    await article(ana, 'Lunch').hover();
    await shoot(ana, 'widget-reactions-light');

    await article(ana, 'Lunch').locator('[part=reaction]').first().click(); // Ana takes hers back
    await expect
      .poll(() => chips(luis, 'Lunch'))
      .toEqual([
        ['❤️ 1', 'true', 'You'],
        ['👍 1', 'false', '1 person'],
      ]);
    await expect
      .poll(() => chips(ana, 'Lunch'))
      .toEqual([
        ['❤️ 1', 'false', 'Luis'],
        ['👍 1', 'false', '1 person'],
      ]);

    // Two quick clicks end where they started: the second is read against the first, not against
    // the state before the first one's answer came (both clicks in one task: no answer and no
    // render between them). One more click then adds hers.
    const thumbs = article(ana, 'Lunch').locator('[part=reaction]').nth(1);
    await thumbs.evaluate((chip: HTMLElement) => {
      chip.click();
      chip.click();
    });
    await thumbs.click();
    const shown = async (page: Page) => (await chips(page, 'Lunch')).map(([text, pressed]) => [text, pressed]);
    await expect
      .poll(() => shown(ana))
      .toEqual([
        ['❤️ 1', 'false'],
        ['👍 2', 'true'],
      ]);
    await expect
      .poll(() => shown(luis))
      .toEqual([
        ['❤️ 1', 'true'],
        ['👍 2', 'false'],
      ]);
  });

  it('replies with the action and a quote above the composer; a quote click shows an old original, loading history', async () => {
    const { open, chat } = await startSite({ limits: { defaultHistoryPage: 20 } });
    const bot = { id: 'bot', name: 'Bot' };
    const first = await chat.sendMessage('reply', { user: bot, text: 'm1: the very first message' });
    for (let i = 2; i <= 60; i++) await chat.sendMessage('reply', { user: bot, text: `m${i}` });
    await chat.sendMessage('reply', { user: { id: 'eva', name: 'Eva' }, text: 'about the first one', replyTo: first.id });
    const ana = await open({ room: 'reply', name: 'Ana' });
    await expect.poll(() => ana.locator('chat-room [role=article]').count()).toBe(20);

    await article(ana, 'm60').hover();
    await article(ana, 'm60').getByRole('button', { name: 'Reply', exact: true }).click();
    const preview = ana.locator('chat-room [part=reply-preview]');
    await expect.poll(() => preview.locator('span').textContent()).toBe('Replying to Bot: m60');
    expect(await focused(ana)).toMatchObject({ role: 'textarea' });
    await expectAccessible(ana, 'replying: the quote above the composer');
    await shoot(ana, 'widget-reply-light');
    await ana.keyboard.type('sounds good');
    await ana.keyboard.press('Enter');
    await expect.poll(() => article(ana, 'sounds good').locator('[part=reply]').textContent()).toContain('in reply to Bot: m60');
    expect(await preview.count()).toBe(0);

    // The first message is two pages back: the quote loads until it is there, then shows it.
    const quote = article(ana, 'about the first one').locator('[part=reply]');
    expect((await quote.textContent())?.trim()).toBe('in reply to an earlier message');
    await quote.click();
    await expect.poll(() => focused(ana), { timeout: 15_000 }).toMatchObject({ role: 'article', text: 'm1: the very first message' });
    expect(await focusedInView(ana)).toBe(true);
    expect((await quote.textContent())?.trim()).toBe('in reply to Bot: m1: the very first message');

    // A reply to a message deleted later says that it answered a deleted message.
    await chat.deleteMessage('reply', first.id);
    await expect.poll(async () => (await quote.textContent())?.trim()).toBe('in reply to a deleted message');
    await expectAccessible(ana, 'a reply to a deleted message');
  });

  it('a quote click shows an original more than 150 messages back (past what the list draws at first)', async () => {
    const { open, chat } = await startSite({ limits: { defaultHistoryPage: 100 } });
    const bot = { id: 'bot', name: 'Bot' };
    const first = await chat.sendMessage('far', { user: bot, text: 'm1: the very first message' });
    for (let i = 2; i <= 200; i++) await chat.sendMessage('far', { user: bot, text: `m${i}` });
    await chat.sendMessage('far', { user: { id: 'eva', name: 'Eva' }, text: 'about the first one', replyTo: first.id });
    const ana = await open({ room: 'far', name: 'Ana' });
    await expect.poll(() => ana.locator('chat-room [role=article]').count()).toBe(100);

    await article(ana, 'about the first one').locator('[part=reply]').click();
    await expect.poll(() => focused(ana), { timeout: 15_000 }).toMatchObject({ role: 'article', text: 'm1: the very first message' });
    // The original is on screen, not only focused: the list does not scroll back to where it was.
    const inView = () => focusedInView(ana);
    expect(await inView()).toBe(true);
    // Still there once what the focus set off has rendered: the list does not go back.
    await settled(ana);
    expect(await inView()).toBe(true);
  });

  it('a message deleted while you are in its controls: focus goes back to it (its placeholder), not to the page', async () => {
    const { open, chat } = await startSite();
    const ana = await open({ room: 'gone', name: 'Ana' });
    await send(ana, 'first');
    await send(ana, 'second');
    const luis = await open({ room: 'gone', name: 'Luis' });
    await expect.poll(() => texts(luis)).toEqual(['first', 'second']);
    await article(luis, 'second').focus();
    await luis.keyboard.press('Enter');
    await luis.keyboard.press('Tab');
    await luis.keyboard.press('Enter'); // React: the emoji choice, once chat-room.message-tools.js is in
    await expect.poll(() => focused(luis)).toMatchObject({ role: 'button', text: '👍' });
    await chat.deleteMessage('gone', (await article(luis, 'second').getAttribute('data-id'))!);
    await expect.poll(() => focused(luis)).toMatchObject({ role: 'article', text: 'This message was deleted.' });
    await luis.keyboard.press('ArrowUp');
    expect(await focused(luis)).toMatchObject({ role: 'article', text: 'first' });
  });

  it('Home, Page Up and Up in the log show the message they focus (the list does not stay at the bottom)', async () => {
    const { open, chat } = await startSite();
    const bot = { id: 'bot', name: 'Bot' };
    for (let i = 1; i <= 40; i++) await chat.sendMessage('keys', { user: bot, text: `m${i}` });
    const ana = await open({ room: 'keys', name: 'Ana' });
    await expect.poll(() => ana.locator('chat-room [role=article]').count()).toBe(40);
    const inView = () => focusedInView(ana);
    await textarea(ana).focus();
    await ana.keyboard.press('Shift+Tab');
    expect(await focused(ana)).toMatchObject({ role: 'article', text: 'm40' });
    await ana.keyboard.press('Home');
    expect(await focused(ana)).toMatchObject({ role: 'article', text: 'm1' });
    await expect.poll(inView).toBe(true);
    await ana.keyboard.press('End');
    await expect.poll(inView).toBe(true);
    await ana.keyboard.press('PageUp');
    await expect.poll(inView).toBe(true);
    for (let i = 0; i < 12; i++) await ana.keyboard.press('ArrowUp');
    await expect.poll(inView).toBe(true);
    // Still there once what the focus set off has rendered: the list does not go back.
    await settled(ana);
    expect(await inView()).toBe(true);
  });

  it('@ offers the people here; the mention is highlighted for the one mentioned and counted apart in chat-unread', async () => {
    const { open, chat } = await startSite();
    const luis = await open({ room: 'mention', name: 'Luis' });
    await open({ room: 'mention', name: 'Lucía' });
    const ana = await open({ room: 'mention', name: 'Ana' });
    await expect.poll(() => widget(ana).getByRole('button', { name: '3 here' }).count()).toBe(1);
    // Luis looks elsewhere: what arrives counts as unread.
    await luis.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      document.dispatchEvent(new Event('visibilitychange'));
    });

    await textarea(ana).focus();
    // The suggestion lists are chat-room.pickers.js, fetched by the first `@`, not before.
    expect(await fetchedScripts(ana)).toEqual(['/chat-room.min.js']);
    await ana.keyboard.type('lunch @lu');
    const options = () => ana.locator('chat-room [role=option]').allTextContents();
    await expect.poll(options).toEqual(['Lucía', 'Luis'].map((n) => expect.stringContaining(n)));
    expect(await fetchedScripts(ana)).toEqual(['/chat-room.min.js', '/chat-room.pickers.js']);
    expect(await textarea(ana).getAttribute('aria-activedescendant')).toBe('mention-0');
    await expectAccessible(ana, 'the mention picker open');
    await shoot(ana, 'widget-mention-light');
    await ana.keyboard.press('ArrowDown');
    await ana.keyboard.press('Enter');
    expect(await textarea(ana).inputValue()).toBe('lunch @Luis ');
    await ana.keyboard.type('at 1?');
    await ana.keyboard.press('Enter');
    await send(ana, 'and a message that mentions nobody');

    await expect.poll(() => texts(luis)).toEqual(['lunch @Luis at 1?', 'and a message that mentions nobody']);
    const mentioned = article(luis, 'lunch');
    expect(await mentioned.getAttribute('class')).toContain('mentioned');
    expect(await mentioned.locator('mark').allTextContents()).toEqual(['@Luis']);
    expect(await mentioned.locator('.visually-hidden').textContent()).toBe('Mentions you');
    expect(await article(ana, 'lunch').locator('mark').count()).toBe(0); // highlighted only for Luis
    const unread = () =>
      eventsOf<{ count: number; mentions: number }>(luis, 'chat-unread').then((all) =>
        all.map(({ count, mentions }) => ({ count, mentions })),
      );
    await expect.poll(unread).toEqual([
      { count: 1, mentions: 1 },
      { count: 2, mentions: 1 },
    ]);
    const { messages: stored } = await chat.store.listMessages('mention', { limit: 10 });
    const luisId = await widget(luis).evaluate((el) => (el as HTMLElement & { chatRoom?: { self?: { id: string } } }).chatRoom?.self?.id);
    expect(stored.find((m) => m.text === 'lunch @Luis at 1?')?.mentions).toEqual([luisId]);
    expect(stored.find((m) => m.text.startsWith('and a message'))?.mentions ?? []).toEqual([]);
    await expectAccessible(luis, 'a message that mentions you');
    await shoot(luis, 'widget-mentioned-light');
    await luis.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await expect.poll(unread).toHaveLength(3);
    expect((await unread())[2]).toEqual({ count: 0, mentions: 0 });
  }, 60_000);

  for (const theme of ['light', 'dark'] as const) {
    it(`message actions and reactions in the ${theme} theme, in Spanish: axe-core and a screenshot`, async () => {
      const { open } = await startSite();
      const luis = await open({ room: `t-${theme}`, name: 'Luis', theme, lang: 'es' });
      const ana = await open({ room: `t-${theme}`, name: 'Ana', theme, lang: 'es' });
      await send(luis, '@Ana ¿comemos a la 1?');
      await send(ana, 'Sí, perfecto');
      await expect.poll(() => texts(ana)).toHaveLength(2);
      for (const [page, text, emoji] of [
        [ana, '¿comemos', '👍'],
        [luis, '¿comemos', '🎉'],
        [luis, 'Sí', '❤️'],
      ] as const) {
        await article(page, text).hover();
        await article(page, text).getByRole('button', { name: 'Reaccionar' }).click();
        await article(page, text).getByRole('button', { name: emoji }).click();
      }
      await expect
        .poll(() => chips(ana, '¿comemos'))
        .toEqual([
          ['👍 1', 'true', 'Tú'],
          ['🎉 1', 'false', 'Luis'],
        ]);
      await article(ana, 'Sí').hover();
      expect(await article(ana, 'Sí').getByRole('group', { name: 'Acciones del mensaje' }).isVisible()).toBe(true);
      await expectAccessible(ana, `actions on hover and reactions, ${theme}, es`);
      await shoot(ana, `widget-actions-${theme}`);
    });
  }
});
