import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { diskUploads } from '@chat/server';
import { axeViolations, fetchedScripts, screenshot, skipWithoutChromium } from '../../../test-support/browser.js';
import { sdkClient } from '../../../test-support/servers.js';
import { diskDir } from '../../../test-support/uploads.js';
import { startWidgetSite } from '../../../test-support/widget-site.js';

// Voice messages in the widget: a voice attachment shows a player in place of its file line (play
// and pause, the waveform, a position slider, the time), usable from the keyboard and by pointer.
// chat-room.voice.js comes with the first voice message drawn, never before.

const WAVEFORM = [12, 40, 90, 160, 220, 255, 200, 140, 90, 60, 120, 180, 230, 170, 100, 50, 20, 8];
const el = (page: Page, selector: string) => page.locator(`chat-room ${selector}`);
async function expectAccessible(page: Page, state: string) {
  expect(await axeViolations(page), `axe-core in state: ${state}`).toEqual([]);
}

/** A real WebM (Opus) recording of a 1.2 s tone, made by Chromium's MediaRecorder in `page`. */
async function recordTone(page: Page): Promise<Uint8Array<ArrayBuffer>> {
  // A click first: the page may then start audio (Chromium's autoplay policy).
  await page.mouse.click(5, 590);
  const base64 = await page.evaluate(async () => {
    const context = new AudioContext();
    await context.resume();
    const tone = context.createOscillator();
    const out = context.createMediaStreamDestination();
    tone.connect(out);
    const recorder = new MediaRecorder(out.stream, { mimeType: 'audio/webm;codecs=opus' });
    const parts: Blob[] = [];
    recorder.ondataavailable = (event) => parts.push(event.data);
    const stopped = new Promise((resolve) => (recorder.onstop = resolve));
    // A tone of 1.2 s on the audio clock: recorded from its start to its end (`ended`).
    const ended = new Promise((resolve) => (tone.onended = resolve));
    recorder.start();
    tone.start();
    tone.stop(context.currentTime + 1.2);
    await ended;
    recorder.stop();
    await stopped;
    await context.close();
    const bytes = new Uint8Array(await new Blob(parts).arrayBuffer());
    let text = '';
    for (const byte of bytes) text += String.fromCharCode(byte);
    return btoa(text);
  });
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

describe.skipIf(skipWithoutChromium())('<chat-room> voice messages, in Chromium', { timeout: 60_000 }, () => {
  it('plays a voice message from the keyboard and by pointer, with its duration; the chunk comes with the first one', async () => {
    const { open, url } = await startWidgetSite({ uploads: diskUploads({ dir: await diskDir() }) }, { waitForLog: true, rest: true });
    const luis = await open({ room: 'plaza', name: 'Luis' }, 560);
    const bytes = await recordTone(luis);

    // A message with a file that is not a voice message does not fetch the player.
    const ana = await sdkClient(url, { auth: { name: 'Ana' } }).join('plaza');
    await ana.send('hola');
    await expect.poll(() => el(luis, '[role=article]').count()).toBe(1);
    expect(await fetchedScripts(luis)).not.toContain('/chat-room.voice.js');

    await ana.sendVoice(new Blob([bytes], { type: 'audio/webm' }), { durationMs: 1200, waveform: WAVEFORM });
    const player = el(luis, '[part=voice]');
    await expect.poll(() => player.count()).toBe(1);
    expect(await fetchedScripts(luis)).toContain('/chat-room.voice.js');
    expect(await el(luis, '.attachments a.file').count()).toBe(0); // the player, not the file line
    const play = player.getByRole('button');
    const slider = player.getByRole('slider', { name: 'Position' });
    const time = player.locator('.voice-time');
    expect(await play.getAttribute('aria-label')).toBe('Play voice message');
    expect(await time.textContent()).toBe('0:00 / 0:01');
    expect(await slider.getAttribute('aria-valuetext')).toBe('0:00 of 0:01');
    expect(await slider.getAttribute('max')).toBe('1200');
    expect(await player.locator('.voice-wave rect').count()).toBe(WAVEFORM.length);
    expect(await player.locator('.voice-wave').getAttribute('aria-hidden')).toBe('true');
    await expectAccessible(luis, 'a voice message');
    await screenshot(el(luis, '').first(), 'widget-voice-message');

    // From the keyboard: the message's controls open with Enter (focus goes to its actions, after
    // the player); the player's slider and button are the tab stops before them.
    const article = el(luis, '[role=article]').last();
    await article.focus();
    await luis.keyboard.press('Enter');
    await expect.poll(() => play.getAttribute('tabindex')).toBe('0');
    const focused = () => luis.evaluate(() => document.querySelector('chat-room')?.shadowRoot?.activeElement?.getAttribute('aria-label'));
    for (let i = 0; i < 6 && (await focused()) !== 'Play voice message'; i++) await luis.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('Play voice message');
    await luis.keyboard.press('Space');
    await expect.poll(() => play.getAttribute('aria-label')).toBe('Pause');
    await expectAccessible(luis, 'a voice message playing');
    // It plays to its end: the slider moved on, and the whole recording took its 0:01.
    await expect.poll(() => slider.inputValue().then(Number)).toBeGreaterThan(0);
    await expect.poll(() => play.getAttribute('aria-label'), { timeout: 10_000 }).toBe('Play voice message');
    expect(await time.textContent()).toBe('0:01 / 0:01');
    expect(await slider.getAttribute('aria-valuetext')).toBe('0:01 of 0:01');
    await screenshot(player, 'widget-voice-player');

    // Played through, the player goes by the audio's own length (about the 1.2 s recorded), not the declared one.
    const end = Number(await slider.getAttribute('max'));
    expect(end).toBeGreaterThan(1000);
    expect(end).toBeLessThan(1400);
    // Arrows seek by a second, Home goes back to the start; Space on the slider plays.
    await slider.focus();
    await luis.keyboard.press('ArrowLeft');
    expect(Number(await slider.inputValue())).toBeCloseTo(end - 1000, 0);
    await luis.keyboard.press('Home');
    expect(await slider.inputValue()).toBe('0');
    expect(await slider.getAttribute('aria-valuetext')).toBe('0:00 of 0:01');
    await luis.keyboard.press('ArrowRight');
    expect(await slider.inputValue()).toBe('1000');
    expect(await time.textContent()).toBe('0:01 / 0:01');

    // By pointer: a click in the slider's middle seeks there; the waveform's bars played so far are marked.
    const box = (await slider.boundingBox())!;
    await luis.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => slider.inputValue().then(Number)).toBeGreaterThan(300);
    expect(Number(await slider.inputValue())).toBeLessThan(900);
    expect(await player.locator('.voice-wave rect.played').count()).toBeGreaterThan(0);
    expect(await player.locator('.voice-wave rect.played').count()).toBeLessThan(WAVEFORM.length);
    await play.click();
    await expect.poll(() => play.getAttribute('aria-label')).toBe('Pause');
    await play.click();
    await expect.poll(() => play.getAttribute('aria-label')).toBe('Play voice message');
    await expectAccessible(luis, 'a voice message paused midway');
  });
});
