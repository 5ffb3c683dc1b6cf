import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { diskUploads } from '@chat/server';
import { axeViolations, screenshot, skipWithoutChromium } from '../../../test-support/browser.js';
import { diskDir } from '../../../test-support/uploads.js';
import { startWidgetSite } from '../../../test-support/widget-site.js';

// An end-to-end encrypted room (issue 28) with people signed in (token="ana" is Ana): Luis's
// device is removed by the host (`chat.removeDevice`, as another of his devices would). His
// widget says so in the room, plainly and to screen readers, and stops; after a reload too.

const names: Record<string, string> = { ana: 'Ana', luis: 'Luis' };
const authenticate = (handshake: { auth: Record<string, unknown> }) => {
  const id = String(handshake.auth['token']);
  return { id, name: names[id] ?? id };
};
const texts = (page: Page) => page.locator('chat-room [role=article] .text, chat-room [role=article] .gone').allTextContents();
const alertLine = (page: Page) => page.locator('chat-room [role=alert] [part=banner]').allTextContents();
const REMOVED =
  "This device was removed from encrypted conversations: it can't read or send new messages here. Your other devices still can.";
async function send(page: Page, text: string) {
  await page.locator('chat-room #input').fill(text);
  await page.locator('chat-room #input').press('Enter');
}

describe.skipIf(skipWithoutChromium())('<chat-room> on a device removed from encrypted rooms, in Chromium', () => {
  it('says the device was removed (an alert, in its language), closes the composer, and still says so after a reload', async () => {
    const { open, chat } = await startWidgetSite({ authenticate }, { waitForLog: true });
    const roomId = `consult-${randomBytes(4).toString('hex')}`;
    await chat.createRoom({ id: roomId, options: { encrypted: true } });
    const marker = `MARKER${randomBytes(6).toString('hex')}`;
    const ana = await open({ room: roomId, token: 'ana' });
    const luis = await open({ room: roomId, token: 'luis', lang: 'es' });
    await expect.poll(() => chat.store.e2ee?.groupDevices(roomId).then((devices) => devices.length), { timeout: 20_000 }).toBe(2);
    await send(ana, `before ${marker}`);
    await expect.poll(() => texts(luis), { timeout: 20_000 }).toEqual([`before ${marker}`]);
    expect(await alertLine(luis)).toEqual([]);

    const devices = (await chat.store.e2ee!.groupDevices(roomId)).filter((d) => d.userId === 'luis');
    expect(devices).toHaveLength(1);
    expect(await chat.removeDevice('luis', devices[0]!.deviceId)).toEqual({ rooms: 1 });
    const spanish =
      'Este dispositivo se quitó de las conversaciones cifradas: ya no puede leer ni enviar mensajes nuevos aquí. Tus otros dispositivos sí pueden.';
    await expect.poll(() => alertLine(luis), { timeout: 20_000 }).toEqual([spanish]);
    expect(await luis.locator('chat-room #input').isDisabled()).toBe(true);
    // What it read stays; what comes after, it cannot read.
    await expect.poll(() => chat.store.e2ee?.groupDevices(roomId).then((list) => list.length), { timeout: 20_000 }).toBe(1);
    await send(ana, `after ${marker}`);
    await expect.poll(() => texts(ana), { timeout: 20_000 }).toEqual([`before ${marker}`, `after ${marker}`]);
    await expect
      .poll(() => texts(luis), { timeout: 20_000 })
      .toEqual([`before ${marker}`, 'Este mensaje no se puede descifrar en este dispositivo.']);
    await expect.poll(() => alertLine(luis), { timeout: 20_000 }).toEqual([spanish]);
    expect(await axeViolations(luis), 'axe-core: a removed device, in Spanish').toEqual([]);
    await screenshot(luis.locator('chat-room'), 'widget-e2ee-device-removed-es');
    expect(await alertLine(ana)).toEqual([]);

    // A reload in English: the device knows from its own store, at once.
    await luis.goto(luis.url().replace('&lang=es', ''));
    await expect.poll(() => alertLine(luis), { timeout: 20_000 }).toEqual([REMOVED]);
    expect(await luis.locator('chat-room #input').isDisabled()).toBe(true);
    expect(await axeViolations(luis), 'axe-core: a removed device, after a reload').toEqual([]);
    await screenshot(luis.locator('chat-room'), 'widget-e2ee-device-removed');
  }, 180_000);

  it('an open thread panel closes its composer with the room composer (its files too), and says why', async () => {
    const { open, chat } = await startWidgetSite(
      { authenticate, uploads: diskUploads({ dir: await diskDir() }) },
      { waitForLog: true, rest: true },
    );
    const roomId = `consult-${randomBytes(4).toString('hex')}`;
    await chat.createRoom({ id: roomId, options: { encrypted: true } });
    const ana = await open({ room: roomId, token: 'ana' });
    const luis = await open({ room: roomId, token: 'luis', uploads: '' });
    await expect.poll(() => chat.store.e2ee?.groupDevices(roomId).then((devices) => devices.length), { timeout: 20_000 }).toBe(2);
    await send(ana, 'the results?');
    await expect.poll(() => texts(luis), { timeout: 20_000 }).toEqual(['the results?']);
    // Luis opens its thread from the message's actions: its composer takes text and files.
    await luis.locator('chat-room [role=article]').focus();
    await luis.keyboard.press('Enter');
    await luis.locator('chat-room [role=article] .actions').getByRole('button', { name: 'Reply in thread' }).click();
    const thread = luis.locator('chat-room [part=thread]');
    await expect.poll(() => thread.locator('.notice').textContent()).toBe('No replies yet. Start the thread.');
    expect(await thread.locator('#thread-input').isDisabled()).toBe(false);
    expect(await thread.getByRole('button', { name: 'Attach files' }).count()).toBe(1);

    const [device] = (await chat.store.e2ee!.groupDevices(roomId)).filter((d) => d.userId === 'luis');
    await chat.removeDevice('luis', device!.deviceId);
    await expect.poll(() => alertLine(luis), { timeout: 20_000 }).toEqual([REMOVED]);
    expect(await luis.locator('chat-room #input').isDisabled()).toBe(true);
    await expect.poll(() => thread.locator('#thread-input').isDisabled()).toBe(true);
    // It no longer asks for a reply it cannot take.
    expect(await thread.locator('.notice').textContent()).toBe('No replies yet.');
    expect(await thread.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    expect(await thread.getByRole('button', { name: 'Attach files' }).count()).toBe(0);
    expect(await axeViolations(luis), 'axe-core: a removed device with a thread open').toEqual([]);
    await screenshot(luis.locator('chat-room'), 'widget-e2ee-device-removed-thread');
  }, 180_000);
});
