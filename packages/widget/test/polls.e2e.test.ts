import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { polls } from '@chat/server';
import { axeViolations, fetchedScripts, screenshot, skipWithoutChromium } from '../../../test-support/browser.js';
import { startWidgetSite } from '../../../test-support/widget-site.js';

// Polls in the widget (#46): "New poll" where the server offers polls, the form, the card under a
// poll's message (bars and numbers, voting with the keyboard, your vote marked, changing it), the
// creator's "Close poll" and the closed state; chat-room.polls.js only where the server has polls.

const el = (page: Page, selector: string) => page.locator(`chat-room ${selector}`);
const article = (page: Page, text: string) => page.locator('chat-room [role=article]').filter({ hasText: text });
const card = (page: Page, question: string) => article(page, question).locator('.poll');
async function expectAccessible(page: Page, state: string) {
  expect(await axeViolations(page), `axe-core in state: ${state}`).toEqual([]);
}
/** Each option's line as it reads: its text, your mark, its votes and share. */
const lines = async (page: Page, question: string) =>
  (await card(page, question).locator('.poll-option').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());

describe.skipIf(skipWithoutChromium())('<chat-room> polls, in Chromium', { timeout: 60_000 }, () => {
  it('posts a poll from the form; two people vote (one with the keyboard); votes change; the creator closes it', async () => {
    const { open } = await startWidgetSite({ plugins: [polls()] }, { waitForLog: true });
    const host = await open({ room: 'townhall', name: 'Host' }, 560);
    const ana = await open({ room: 'townhall', name: 'Ana', lang: 'es' }, 560);

    // The form: a question, three options (one added), then posted.
    const newPoll = el(host, '.poll-new');
    await expect.poll(() => newPoll.count()).toBe(1);
    await newPoll.click();
    expect(await newPoll.getAttribute('aria-expanded')).toBe('true');
    const form = host.getByRole('form', { name: 'New poll' });
    await form.getByLabel('Question').fill('Where shall we meet next?');
    await form.getByLabel('Option 1', { exact: true }).fill('Madrid');
    await form.getByLabel('Option 2', { exact: true }).fill('Lisbon');
    await form.getByRole('button', { name: 'Add an option' }).click();
    await form.getByLabel('Option 3', { exact: true }).fill('Online');
    await expectAccessible(host, 'the New poll form, three options');
    await screenshot(el(host, '').first(), 'widget-poll-form');
    await form.getByRole('button', { name: 'Post poll' }).click();
    await expect.poll(() => form.count()).toBe(0);
    const question = 'Where shall we meet next?';
    await expect.poll(() => card(host, question).count()).toBe(1);
    await expect.poll(() => card(ana, question).count()).toBe(1);
    expect(await lines(host, question)).toEqual(['Madrid 0 votes, 0%', 'Lisbon 0 votes, 0%', 'Online 0 votes, 0%']);
    expect(await fetchedScripts(ana)).toContain('/chat-room.polls.js');
    // People vote on its question: its creator may delete the poll, not edit it.
    expect(await article(host, question).locator('.act-delete').count()).toBe(1);
    expect(await article(host, question).locator('.act-edit').count()).toBe(0);
    await expectAccessible(ana, 'a poll open, in Spanish');

    // Ana votes with the keyboard: to the message, Enter, Tab to the options, arrows, Tab, Enter.
    const anaCard = card(ana, question);
    expect(await anaCard.getByRole('group', { name: 'Encuesta: elige una' }).count()).toBe(1);
    await article(ana, question).focus();
    await ana.keyboard.press('Enter');
    await anaCard.getByRole('radio', { name: /^Madrid/ }).focus();
    await ana.keyboard.press('Space');
    await ana.keyboard.press('ArrowDown');
    expect(await anaCard.getByRole('radio', { name: /^Lisbon/ }).isChecked()).toBe(true);
    await anaCard.getByRole('button', { name: 'Votar' }).focus();
    await ana.keyboard.press('Enter');
    await expect.poll(() => lines(ana, question)).toEqual(['Madrid 0 votos, 0 %', 'Lisbon (tu voto) 1 voto, 100 %', 'Online 0 votos, 0 %']);
    await expect.poll(() => lines(host, question)).toEqual(['Madrid 0 votes, 0%', 'Lisbon 1 vote, 100%', 'Online 0 votes, 0%']);
    expect(await anaCard.getByRole('button', { name: 'Cambiar el voto' }).count()).toBe(1);
    expect(await anaCard.getByRole('button', { name: 'Cerrar la encuesta' }).count()).toBe(0); // not hers to close

    // The host votes by clicks, then changes the vote.
    const hostCard = card(host, question);
    await hostCard.getByRole('radio', { name: /^Madrid/ }).check();
    await hostCard.getByRole('button', { name: 'Vote' }).click();
    await expect.poll(() => lines(host, question)).toEqual(['Madrid (your vote) 1 vote, 50%', 'Lisbon 1 vote, 50%', 'Online 0 votes, 0%']);
    await expectAccessible(host, 'voted');
    await hostCard.getByRole('radio', { name: /^Online/ }).check();
    await hostCard.getByRole('button', { name: 'Change vote' }).click();
    await expect.poll(() => lines(ana, question)).toEqual(['Madrid 0 votos, 0 %', 'Lisbon (tu voto) 1 voto, 50 %', 'Online 1 voto, 50 %']);
    await screenshot(el(host, '').first(), 'widget-poll-voted');

    // The creator closes it: everyone sees "Closed", the inputs are off.
    await hostCard.getByRole('button', { name: 'Close poll' }).click();
    await expect.poll(() => card(ana, question).textContent()).toContain('Cerrada');
    await expect.poll(() => hostCard.textContent()).toContain('Closed');
    expect(await anaCard.getByRole('radio', { name: /^Madrid/ }).isDisabled()).toBe(true);
    expect(await hostCard.getByRole('button', { name: /Vote|Close poll/ }).count()).toBe(0);
    await expectAccessible(host, 'the poll closed');
    await expectAccessible(ana, 'the poll closed, in Spanish');
    await screenshot(el(host, '').first(), 'widget-poll-closed', { docs: true });
  });

  it('a multiple-choice poll takes checkboxes; the question is text, never markup', async () => {
    const { open } = await startWidgetSite({ plugins: [polls()] }, { waitForLog: true });
    const page = await open({ room: 'lobby', name: 'Luis' }, 560);
    await el(page, '.poll-new').click();
    const form = page.getByRole('form', { name: 'New poll' });
    const question = '<img src=x onerror=alert(1)> Which days?';
    await form.getByLabel('Question').fill(question);
    await form.getByLabel('Option 1', { exact: true }).fill('<b>Mon</b>');
    await form.getByLabel('Option 2', { exact: true }).fill('Tue');
    await form.getByRole('checkbox', { name: 'Allow more than one choice' }).check();
    await form.getByRole('checkbox', { name: /^Anonymous/ }).check();
    await form.getByRole('button', { name: 'Post poll' }).click();
    const poll = card(page, 'Which days?');
    await expect.poll(() => poll.count()).toBe(1);
    expect(await poll.getByRole('group', { name: 'Poll: choose one or more' }).count()).toBe(1);
    expect(await poll.getByRole('checkbox').count()).toBe(2);
    expect(await article(page, 'Which days?').locator('img, b:not(.poll-mine)').count()).toBe(0);
    expect(await poll.textContent()).toContain('Anonymous');
    await poll.getByRole('checkbox', { name: /^<b>Mon<\/b>/ }).check();
    await poll.getByRole('checkbox', { name: /^Tue/ }).check();
    await poll.getByRole('button', { name: 'Vote' }).click();
    await expect.poll(() => lines(page, 'Which days?')).toEqual(['<b>Mon</b> (your vote) 1 vote, 50%', 'Tue (your vote) 1 vote, 50%']);
  });

  it('fetches nothing of polls where the server offers none', async () => {
    const { open } = await startWidgetSite({}, { waitForLog: true });
    const page = await open({ room: 'lobby', name: 'Host' }, 560);
    await el(page, '#input').fill('Hello');
    await el(page, '#input').press('Enter');
    await expect.poll(() => article(page, 'Hello').count()).toBe(1);
    expect(await el(page, '.poll-new').count()).toBe(0);
    expect(await fetchedScripts(page)).not.toContain('/chat-room.polls.js');
  });
});
