import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, fetchedScripts, skipWithoutChromium, screenshot } from '../../../test-support/browser.js';
import { startWidgetSite } from '../../../test-support/widget-site.js';

// Threads in the script-tag bundle as a user embeds it, in a 340 px sidebar: "Reply in thread"
// from the keyboard, the panel (a lazy chunk) with its own composer, the reply count changing in
// another person's widget, Escape back to where focus was, English and Spanish, axe-core on each state.

const widget = (page: Page) => page.locator('chat-room');
const panel = (page: Page) => page.locator('chat-room [part=thread]');
const replies = async (page: Page) => (await page.locator('chat-room .thread-log li .said').allTextContents()).map((t) => t.trim());
const texts = (page: Page) => page.locator('chat-room [role=article] .text').allTextContents();
/** The reply counts under messages, without their unread badges. */
const count = (page: Page) =>
  page.locator('chat-room [part=thread-count]').evaluateAll((buttons) =>
    buttons.map((b) =>
      Array.from(b.childNodes)
        .filter((n) => n.nodeType === Node.TEXT_NODE || (n instanceof Element && !n.matches('.badge')))
        .map((n) => n.textContent)
        .join('')
        .trim(),
    ),
  );
/** The unread badges on the reply counts: what they show, and what a screen reader hears. */
const badges = (page: Page) => page.locator('chat-room [part=thread-count] .badge').allTextContents();
async function expectAccessible(page: Page, state: string) {
  expect(await axeViolations(page), `axe-core in state: ${state}`).toEqual([]);
}
/** What has focus inside the widget: its role or tag, and its label. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector('chat-room')?.shadowRoot?.activeElement as HTMLElement | null | undefined;
    return { role: el?.getAttribute('role') ?? el?.tagName.toLowerCase(), label: el?.getAttribute('aria-label') ?? undefined };
  });
async function send(page: Page, text: string) {
  await page.locator('chat-room #input').fill(text);
  await page.locator('chat-room #input').press('Enter');
}

describe.skipIf(skipWithoutChromium())('<chat-room> threads, in Chromium', () => {
  it('opens a thread from the keyboard, replies, and the count changes for the other person; Escape closes it', async () => {
    const { open, chat } = await startWidgetSite({}, { sidebarWidth: 340, waitForLog: true });
    const ana = await open({ room: 'threads', name: 'Ana' });
    const luis = await open({ room: 'threads', name: 'Luis' });
    await send(ana, 'Release on Friday?');
    await expect.poll(() => texts(luis)).toEqual(['Release on Friday?']);
    expect(await fetchedScripts(luis)).not.toContain('/chat-room.threads.js');

    // Luis, from the composer: Shift+Tab to the message, Enter for its actions, then "Reply in thread".
    await luis.locator('chat-room #input').focus();
    await luis.keyboard.press('Shift+Tab');
    expect(await focused(luis)).toMatchObject({ role: 'article' });
    await luis.keyboard.press('Enter');
    const labels = await luis
      .locator('chat-room [role=article] .actions button')
      .evaluateAll((b) => b.map((x) => x.getAttribute('aria-label')));
    expect(labels.at(-1)).toBe('Reply in thread');
    for (let i = 1; i < labels.length; i++) await luis.keyboard.press('Tab');
    expect(await focused(luis)).toMatchObject({ role: 'button', label: 'Reply in thread' });
    await luis.keyboard.press('Enter');
    await expect.poll(() => focused(luis)).toEqual({ role: 'textarea', label: 'Reply in thread' });
    expect(await fetchedScripts(luis)).toContain('/chat-room.threads.js');
    expect(await panel(luis).getAttribute('role')).toBe('region');
    await expect.poll(() => panel(luis).locator('.notice').textContent()).toBe('No replies yet. Start the thread.');
    expect(await panel(luis).locator('[role=status]').textContent()).toBe("Thread of Ana's message opened");
    const box = await panel(luis).boundingBox();
    expect(box?.width).toBeLessThanOrEqual(340);
    await expectAccessible(luis, 'an empty thread, open in a 340 px sidebar');

    await luis.keyboard.type('Yes, after the freeze');
    await luis.keyboard.press('Enter');
    await expect.poll(() => replies(luis)).toEqual(['Yes, after the freeze']);
    expect(await focused(luis)).toEqual({ role: 'textarea', label: 'Reply in thread' });
    // The reply is not in the room's log; Ana's widget counts it under the parent.
    expect(await texts(luis)).toEqual(['Release on Friday?']);
    await expect.poll(() => count(ana)).toEqual(['1 reply']);
    await expect.poll(() => count(luis)).toEqual(['1 reply']);
    // Ana wrote the parent: the reply is unread for her (a badge), not for Luis who wrote it.
    await expect.poll(() => badges(ana)).toEqual(['1 1 unread']);
    expect(await badges(luis)).toEqual([]);
    expect(await texts(ana)).toEqual(['Release on Friday?']);

    // Ana opens it with the count, and answers; Luis's panel shows it live (its log announces it).
    await ana.locator('chat-room [part=thread-count]').click();
    await expect.poll(() => replies(ana)).toEqual(['Yes, after the freeze']);
    // Shown in Ana's panel, Luis's reply is read: her mark in the thread moved on the server (every device of hers).
    const [parent] = (await chat.store.listMessages('threads', { limit: 1 })).messages;
    const people = await chat.store.threadParticipants('threads', parent!.id);
    expect(people).toHaveLength(2);
    // Both take part in the thread (listed), and neither has a reply unread.
    const unread = async () =>
      (await Promise.all(people.map((id) => chat.store.threadReads('threads', id, 5)))).flat().filter((t) => t.unread > 0);
    await expect.poll(unread).toEqual([]);
    await ana.keyboard.type('Great, thanks');
    await ana.keyboard.press('Enter');
    await expect.poll(() => replies(luis)).toEqual(['Yes, after the freeze', 'Great, thanks']);
    expect(await panel(luis).locator('[role=log]').getAttribute('aria-live')).toBe('polite');
    await expect.poll(() => count(luis)).toEqual(['2 replies']);
    await expect.poll(() => panel(luis).locator('h3').textContent()).toBe('Thread · 2 replies');
    await expectAccessible(luis, 'a thread with two replies');
    await screenshot(widget(luis), 'widget-thread-light', { docs: true });

    // Escape closes the panel; focus goes back to the message it came from.
    await luis.keyboard.press('Escape');
    await expect.poll(() => panel(luis).count()).toBe(0);
    await expect.poll(() => focused(luis)).toMatchObject({ role: 'article' });
    await expectAccessible(luis, 'the thread closed again');
  }, 60_000);

  it("runs a slash command in the thread, the bot answering there; a thread read on one device clears the other's badge", async () => {
    const authenticate = (handshake: { auth: Record<string, unknown> }) => {
      const id = String(handshake.auth['token']);
      return { id, name: id === 'ana' ? 'Ana' : 'Luis' };
    };
    const { open, chat } = await startWidgetSite({ authenticate }, { sidebarWidth: 340, waitForLog: true });
    const bot = chat.bot({ id: 'crier', name: 'Town Crier' });
    chat.command({
      name: 'shout',
      description: 'Shouts.',
      bot,
      handler: async (ctx) => {
        await ctx.send(ctx.args.toUpperCase());
        ctx.reply(ctx.threadOf === undefined ? 'Shouted in the room.' : 'Shouted in the thread.');
      },
    });
    const phone = await open({ room: 'plans', token: 'ana' });
    const laptop = await open({ room: 'plans', token: 'ana' });
    await send(laptop, 'Release on Friday?');
    await expect.poll(() => texts(phone)).toEqual(['Release on Friday?']);
    const [parent] = (await chat.store.listMessages('plans', { limit: 1 })).messages;
    for (const text of ['Yes', 'After the freeze'])
      await chat.sendMessage('plans', { user: { id: 'luis', name: 'Luis' }, text, threadOf: parent!.id });
    // Both of Ana's devices show the two replies unread.
    await expect.poll(() => badges(phone)).toEqual(['2 2 unread']);
    await expect.poll(() => badges(laptop)).toEqual(['2 2 unread']);
    await expectAccessible(phone, 'a reply count with an unread badge');
    await screenshot(widget(phone), 'widget-thread-badge-light');

    // Read on the laptop: the phone's badge goes, live, without a reload.
    await laptop.locator('chat-room [part=thread-count]').click();
    await expect.poll(() => replies(laptop)).toEqual(['Yes', 'After the freeze']);
    await expect.poll(() => badges(laptop)).toEqual([]);
    await expect.poll(() => badges(phone)).toEqual([]);

    // A command typed in the thread's composer runs in the thread: the bot's answer is a reply, the private line is Ana's alone.
    await laptop.keyboard.type('/shout fire drill');
    await laptop.keyboard.press('Enter');
    await expect.poll(() => replies(laptop)).toEqual(['Yes', 'After the freeze', 'FIRE DRILL']);
    await expect
      .poll(() => panel(laptop).locator('[part=command-reply]').textContent())
      .toBe('Only you can see this Shouted in the thread.');
    expect(await texts(laptop)).toEqual(['Release on Friday?']);
    const thread = await chat.store.listMessages('plans', { threadOf: parent!.id, limit: 10 });
    expect(thread.messages.map((m) => [m.text, m.user.id])).toEqual([
      ['Yes', 'luis'],
      ['After the freeze', 'luis'],
      ['FIRE DRILL', 'crier'],
    ]);
    await expect.poll(() => count(phone)).toEqual(['3 replies']);
    // The bot's reply was shown on the laptop, so it is read on the phone too.
    await expect.poll(() => badges(phone)).toEqual([]);
    await expectAccessible(laptop, "a command's private answer in the thread panel");
    await screenshot(widget(laptop), 'widget-thread-command-light');
  }, 60_000);

  it('in Spanish: the count, the action and the panel', async () => {
    const { open, chat } = await startWidgetSite({}, { sidebarWidth: 340, waitForLog: true });
    const parent = await chat.sendMessage('hilos', { user: { id: 'ana', name: 'Ana' }, text: '¿Salimos el viernes?' });
    for (const text of ['Sí', 'Después del cierre'])
      await chat.sendMessage('hilos', { user: { id: 'luis', name: 'Luis' }, text, threadOf: parent.id });
    const eva = await open({ room: 'hilos', name: 'Eva', lang: 'es' });
    await expect.poll(() => count(eva)).toEqual(['2 respuestas']);
    expect(await texts(eva)).toEqual(['¿Salimos el viernes?']);
    await eva.locator('chat-room [part=message]').first().hover();
    expect(await eva.locator('chat-room .act-thread').getAttribute('aria-label')).toBe('Responder en un hilo');
    await eva.locator('chat-room [part=thread-count]').click();
    await expect.poll(() => replies(eva)).toEqual(['Sí', 'Después del cierre']);
    expect(await panel(eva).locator('h3').textContent()).toBe('Hilo · 2 respuestas');
    expect(await panel(eva).locator('.close-thread').getAttribute('aria-label')).toBe('Cerrar el hilo');
    expect(await focused(eva)).toEqual({ role: 'textarea', label: 'Responder en el hilo' });
    await expectAccessible(eva, 'a thread in Spanish');
    await screenshot(widget(eva), 'widget-thread-es-light');
    await panel(eva).locator('.close-thread').click();
    await expect.poll(() => panel(eva).count()).toBe(0);
  }, 60_000);
});
