import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, screenshot, skipWithoutChromium } from '../../../test-support/browser.js';
import { groupHolds, startWidgetSite } from '../../../test-support/widget-site.js';

// An end-to-end encrypted room (issue 28) with people signed in (token="ana" is Ana): a person's
// new device is a new browser context (its own IndexedDB). It reads from when it joined; the
// others are told that person's security key changed, with a way to their card.

const names: Record<string, string> = { ana: 'Ana', luis: 'Luis' };
const authenticate = (handshake: { auth: Record<string, unknown> }) => {
  const id = String(handshake.auth['token']);
  return { id, name: names[id] ?? id };
};
const texts = (page: Page) => page.locator('chat-room [role=article] .text, chat-room [role=article] .gone').allTextContents();
const keyLines = (page: Page) => page.locator('chat-room [role=log] .key-change').allTextContents();
const banner = (page: Page) => page.locator('chat-room [part=banner]');
const words = (lines: string[]) => lines.map((line) => line.replace(/\s+/gu, ' ').trim());
/** The log's messages and key change lines, in the order shown. */
const logItems = (page: Page) =>
  page.locator('chat-room [role=log] [role=article] .text, chat-room [role=log] .key-change').allTextContents().then(words);
async function send(page: Page, text: string) {
  await page.locator('chat-room #input').fill(text);
  await page.locator('chat-room #input').press('Enter');
}
/** The fingerprint in the open card of `name` (the people panel open). */
const cardFingerprint = (page: Page) => page.locator('chat-room .card .fingerprint code').textContent();
async function openCard(page: Page, name: string) {
  await page.locator('chat-room header button[aria-controls=members]').click();
  await page.locator('chat-room button.person').filter({ hasText: name }).click();
  await expect.poll(() => page.locator('chat-room .card .fingerprint code').count(), { timeout: 20_000 }).toBe(1);
}

