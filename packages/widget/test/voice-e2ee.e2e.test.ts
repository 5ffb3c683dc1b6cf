import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { diskUploads } from '@chat/server';
import { axeViolations, skipWithoutChromium } from '../../../test-support/browser.js';
import { diskDir } from '../../../test-support/uploads.js';
import { groupHolds, startWidgetSite } from '../../../test-support/widget-site.js';

// A voice message in an end-to-end encrypted room, in the script-tag widget with Chromium's fake
// microphone: the recorder's recording is encrypted by the sender's browser before its upload (as
// any file), the other member's widget decrypts it and plays it; the server keeps ciphertext, and
// the duration and waveform travel only inside the encrypted message.

const names: Record<string, string> = { ana: 'Ana', luis: 'Luis' };
const authenticate = (handshake: { auth: Record<string, unknown> }) => {
  const id = String(handshake.auth['token']);
  return { id, name: names[id] ?? id };
};
const el = (page: Page, selector: string) => page.locator(`chat-room ${selector}`);
/** The seconds a recorder's time (m:ss) shows. */
const seconds = (time: string | null) => (time ? Number(time.split(':')[0]) * 60 + Number(time.split(':')[1]) : 0);
/** WebM's and Ogg's first bytes: a file that starts so is not ciphertext. */
const AUDIO_MAGIC = [Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.from('OggS')];

describe.skipIf(skipWithoutChromium())('<chat-room> voice messages in an end-to-end encrypted room, in Chromium', () => {
  it('a recording goes encrypted, the other member plays it from its decrypted bytes, the server holds ciphertext', async () => {
    const dir = await diskDir();
    const { open, chat } = await startWidgetSite(
      { authenticate, uploads: diskUploads({ dir }) },
      { waitForLog: true, rest: true, fakeMedia: true },
    );
    const roomId = `clinic-${randomBytes(4).toString('hex')}`;
    await chat.createRoom({ id: roomId, options: { encrypted: true } });
    const ana = await open({ room: roomId, token: 'ana', uploads: '' }, 560);
    const luis = await open({ room: roomId, token: 'luis', uploads: '' }, 560);
    await groupHolds(chat, roomId, 2);

    await el(ana, '[part=record-button]').click();
    const timer = el(ana, '[part=recorder] [role=timer]');
    await expect.poll(async () => seconds(await timer.textContent()), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    await ana.keyboard.press('Enter');
    await expect.poll(() => el(ana, '[part=recorder]').count()).toBe(0);

    // Both widgets show a player of the length recorded; Luis's plays to its end from the bytes it decrypted.
    for (const page of [ana, luis]) await expect.poll(() => el(page, '[part=voice]').count(), { timeout: 20_000 }).toBe(1);
    const player = el(luis, '[part=voice]');
    const declared = Number(await player.getByRole('slider').getAttribute('max'));
    expect(declared).toBeGreaterThanOrEqual(2000);
    expect(await el(luis, '[part=voice] .voice-wave rect').count()).toBeGreaterThan(10);
    await luis.mouse.click(5, 590); // a click first: the page may then play audio
    await player.getByRole('button').click();
    await expect.poll(() => player.getByRole('button').getAttribute('aria-label')).toBe('Pause');
    await expect.poll(() => player.getByRole('button').getAttribute('aria-label'), { timeout: 15_000 }).toBe('Play voice message');
    const played = Number(await player.getByRole('slider').getAttribute('max'));
    expect(Math.abs(played - declared)).toBeLessThan(400);
    expect(await axeViolations(luis), 'axe-core: an encrypted voice message played').toEqual([]);

    // The server: ciphertext on disk, and no duration, waveform or voice kind in the stored message.
    const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((f) => f.isFile());
    expect(files.some((f) => f.name.endsWith('.bin'))).toBe(true);
    for (const file of files) {
      const bytes = await readFile(join(file.parentPath, file.name));
      for (const magic of AUDIO_MAGIC) expect(bytes.includes(magic), file.name).toBe(false);
    }
    const stored = JSON.stringify(await chat.store.listMessages(roomId, { limit: 10 }));
    expect(stored).not.toMatch(/durationMs|waveform|"voice"/u);
  }, 90_000);
});
