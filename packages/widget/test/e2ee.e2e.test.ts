import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, fetchedScripts, screenshot, skipWithoutChromium } from '../../../test-support/browser.js';
import { groupHolds, startWidgetSite } from '../../../test-support/widget-site.js';

// An end-to-end encrypted room (issue 28) in the script-tag bundle: each browser context is a
// device whose MLS state is in its IndexedDB; the server only carries ciphertext.

const texts = (page: Page) => page.locator('chat-room [role=article] .text, chat-room [role=article] .gone').allTextContents();
const e2eeLine = (page: Page) => page.locator('chat-room header [part=e2ee]');
async function send(page: Page, text: string) {
  await page.locator('chat-room #input').fill(text);
  await page.locator('chat-room #input').press('Enter');
}

describe.skipIf(skipWithoutChromium())('<chat-room> in an end-to-end encrypted room, in Chromium', () => {
  it('two people exchange encrypted messages; a reload keeps reading; the store holds no plaintext; a later device cannot read the past; two devices show one fingerprint for a person', async () => {
    const { open, chat } = await startWidgetSite({ presenceCoalesceMs: 20 }, { waitForLog: true });
    const roomId = `clinic-${randomBytes(4).toString('hex')}`;
    await chat.createRoom({ id: roomId, options: { encrypted: true } });
    const marker = `MARKER${randomBytes(6).toString('hex')}`;

    const ana = await open({ room: roomId, name: 'Ana' });
    const luis = await open({ room: roomId, name: 'Luis' });
    // The lock and the line, in the header of each.
    await expect.poll(() => e2eeLine(ana).textContent()).toContain('End-to-end encrypted');
    await expect.poll(() => e2eeLine(luis).textContent()).toContain('End-to-end encrypted');
    expect(await e2eeLine(ana).locator('svg[aria-hidden=true]').count()).toBe(1);
    // The MLS code came as its own file, for this encrypted room.
    expect(await fetchedScripts(ana)).toContain('/chat-room.e2ee.js');

    await groupHolds(chat, roomId, 2);
    await send(ana, `results at 9 ${marker}`);
    await expect.poll(() => texts(luis), { timeout: 20_000 }).toEqual([`results at 9 ${marker}`]);
    await send(luis, `thanks ${marker}`);
    await expect.poll(() => texts(ana), { timeout: 20_000 }).toEqual([`results at 9 ${marker}`, `thanks ${marker}`]);
    expect(await axeViolations(ana), 'axe-core: an encrypted room with messages').toEqual([]);

    // A reload is the same device (IndexedDB): it reads what it read before, and what comes next.
    await ana.reload();
    await expect.poll(() => texts(ana), { timeout: 20_000 }).toEqual([`results at 9 ${marker}`, `thanks ${marker}`]);
    await send(luis, `after the reload ${marker}`);
    await expect
      .poll(() => texts(ana), { timeout: 20_000 })
      .toEqual([`results at 9 ${marker}`, `thanks ${marker}`, `after the reload ${marker}`]);
    await send(ana, `still here ${marker}`);
    await expect.poll(() => texts(luis), { timeout: 20_000 }).toContain(`still here ${marker}`);

    // The server's store holds none of the words.
    const stored = await chat.store.listMessages(roomId, { limit: 20 });
    expect(stored.messages.filter((m) => !m.system && m.ciphertext !== undefined)).toHaveLength(4);
    expect(JSON.stringify(stored)).not.toContain(marker);

    // A device that joins later reads from then on; what came before says it can't be decrypted here.
    const carol = await open({ room: roomId, name: 'Carol' });
    const undecryptable = "This message can't be decrypted on this device.";
    await expect.poll(() => texts(carol), { timeout: 20_000 }).toEqual(Array(4).fill(undecryptable));
    expect(await axeViolations(carol), 'axe-core: messages this device cannot decrypt').toEqual([]);
    await screenshot(carol.locator('chat-room'), 'widget-e2ee-undecryptable');
    await groupHolds(chat, roomId, 3);
    await send(luis, `welcome ${marker}`);
    await expect.poll(() => texts(carol), { timeout: 20_000 }).toEqual([...Array(4).fill(undecryptable), `welcome ${marker}`]);

    // Fingerprints in the person card: two devices see the same one for Luis.
    const ofLuis = async (page: Page) => {
      await page.locator('chat-room header button[aria-controls=members]').click();
      await page.locator('chat-room button.person').filter({ hasText: 'Luis' }).click();
      const code = page.locator('chat-room .card .fingerprint code');
      await expect.poll(() => code.count(), { timeout: 20_000 }).toBe(1);
      expect(await page.locator('chat-room .card .fingerprint').textContent()).toContain('Security fingerprint');
      return code.textContent();
    };
    const seenByAna = await ofLuis(ana);
    expect(seenByAna).toMatch(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/u);
    expect(await ofLuis(carol)).toBe(seenByAna);
    // Four groups a line: four lines, none cut (a grid to compare line by line).
    const code = ana.locator('chat-room .card .fingerprint code');
    const grid = () =>
      code.evaluate((c) => {
        const text = document.createRange();
        text.selectNodeContents(c);
        return { lines: new Set(Array.from(text.getClientRects(), (r) => Math.round(r.top))).size, cut: c.scrollWidth > c.clientWidth };
      });
    expect(await grid()).toEqual({ lines: 4, cut: false });
    // Also on a page with spacing of its own (inherited through the shadow root).
    for (const style of ['letter-spacing: 0.02em', 'word-spacing: 0.1em']) {
      await ana.evaluate((css) => document.body.setAttribute('style', css), style);
      expect(await grid(), style).toEqual({ lines: 4, cut: false });
    }
    await ana.evaluate(() => document.body.removeAttribute('style'));
    expect(await axeViolations(ana), 'axe-core: a person card with a fingerprint').toEqual([]);
    await screenshot(ana.locator('chat-room'), 'widget-e2ee-fingerprint');

    // In Spanish.
    const dora = await open({ room: roomId, name: 'Dora', lang: 'es' });
    await expect.poll(() => e2eeLine(dora).textContent()).toContain('Cifrado de extremo a extremo');
    await expect.poll(() => texts(dora), { timeout: 20_000 }).toContain('Este mensaje no se puede descifrar en este dispositivo.');
    expect(await axeViolations(dora), 'axe-core: an encrypted room, in Spanish').toEqual([]);
  }, 120_000);

  it('a plain room shows no lock and does not load the MLS code', async () => {
    const { open } = await startWidgetSite({}, { waitForLog: true });
    const ana = await open({ room: 'lobby', name: 'Ana' });
    await send(ana, 'hello');
    await expect.poll(() => texts(ana)).toEqual(['hello']);
    expect(await e2eeLine(ana).count()).toBe(0);
    expect(await fetchedScripts(ana)).not.toContain('/chat-room.e2ee.js');
  });
});