describe.skipIf(skipWithoutChromium())('<chat-room> in an encrypted room, a person with several devices, in Chromium', () => {
  it('a third device of the same user joins and reads from then on; the others are told the key changed and can compare fingerprints', async () => {
    const { open, chat } = await startWidgetSite({ authenticate }, { waitForLog: true });
    const roomId = `consult-${randomBytes(4).toString('hex')}`;
    await chat.createRoom({ id: roomId, options: { encrypted: true } });
    const marker = `MARKER${randomBytes(6).toString('hex')}`;

    // Two devices (Ana's in English, Luis's in Spanish) exchange messages; a reload keeps reading.
    const ana = await open({ room: roomId, token: 'ana' });
    const luis = await open({ room: roomId, token: 'luis', lang: 'es' });
    // Both devices in the room's group first: a message sent before Luis's device is added is not his to read.
    await groupHolds(chat, roomId, 2);
    await send(ana, `first ${marker}`);
    await expect.poll(() => texts(luis), { timeout: 20_000 }).toEqual([`first ${marker}`]);
    await send(luis, `second ${marker}`);
    await expect.poll(() => texts(ana), { timeout: 20_000 }).toEqual([`first ${marker}`, `second ${marker}`]);
    await luis.reload();
    await expect.poll(() => texts(luis), { timeout: 20_000 }).toEqual([`first ${marker}`, `second ${marker}`]);
    await send(luis, `after the reload ${marker}`);
    const before = [`first ${marker}`, `second ${marker}`, `after the reload ${marker}`];
    await expect.poll(() => texts(ana), { timeout: 20_000 }).toEqual(before);
    // Ana notes Luis's fingerprint now, then closes the panel.
    await openCard(ana, 'Luis');
    const luisBefore = await cardFingerprint(ana);
    await ana.locator('chat-room header button[aria-controls=members]').click();
    expect(await keyLines(ana)).toEqual([]);

    // A third device: Luis signs in on another browser. What came before it joined says it can't
    // be decrypted here (not an error: no banner); what comes next, it reads.
    const luis2 = await open({ room: roomId, token: 'luis' });
    const undecryptable = "This message can't be decrypted on this device.";
    await expect.poll(() => texts(luis2), { timeout: 20_000 }).toEqual(Array(3).fill(undecryptable));
    expect(await banner(luis2).count()).toBe(0);
    await groupHolds(chat, roomId, 3);
    await send(ana, `from now on ${marker}`);
    await expect.poll(() => texts(luis2), { timeout: 20_000 }).toEqual([...Array(3).fill(undecryptable), `from now on ${marker}`]);
    await send(luis2, `from the new device ${marker}`);
    const after = [...before, `from now on ${marker}`, `from the new device ${marker}`];
    await expect.poll(() => texts(ana), { timeout: 20_000 }).toEqual(after);
    await expect.poll(() => texts(luis), { timeout: 20_000 }).toEqual(after);
    expect(await banner(luis2).count()).toBe(0);
    expect(await axeViolations(luis2), 'axe-core: a new device with messages from before it joined').toEqual([]);

    // Ana is told Luis's key changed; its button opens his card, with the fingerprint of his devices now.
    await expect.poll(() => keyLines(ana).then(words), { timeout: 20_000 }).toEqual(["Luis's security key changed. Compare fingerprints"]);
    expect(await axeViolations(ana), 'axe-core: a key change line').toEqual([]);
    await screenshot(ana.locator('chat-room'), 'widget-e2ee-key-changed');
    await ana.locator('chat-room .key-change button').click();
    await expect.poll(() => ana.locator('chat-room .card .fingerprint code').count(), { timeout: 20_000 }).toBe(1);
    expect(await ana.locator('chat-room button.person[aria-expanded=true]').textContent()).toContain('Luis');
    await expect.poll(() => cardFingerprint(ana), { timeout: 20_000 }).not.toBe(luisBefore);
    expect(await cardFingerprint(ana)).toMatch(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/u);
    expect(await axeViolations(ana), 'axe-core: the card opened from a key change').toEqual([]);
    // Luis's first device: the new device is his own (no card to open), in Spanish.
    await expect
      .poll(() => keyLines(luis).then(words), { timeout: 20_000 })
      .toEqual(['Tu clave de seguridad cambió: un dispositivo nuevo tuyo puede leer esta sala.']);
    expect(await luis.locator('chat-room .key-change button').count()).toBe(0);

    // Ana's new device: Luis's devices are told, in Spanish, with the button.
    const ana2 = await open({ room: roomId, token: 'ana' });
    await expect.poll(() => texts(ana2), { timeout: 20_000 }).toHaveLength(after.length);
    await expect
      .poll(() => keyLines(luis).then(words), { timeout: 20_000 })
      .toContain('La clave de seguridad de Ana cambió. Comparar huellas');
    expect(await axeViolations(luis), 'axe-core: a key change line, in Spanish').toEqual([]);
    await screenshot(luis.locator('chat-room'), 'widget-e2ee-key-changed-es');

    // A reload keeps the lines where they were (kept with the device, in its IndexedDB): Luis's
    // key change after the message it followed, and Ana's own new device.
    await expect.poll(() => keyLines(ana), { timeout: 20_000 }).toHaveLength(2);
    const beforeReload = await logItems(ana);
    expect(beforeReload).toEqual([
      ...before,
      "Luis's security key changed. Compare fingerprints",
      `from now on ${marker}`,
      `from the new device ${marker}`,
      'Your security key changed: a new device of yours can read this room.',
    ]);
    await ana.reload();
    await expect.poll(() => logItems(ana), { timeout: 20_000 }).toEqual(beforeReload);
    expect(await axeViolations(ana), 'axe-core: key change lines after a reload').toEqual([]);
    await ana.locator('chat-room .key-change button').click();
    await expect
      .poll(() => ana.locator('chat-room button.person[aria-expanded=true]').textContent(), { timeout: 20_000 })
      .toContain('Luis');

    // The server's store holds none of the words.
    expect(JSON.stringify(await chat.store.listMessages(roomId, { limit: 50 }))).not.toContain(marker);
  }, 180_000);

  it('an encrypted message edited in the widget: every device shows the new text, also after a reload; the store holds neither text', async () => {
    const { open, chat } = await startWidgetSite({ authenticate }, { waitForLog: true });
    const roomId = `consult-${randomBytes(4).toString('hex')}`;
    await chat.createRoom({ id: roomId, options: { encrypted: true } });
    const marker = `MARKER${randomBytes(6).toString('hex')}`;
    const ana = await open({ room: roomId, token: 'ana' });
    const luis = await open({ room: roomId, token: 'luis' });
    await groupHolds(chat, roomId, 2);
    await send(ana, `at nine ${marker}`);
    await expect.poll(() => texts(luis), { timeout: 20_000 }).toEqual([`at nine ${marker}`]);

    // Ana edits her message from the log: the keyboard reaches it, its Edit button opens the editor.
    await ana.keyboard.press('Shift+Tab');
    await ana.keyboard.press('Enter');
    await ana.locator('chat-room [role=article] .actions button[aria-label=Edit]').click();
    await ana.locator('chat-room .edit-box').fill(`at ten ${marker}`);
    await ana.locator('chat-room .edit-box').press('Enter');
    for (const page of [ana, luis]) {
      await expect.poll(() => texts(page), { timeout: 20_000 }).toEqual([`at ten ${marker}`]);
      expect(await page.locator('chat-room [role=article] .edited').count()).toBe(1);
    }
    expect(await axeViolations(luis), 'axe-core: an edited encrypted message').toEqual([]);
    expect(await banner(ana).count()).toBe(0);
    await luis.reload();
    await expect.poll(() => texts(luis), { timeout: 20_000 }).toEqual([`at ten ${marker}`]);
    expect(JSON.stringify(await chat.store.listMessages(roomId, { limit: 50 }))).not.toContain(marker);
  }, 120_000);

  it('the header says the room is end-to-end encrypted in full at 320 px, in English and Spanish', async () => {
    const { open, chat } = await startWidgetSite({ authenticate }, { waitForLog: true });
    await chat.createRoom({ id: 'clinic', title: 'Clinic appointments', options: { encrypted: true } });
    for (const [lang, line] of [
      ['en', 'End-to-end encrypted'],
      ['es', 'Cifrado de extremo a extremo'],
    ] as const) {
      const page = await open({ room: 'clinic', token: 'ana', lang }, 320);
      const e2ee = page.locator('chat-room header [part=e2ee]');
      await expect.poll(() => e2ee.textContent()).toContain(line);
      // Nothing of the line is cut: its text fits in its box (it wraps where the header is narrow).
      const cut = await e2ee.evaluate((el) => el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight);
      expect(cut, `the line is cut (${lang})`).toBe(false);
      expect(await axeViolations(page), `axe-core: the encrypted header at 320 px (${lang})`).toEqual([]);
      await screenshot(page.locator('chat-room header'), `widget-e2ee-header-320-${lang}`);
    }
  }, 60_000);

  it('two tabs of one browser open at once for Ana are two devices (Web Locks): both read and send; a reload keeps its device', async () => {
    const { open, chat, url } = await startWidgetSite({ authenticate }, { waitForLog: true });
    const roomId = `clinic-${randomBytes(4).toString('hex')}`;
    await chat.createRoom({ id: roomId, options: { encrypted: true } });
    const luis = await open({ room: roomId, token: 'luis' });
    const first = await open({ room: roomId, token: 'ana' });
    // A second tab of the same browser (one IndexedDB, one origin's locks).
    const second = await first.context().newPage();
    await second.goto(first.url());
    await expect.poll(() => second.locator('chat-room [role=log]').count()).toBe(1);
    await groupHolds(chat, roomId, 3);
    const anaDevices = async () => (await chat.store.e2ee!.groupDevices(roomId)).filter((d) => d.userId === 'ana').map((d) => d.deviceId);
    expect(new Set(await anaDevices()).size).toBe(2);

    await send(first, 'from the first tab');
    await expect.poll(() => texts(second), { timeout: 20_000 }).toEqual(['from the first tab']);
    await send(second, 'from the second tab');
    await expect.poll(() => texts(luis), { timeout: 20_000 }).toEqual(['from the first tab', 'from the second tab']);
    await expect.poll(() => texts(first), { timeout: 20_000 }).toEqual(['from the first tab', 'from the second tab']);
    await send(luis, 'both of you');
    for (const tab of [first, second]) {
      await expect.poll(() => texts(tab), { timeout: 20_000 }).toEqual(['from the first tab', 'from the second tab', 'both of you']);
    }
    // A reload of the second tab takes its own slot back: the same device, reading what it read.
    await second.reload();
    await expect.poll(() => texts(second), { timeout: 20_000 }).toEqual(['from the first tab', 'from the second tab', 'both of you']);
    expect(new Set(await anaDevices()).size).toBe(2);
    expect(url).toContain('127.0.0.1');
  }, 120_000);
});
