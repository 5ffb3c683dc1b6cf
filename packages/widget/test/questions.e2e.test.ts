import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { questions } from '@chat/server';
import { axeViolations, fetchedScripts, screenshot, skipWithoutChromium } from '../../../test-support/browser.js';
import { sdkClient } from '../../../test-support/servers.js';
import { startWidgetSite } from '../../../test-support/widget-site.js';

// The Questions tab in the widget (#46): a toggle above the log where the server offers questions,
// its panel (ask, the open questions by upvotes, your upvotes pressed, the answered ones apart), a
// moderator's "Mark answered" and "Hide", all live; chat-room.questions.js only where the server
// has questions, never in a direct conversation; "Show more questions" past the list's first page.

const el = (page: Page, selector: string) => page.locator(`chat-room ${selector}`);
const item = (page: Page, text: string) => el(page, '.q-item').filter({ hasText: text });
const upvote = (page: Page, text: string) => item(page, text).locator('.q-up');
/** The open questions' texts, in order, and the answered ones'. */
const open = (page: Page) => el(page, '.q-ask + .q-list .q-text').allTextContents();
const answered = (page: Page) => el(page, '.q-answered + .q-list .q-text').allTextContents();
/** The texts of the messages in the log. */
const logTexts = (page: Page) => el(page, '[role=log] .message .text').allTextContents();
/** An upvote toggle as a screen reader says it: its name (its only text a screen reader reads) and whether it is pressed. */
const toggle = async (page: Page, text: string) => ({
  name: await upvote(page, text).locator('.visually-hidden').textContent(),
  pressed: await upvote(page, text).getAttribute('aria-pressed'),
});
/** The text of what has focus inside the widget. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const active = document.querySelector('chat-room')?.shadowRoot?.activeElement;
    return `${active?.className ?? ''}: ${active?.closest('.q-item')?.querySelector('.q-text')?.textContent ?? ''}`;
  });
/** The texts of the questions waiting for approval that the page lists, and of the questions it lists as any. */
const waiting = (page: Page) => el(page, '.q-wait .q-text').allTextContents();
const listed = (page: Page) => el(page, '.q-item:not(.q-wait) .q-text').allTextContents();
/** How many questions wait for approval in the page's room, as its SDK knows. */
const pendingCount = (page: Page) =>
  page.evaluate(
    () =>
      (document.querySelector('chat-room') as { chatRoom?: { questions: { pendingCount: number } } } | null)?.chatRoom?.questions
        .pendingCount,
  );
/** Every text in the widget. */
const shownText = (page: Page) => page.evaluate(() => document.querySelector('chat-room')?.shadowRoot?.textContent ?? '');
/** The text of what describes an element (its `aria-describedby`). */
const described = async (page: Page, locator: Locator) =>
  el(page, `#${(await locator.getAttribute('aria-describedby')) ?? ''}`).textContent();
async function expectAccessible(page: Page, state: string) {
  expect(await axeViolations(page), `axe-core in state: ${state}`).toEqual([]);
}

const RECORDING = 'Will there be a recording?';
const SLIDES = 'Where are the slides?';

describe.skipIf(skipWithoutChromium())('<chat-room> questions, in Chromium', { timeout: 60_000 }, () => {
  it('asks, upvotes live and by keyboard, sorts by upvotes; a moderator marks answered and hides', async () => {
    const site = await startWidgetSite({ ownerOnJoin: true, plugins: [questions()] }, { waitForLog: true });
    const host = await site.open({ room: 'townhall', name: 'Host' }); // the first to join owns the room
    const ana = await site.open({ room: 'townhall', name: 'Ana' });

    // The toggle, closed; the panel opens with focus in the text box.
    const tab = el(ana, '.q-tab');
    await expect.poll(() => tab.count()).toBe(1);
    expect(await fetchedScripts(ana)).toContain('/chat-room.questions.js');
    expect(await tab.getAttribute('aria-expanded')).toBe('false');
    await tab.click();
    expect(await tab.getAttribute('aria-expanded')).toBe('true');
    const panel = ana.getByRole('region', { name: 'Questions' });
    await expect.poll(() => panel.textContent()).toContain('No questions yet.');
    await expect.poll(() => focused(ana)).toBe(': ');
    expect(await ana.evaluate(() => document.querySelector('chat-room')?.shadowRoot?.activeElement?.id)).toBe('q-input');
    await expectAccessible(ana, 'the Questions panel, empty');

    // An empty question is refused with a sentence.
    await panel.getByRole('button', { name: 'Ask' }).click();
    await expect.poll(() => panel.getByRole('alert').textContent()).toBe('Write your question first.');
    expect(await panel.getByLabel('Your question').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(ana, 'an empty question refused');

    // Ana asks (Enter); Luis asks from the SDK: both show, the first asked first at no upvotes (the server's order).
    await panel.getByLabel('Your question').fill(RECORDING);
    await panel.getByLabel('Your question').press('Enter');
    await expect.poll(() => open(ana)).toEqual([RECORDING]);
    expect(await panel.getByRole('alert').count()).toBe(0);
    expect(await panel.getByLabel('Your question').inputValue()).toBe('');
    const luis = await sdkClient(site.url, { auth: { name: 'Luis' } }).join('townhall');
    const eva = await sdkClient(site.url, { auth: { name: 'Eva' } }).join('townhall');
    await luis.questions.ask(SLIDES);
    await expect.poll(() => open(ana)).toEqual([RECORDING, SLIDES]);
    expect(await toggle(ana, SLIDES)).toEqual({ name: 'Upvote (0 upvotes)', pressed: 'false' });
    expect(await item(ana, SLIDES).textContent()).toContain('Luis');
    // Her own question names her as the log does.
    expect(await item(ana, RECORDING).locator('bdi').textContent()).toBe('You');

    // Luis upvotes Ana's question: its count moves live.
    const listed = await luis.questions.list();
    const [recording, slides] = [RECORDING, SLIDES].map((text) => listed.find((m) => m.text === text)?.id ?? '');
    expect(await luis.questions.upvote(recording ?? '')).toBe(true);
    await expect.poll(() => toggle(ana, RECORDING)).toEqual({ name: 'Upvote (1 upvote)', pressed: 'false' });
    expect(await open(ana)).toEqual([RECORDING, SLIDES]);

    // Ana upvotes the slides with the keyboard: Tab from the text box past Ask and the first toggle, then Space.
    await panel.getByLabel('Your question').focus();
    for (let i = 0; i < 3; i++) await ana.keyboard.press('Tab');
    expect(await focused(ana)).toBe(`q-up: ${SLIDES}`);
    await ana.keyboard.press('Space');
    await expect.poll(() => toggle(ana, SLIDES)).toEqual({ name: 'Upvote (1 upvote)', pressed: 'true' });
    expect(await open(ana)).toEqual([RECORDING, SLIDES]); // as many upvotes: the first asked first
    expect(await item(ana, SLIDES).getByRole('button', { name: 'Upvote (1 upvote)', pressed: true, exact: true }).count()).toBe(1);
    await expectAccessible(ana, 'your upvote pressed');
    // Eva's upvote puts the slides ahead: focus stays on it as it moves.
    await eva.questions.upvote(slides ?? '');
    await expect.poll(() => open(ana)).toEqual([SLIDES, RECORDING]);
    expect(await focused(ana)).toBe(`q-up: ${SLIDES}`);
    // Enter takes Ana's back: as many upvotes again, the recording first, focus still on the slides.
    await ana.keyboard.press('Enter');
    await expect.poll(() => toggle(ana, SLIDES)).toEqual({ name: 'Upvote (1 upvote)', pressed: 'false' });
    await expect.poll(() => open(ana)).toEqual([RECORDING, SLIDES]);
    expect(await focused(ana)).toBe(`q-up: ${SLIDES}`);
    // Eva's upvote puts the recording ahead; Space upvotes the slides again.
    await eva.questions.upvote(recording ?? '');
    await expect.poll(() => toggle(ana, RECORDING)).toEqual({ name: 'Upvote (2 upvotes)', pressed: 'false' });
    await upvote(ana, SLIDES).focus();
    await ana.keyboard.press('Space');
    await expect.poll(() => toggle(ana, SLIDES)).toEqual({ name: 'Upvote (2 upvotes)', pressed: 'true' });
    expect(await open(ana)).toEqual([RECORDING, SLIDES]);
    expect(await tab.textContent()).toContain('Questions (2)');

    // The moderator sees the buttons (a reader none) and marks the recording answered: apart on Ana's page.
    await el(host, '.q-tab').click();
    await expect.poll(() => open(host)).toEqual([RECORDING, SLIDES]);
    expect(await panel.getByRole('button', { name: /Mark answered|Hide/ }).count()).toBe(0);
    await expectAccessible(host, 'the moderator’s panel');
    await item(host, RECORDING).getByRole('button', { name: 'Mark answered' }).click();
    await expect.poll(() => answered(ana)).toEqual([RECORDING]);
    expect(await open(ana)).toEqual([SLIDES]);
    expect(await panel.getByRole('heading', { name: 'Answered' }).count()).toBe(1);
    await expect.poll(() => tab.textContent()).toContain('Questions (1)');
    await expect.poll(() => item(host, RECORDING).getByRole('button', { name: 'Mark not answered' }).count()).toBe(1);
    await expectAccessible(ana, 'a question answered, apart');

    // Hidden: gone for Ana, marked for the moderator, who shows it again.
    await item(host, SLIDES).getByRole('button', { name: 'Hide' }).click();
    await expect.poll(() => open(ana)).toEqual([]);
    // Out of Ana's log too; the moderator's log keeps it.
    await expect.poll(() => logTexts(ana)).not.toContain(SLIDES);
    expect(await logTexts(host)).toContain(SLIDES);
    await expect.poll(() => item(host, SLIDES).textContent()).toContain('Hidden');
    expect(await open(host)).toEqual([SLIDES]);
    expect(await item(host, SLIDES).getByRole('button', { name: 'Show again' }).count()).toBe(1);
    await expectAccessible(host, 'a question hidden, marked for the moderator');
    await screenshot(el(host, '').first(), 'widget-questions-moderator');
    await host.emulateMedia({ colorScheme: 'dark' });
    await expectAccessible(host, 'a question hidden, marked for the moderator, dark');
    await screenshot(el(host, '').first(), 'widget-questions-moderator-dark');
    await item(host, SLIDES).getByRole('button', { name: 'Show again' }).click();
    await expect.poll(() => open(ana)).toEqual([SLIDES]);
    await expect.poll(() => logTexts(ana)).toContain(SLIDES);
    expect(await toggle(ana, SLIDES)).toEqual({ name: 'Upvote (2 upvotes)', pressed: 'true' });

    // A question is text, never markup; Escape closes the panel with focus back on the toggle.
    await panel.getByLabel('Your question').fill('<img src=x onerror=alert(1)> and <b>bold</b>?');
    await panel.getByRole('button', { name: 'Ask' }).click();
    await expect.poll(() => open(ana)).toContain('<img src=x onerror=alert(1)> and <b>bold</b>?');
    expect(await panel.locator('.q-list img, .q-list b:not(.q-mark)').count()).toBe(0);
    await ana.keyboard.press('Escape');
    await expect.poll(() => panel.count()).toBe(0);
    expect(await tab.getAttribute('aria-expanded')).toBe('false');
    expect(await focused(ana)).toBe('q-tab: ');
  });

  it('in Spanish, beside the log in a wide widget', async () => {
    const site = await startWidgetSite({ plugins: [questions()] }, { waitForLog: true, sidebarWidth: 640 });
    const ana = await site.open({ room: 'charla', name: 'Ana', lang: 'es' }, 700);
    const luis = await sdkClient(site.url, { auth: { name: 'Luis' } }).join('charla');
    await luis.questions.ask('¿Habrá grabación?');
    const tab = el(ana, '.q-tab');
    await expect.poll(() => tab.textContent()).toContain('Preguntas (1)');
    await tab.click();
    const panel = ana.getByRole('region', { name: 'Preguntas' });
    await expect.poll(() => open(ana)).toEqual(['¿Habrá grabación?']);
    await panel.getByLabel('Tu pregunta').fill('¿Dónde están las diapositivas?');
    await panel.getByRole('button', { name: 'Preguntar' }).click();
    await expect.poll(() => open(ana)).toEqual(['¿Habrá grabación?', '¿Dónde están las diapositivas?']);
    await upvote(ana, '¿Habrá grabación?').click();
    await expect.poll(() => toggle(ana, '¿Habrá grabación?')).toEqual({ name: 'Apoyar (1 voto)', pressed: 'true' });
    await expect.poll(() => open(ana)).toEqual(['¿Habrá grabación?', '¿Dónde están las diapositivas?']);
    // The log is still there beside the panel.
    expect(await el(ana, '[role=log]').isVisible()).toBe(true);
    expect((await el(ana, '[role=log]').boundingBox())?.width).toBeGreaterThan(200);
    await panel.getByLabel('Tu pregunta').fill(' ');
    await panel.getByRole('button', { name: 'Preguntar' }).click();
    await expect.poll(() => panel.getByRole('alert').textContent()).toBe('Escribe primero tu pregunta.');
    await expectAccessible(ana, 'the panel in Spanish, an upvote on, a blank question refused');
    await screenshot(el(ana, '').first(), 'widget-questions-es', { docs: true });
  });

  it('where questions wait for approval: the asker sees theirs waiting, a moderator approves and rejects', async () => {
    const site = await startWidgetSite({ ownerOnJoin: true, plugins: [questions({ approval: true })] }, { waitForLog: true });
    const host = await site.open({ room: 'townhall', name: 'Host' }); // the first to join owns the room
    const ana = await site.open({ room: 'townhall', name: 'Ana' });
    const luis = await site.open({ room: 'townhall', name: 'Luis' });
    for (const page of [host, ana, luis]) {
      await expect.poll(() => el(page, '.q-tab').count()).toBe(1);
      await el(page, '.q-tab').click();
    }
    const panel = ana.getByRole('region', { name: 'Questions' });
    const review = (page: Page) => page.getByRole('heading', { name: /^Waiting for approval/ });

    // Ana asks: the box clears, a polite note says it waits; hers shows apart, marked, no upvote.
    await panel.getByLabel('Your question').fill(RECORDING);
    await panel.getByRole('button', { name: 'Ask' }).click();
    await expect.poll(() => panel.getByRole('status').textContent()).toBe('Sent. It shows here once a moderator approves it.');
    expect(await panel.getByLabel('Your question').inputValue()).toBe('');
    await expect.poll(() => waiting(ana)).toEqual([RECORDING]);
    expect(await review(ana).textContent()).toBe('Waiting for approval');
    expect(await item(ana, RECORDING).textContent()).toContain('Not public yet');
    expect(await item(ana, RECORDING).getByRole('button').count()).toBe(0);
    expect(await listed(ana)).toEqual([]);
    await expectAccessible(ana, 'your question waiting for approval');

    // Luis learns the count only: the text is nowhere on his page.
    await expect.poll(() => pendingCount(luis)).toBe(1);
    expect(await shownText(luis)).not.toContain(RECORDING);
    expect(await review(luis).count()).toBe(0);

    // The moderator sees it with who asked, and approves it: a question like any for everyone.
    await expect.poll(() => review(host).textContent()).toBe('Waiting for approval (1)');
    await expect.poll(() => waiting(host)).toEqual([RECORDING]);
    expect(await item(host, RECORDING).textContent()).toContain('Ana');
    const approve = item(host, RECORDING).getByRole('button', { name: 'Approve', exact: true });
    expect(await described(host, approve)).toBe(RECORDING);
    expect(await described(host, item(host, RECORDING).getByRole('button', { name: 'Reject', exact: true }))).toBe(RECORDING);
    await expectAccessible(host, 'the moderator’s questions waiting for approval');
    await screenshot(el(host, '').first(), 'widget-questions-approval-moderator');
    await approve.click();
    for (const page of [host, ana, luis]) await expect.poll(() => listed(page)).toEqual([RECORDING]);
    await expect.poll(() => waiting(ana)).toEqual([]);
    expect(await review(ana).count()).toBe(0);
    await expect.poll(() => review(host).count()).toBe(0);
    // The last one reviewed: focus goes back to the text box (the review's answer may come after the room's news).
    await expect.poll(() => host.evaluate(() => document.querySelector('chat-room')?.shadowRoot?.activeElement?.id)).toBe('q-input');
    expect(await toggle(luis, RECORDING)).toEqual({ name: 'Upvote (0 upvotes)', pressed: 'false' });

    // Ana asks again; the moderator rejects it: gone from her waiting ones, never shown to anyone.
    await panel.getByLabel('Your question').fill(SLIDES);
    await panel.getByLabel('Your question').press('Enter');
    await expect.poll(() => waiting(ana)).toEqual([SLIDES]);
    await expect.poll(() => waiting(host)).toEqual([SLIDES]);
    await item(host, SLIDES).getByRole('button', { name: 'Reject', exact: true }).click();
    await expect.poll(() => waiting(ana)).toEqual([]);
    await expect.poll(() => review(host).count()).toBe(0);
    await expect.poll(() => pendingCount(luis)).toBe(0);
    for (const page of [host, ana, luis]) expect(await listed(page)).toEqual([RECORDING]);
    expect(await shownText(luis)).not.toContain(SLIDES);
  });

  it('no Questions tab in a direct conversation, and nothing of questions fetched for one', async () => {
    const names: Record<string, string> = { ana: 'Ana', luis: 'Luis' };
    const authenticate = ({ auth }: { auth: Record<string, unknown> }) => {
      const id = String(auth['token']);
      return { id, name: names[id] ?? id };
    };
    const site = await startWidgetSite({ authenticate, plugins: [questions()] }, { waitForLog: true });
    const dm = await site.chat.openDirectRoom([
      { id: 'ana', name: 'Ana' },
      { id: 'luis', name: 'Luis' },
    ]);
    await site.chat.sendMessage(dm.id, { user: { id: 'luis', name: 'Luis' }, text: 'Hola, Ana' });

    // A widget whose room is the direct one: its join answer lists no questions, so no toggle and no chunk.
    const direct = await site.open({ room: dm.id, token: 'ana' });
    await expect.poll(() => logTexts(direct)).toEqual(['Hola, Ana']);
    expect(await el(direct, '.q-tab').count()).toBe(0);
    expect(await fetchedScripts(direct)).not.toContain('/chat-room.questions.js');
    const available = () =>
      direct.evaluate(
        () =>
          (document.querySelector('chat-room') as { chatRoom?: { questions: { available: boolean } } } | null)?.chatRoom?.questions
            .available,
      );
    expect(await available()).toBe(false);
    await expectAccessible(direct, 'a direct conversation, no Questions tab');

    // In a room with questions, the tab is there; "Message privately" opens the direct room in its
    // place: no tab there; back in the room, the tab again.
    const ana = await site.open({ room: 'townhall', token: 'ana' });
    await site.open({ room: 'townhall', token: 'luis' });
    await expect.poll(() => el(ana, '.q-tab').count()).toBe(1);
    await ana
      .locator('chat-room')
      .getByRole('button', { name: /^2 here/u })
      .click();
    await el(ana, '#members .person[aria-expanded]').filter({ hasText: 'Luis' }).click();
    await ana.locator('chat-room .card').getByRole('button', { name: 'Message privately' }).click();
    await expect.poll(() => el(ana, 'header h2').textContent()).toBe('Luis');
    await expect.poll(() => logTexts(ana)).toEqual(['Hola, Ana']);
    expect(await el(ana, '.q-tab').count()).toBe(0);
    expect(await el(ana, '#questions').count()).toBe(0);
    await expectAccessible(ana, 'a private conversation opened from a room with questions, no Questions tab');
    await ana.locator('chat-room').getByRole('button', { name: 'Back to townhall' }).click();
    await expect.poll(() => el(ana, '.q-tab').count()).toBe(1);
  });

  it('reaches the 101st question with "Show more questions", said politely, focus on the first one it added', async () => {
    // Seeded from the SDK, in order, by 7 people (each within their message budget).
    const site = await startWidgetSite({ plugins: [questions()] }, { waitForLog: true });
    const askers = await Promise.all(
      Array.from({ length: 7 }, (_, i) => sdkClient(site.url, { auth: { name: `Asker ${i + 1}` } }).join('townhall')),
    );
    const texts = Array.from({ length: 101 }, (_, i) => `Question ${i + 1}?`);
    for (const [i, text] of texts.entries()) await askers[i % askers.length]?.questions.ask(text);
    // The log's last page (what a join brings) holds none of them: the widget knows them from its list only.
    for (let i = 0; i < 50; i++) await site.chat.sendMessage('townhall', { user: { id: 'host', name: 'Host' }, text: `chat ${i + 1}` });

    const ana = await site.open({ room: 'townhall', name: 'Ana' });
    const tab = el(ana, '.q-tab');
    await expect.poll(() => tab.count()).toBe(1);
    await tab.click();
    const panel = ana.getByRole('region', { name: 'Questions' });
    // A page of 100, by upvotes and then the first asked first, as the server lists them.
    await expect.poll(() => open(ana).then((shown) => shown.length)).toBe(100);
    expect(await open(ana)).toEqual(texts.slice(0, 100));
    const more = panel.getByRole('button', { name: 'Show more questions' });
    expect(await more.count()).toBe(1);
    // At the end of the open questions.
    expect(await el(ana, '.q-ask + .q-list + .q-more').count()).toBe(1);
    const said = el(ana, '.questions p.visually-hidden[role=status]');
    expect(await said.textContent()).toBe('');
    await expectAccessible(ana, 'a full page of questions, with "Show more questions"');
    await more.scrollIntoViewIfNeeded();
    await screenshot(el(ana, '').first(), 'widget-questions-show-more');

    // From the keyboard: the 101st comes at the end, focus on it, and how many came is said.
    await more.focus();
    await ana.keyboard.press('Enter');
    await expect.poll(() => open(ana)).toEqual(texts);
    await expect.poll(() => focused(ana)).toBe('q-up: Question 101?');
    expect(await said.textContent()).toBe('1 more question shown.');
    // The page was not full: the room has no more, and the button is gone.
    expect(await more.count()).toBe(0);
    await expectAccessible(ana, 'the 101st question shown, said politely');
    await screenshot(el(ana, '').first(), 'widget-questions-show-more-done');
  });

  it('fetches nothing of questions where the server offers none', async () => {
    const { open: openPage } = await startWidgetSite({}, { waitForLog: true });
    const page = await openPage({ room: 'lobby', name: 'Host' });
    await el(page, '#input').fill('Hello');
    await el(page, '#input').press('Enter');
    await expect.poll(() => page.locator('chat-room [role=article]').filter({ hasText: 'Hello' }).count()).toBe(1);
    expect(await el(page, '.q-tab').count()).toBe(0);
    expect(await fetchedScripts(page)).not.toContain('/chat-room.questions.js');
  });
});
