import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { diskUploads } from '@chat/server';
import { axeViolations, fetchedScripts, screenshot, skipWithoutChromium } from '../../../test-support/browser.js';
import { diskDir } from '../../../test-support/uploads.js';
import { startWidgetSite } from '../../../test-support/widget-site.js';

// The widget's voice recorder, in Chromium with its fake microphone (a beep each second): the
// microphone button beside the attach button, the recorder's bar (the time, Cancel, Send), the
// recording sent as a voice message that another member plays, and a microphone that cannot be
// used. chat-room.recorder.js comes with the first press of the button, never before.

const el = (page: Page, selector: string) => page.locator(`chat-room ${selector}`);
async function expectAccessible(page: Page, state: string) {
  expect(await axeViolations(page), `axe-core in state: ${state}`).toEqual([]);
}
/** Every microphone stream the page was given, kept to see whether its tracks were stopped. */
const KEEP_STREAMS = () => {
  const streams: MediaStream[] = [];
  (window as unknown as { streams: MediaStream[] }).streams = streams;
  const ask = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await ask(constraints);
    streams.push(stream);
    return stream;
  };
};
const liveTracks = (page: Page) =>
  page.evaluate(
    () =>
      (window as unknown as { streams: MediaStream[] }).streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === 'live').length,
  );
/** m:ss, as the widget writes a length. */
const clock = (ms: number) => `${Math.floor(ms / 60_000)}:${String(Math.floor(ms / 1000) % 60).padStart(2, '0')}`;
/** The seconds a recorder's time (m:ss) shows. */
const seconds = (time: string | null) => (time ? Number(time.split(':')[0]) * 60 + Number(time.split(':')[1]) : 0);
const focusedText = (page: Page) =>
  page.evaluate(() => document.querySelector('chat-room')?.shadowRoot?.activeElement?.textContent?.trim());
const focusedId = (page: Page) => page.evaluate(() => document.querySelector('chat-room')?.shadowRoot?.activeElement?.id);

/** Ana's page on a site with uploads, in Chromium with its fake microphone, her streams kept (`KEEP_STREAMS`). */
async function anaWithMicrophone(params: Record<string, string> = {}) {
  const site = await startWidgetSite({ uploads: diskUploads({ dir: await diskDir() }) }, { waitForLog: true, rest: true, fakeMedia: true });
  const ana = await site.open({ room: 'plaza', name: 'Ana', uploads: '', ...params }, 560);
  await ana.addInitScript(KEEP_STREAMS);
  await ana.reload();
  await expect.poll(() => el(ana, '[role=log]').count()).toBe(1);
  return { ...site, ana };
}

describe.skipIf(skipWithoutChromium())('<chat-room> voice recorder, in Chromium', { timeout: 60_000 }, () => {
  it('records from the microphone, sends it, and the other member plays it for its length', async () => {
    const { open, ana } = await anaWithMicrophone();
    const luis = await open({ room: 'plaza', name: 'Luis', uploads: '' }, 560);

    const mic = el(ana, '[part=record-button]');
    expect(await mic.getAttribute('aria-label')).toBe('Record a voice message');
    expect(await fetchedScripts(ana)).not.toContain('/chat-room.recorder.js');
    const pressedAt = Date.now();
    await mic.click();
    const recorder = el(ana, '[part=recorder]');
    await expect.poll(() => recorder.getAttribute('aria-label')).toBe('Recording a voice message');
    expect(await fetchedScripts(ana)).toContain('/chat-room.recorder.js');
    // Recording: the time runs, focus is on Send.
    const timer = recorder.locator('[role=timer]');
    await expect.poll(() => timer.textContent(), { timeout: 10_000 }).toBe('0:01');
    expect(await focusedText(ana)).toBe('Send');
    expect(await recorder.getByRole('button', { name: 'Send voice message' }).count()).toBe(1);
    expect(await liveTracks(ana)).toBe(1);
    await expectAccessible(ana, 'recording a voice message');
    await screenshot(el(ana, '').first(), 'widget-voice-recording');
    // Sent once it shows 2 s or more (however long the checks above took).
    await expect.poll(async () => seconds(await timer.textContent()), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await ana.keyboard.press('Enter');
    const sentAt = Date.now();

    // Sent: the bar goes, the microphone is let go, focus is back in the text box.
    await expect.poll(() => recorder.count()).toBe(0);
    expect(await liveTracks(ana)).toBe(0);
    expect(await focusedId(ana)).toBe('input');
    // Both see it as a voice message of the length recorded (2 s or more, less than from the press
    // to Send), with a waveform.
    const player = el(luis, '[part=voice]');
    await expect.poll(() => player.count()).toBe(1);
    const slider = player.getByRole('slider');
    const declared = Number(await slider.getAttribute('max'));
    expect(declared).toBeGreaterThanOrEqual(2000);
    expect(declared).toBeLessThan(sentAt - pressedAt + 250);
    for (const page of [ana, luis]) {
      await expect.poll(() => el(page, '[part=voice]').count()).toBe(1);
      expect(await el(page, '[part=voice] .voice-time').textContent()).toBe(`0:00 / ${clock(declared)}`);
      expect(await el(page, '[part=voice] .voice-wave rect').count()).toBeGreaterThan(10);
    }
    // Luis plays it to its end: the audio's own length is the one recorded.
    await luis.mouse.click(5, 590); // a click first: the page may then play audio
    await player.getByRole('button').click();
    await expect.poll(() => player.getByRole('button').getAttribute('aria-label')).toBe('Pause');
    await expect.poll(() => player.getByRole('button').getAttribute('aria-label'), { timeout: 15_000 }).toBe('Play voice message');
    const played = Number(await slider.getAttribute('max'));
    expect(Math.abs(played - declared)).toBeLessThan(400);
    const [at, length] = (await player.locator('.voice-time').textContent())!.split(' / ');
    expect(at).toBe(length);
    await expectAccessible(luis, 'a recorded voice message played');
  });

  it('Cancel and Escape throw the recording away and let the microphone go', async () => {
    const { ana } = await anaWithMicrophone({ lang: 'es' });
    const mic = el(ana, '[part=record-button]');
    await expect.poll(() => mic.getAttribute('aria-label')).toBe('Grabar un mensaje de voz');
    const recorder = el(ana, '[part=recorder]');

    await mic.click();
    await expect.poll(() => recorder.locator('[role=timer]').textContent(), { timeout: 10_000 }).toBe('0:01');
    expect(await recorder.getAttribute('aria-label')).toBe('Grabando un mensaje de voz');
    await expectAccessible(ana, 'recording, in Spanish');
    await recorder.getByRole('button', { name: 'Cancelar' }).click();
    await expect.poll(() => recorder.count()).toBe(0);
    expect(await liveTracks(ana)).toBe(0);
    expect(await focusedId(ana)).toBe('input');

    await mic.click();
    await expect.poll(() => recorder.locator('[role=timer]').textContent(), { timeout: 10_000 }).toBe('0:01');
    await ana.keyboard.press('Escape');
    await expect.poll(() => recorder.count()).toBe(0);
    expect(await liveTracks(ana)).toBe(0);
    // Nothing was sent: a message written after it is the log's only one.
    await el(ana, '#input').fill('hola');
    await el(ana, '#input').press('Enter');
    await expect.poll(() => el(ana, '.group:not(.pending) [role=article]').allTextContents()).toEqual([expect.stringContaining('hola')]);
    expect(await el(ana, '[part=voice]').count()).toBe(0);
  });

  it('a microphone that goes away stops the recording, which can still be sent', async () => {
    const { ana } = await anaWithMicrophone();
    await el(ana, '[part=record-button]').click();
    const recorder = el(ana, '[part=recorder]');
    const timer = recorder.locator('[role=timer]');
    await expect.poll(() => timer.textContent(), { timeout: 10_000 }).toBe('0:01');
    // The device ends its track, as an unplugged microphone's does.
    await ana.evaluate(() => {
      for (const s of (window as unknown as { streams: MediaStream[] }).streams)
        for (const t of s.getTracks()) t.dispatchEvent(new Event('ended'));
    });
    await expect.poll(() => recorder.locator('[role=status]').textContent()).toBe('The recording stopped. Send it or cancel it.');
    expect(await liveTracks(ana)).toBe(0);
    expect(await recorder.locator('.dot.live').count()).toBe(0);
    const stoppedAt = await timer.textContent();
    await expectAccessible(ana, 'a recording stopped by itself');
    await recorder.getByRole('button', { name: 'Send voice message' }).click();
    await expect.poll(() => el(ana, '[part=voice]').count()).toBe(1);
    // Its length is the time shown when it stopped.
    expect(await el(ana, '[part=voice] .voice-time').textContent()).toBe(`0:00 / ${stoppedAt}`);
  });

  it("in a thread's composer: the recording is a reply in that thread, and the room's composer stays as it was", async () => {
    const { ana, chat } = await anaWithMicrophone();
    const parent = await chat.sendMessage('plaza', { user: { id: 'luis', name: 'Luis' }, text: 'Friday?' });
    await chat.sendMessage('plaza', { user: { id: 'luis', name: 'Luis' }, text: 'Say it in the thread', threadOf: parent.id });
    await el(ana, '[part=thread-count]').click();
    const panel = el(ana, '[part=thread]');
    await expect.poll(() => panel.locator('li').count()).toBe(1);
    const mic = panel.locator('[part=record-button]');
    expect(await mic.getAttribute('aria-label')).toBe('Record a voice message');
    await mic.click();
    const recorder = panel.locator('[part=recorder]');
    await expect.poll(() => recorder.locator('[role=timer]').textContent(), { timeout: 10_000 }).toBe('0:01');
    expect(await el(ana, '[part=recorder]').count()).toBe(1); // the thread's, not the room's
    expect(await focusedText(ana)).toBe('Send');
    await expectAccessible(ana, "recording in a thread's composer");
    await screenshot(el(ana, '').first(), 'widget-voice-recording-thread');
    await ana.keyboard.press('Enter');

    await expect.poll(() => recorder.count()).toBe(0);
    expect(await liveTracks(ana)).toBe(0);
    expect(await focusedId(ana)).toBe('thread-input');
    // A reply in the thread, on the server and in the panel; the room's log holds no voice message.
    // (The panel shows the reply as it goes; the store has it once the server answered.)
    await expect.poll(() => panel.locator('[part=voice]').count()).toBe(1);
    const stored = async () => (await chat.store.listMessages('plaza', { limit: 10, threadOf: parent.id })).messages;
    await expect
      .poll(async () => (await stored()).map((m) => [m.threadOf, m.attachments?.[0]?.kind]))
      .toEqual([
        [parent.id, undefined],
        [parent.id, 'voice'],
      ]);
    expect(await el(ana, '[part=log] [part=voice]').count()).toBe(0);
    await expectAccessible(ana, 'a voice reply in a thread');

    // The thread closed while recording: the recording goes, and so does the microphone.
    await mic.click();
    await expect.poll(() => recorder.locator('[role=timer]').textContent(), { timeout: 10_000 }).toBe('0:01');
    expect(await liveTracks(ana)).toBe(1);
    await panel.locator('.close-thread').click();
    await expect.poll(() => panel.count()).toBe(0);
    await expect.poll(() => liveTracks(ana)).toBe(0);
    expect(await el(ana, '[part=recorder]').count()).toBe(0);
    expect((await chat.store.listMessages('plaza', { limit: 10, threadOf: parent.id })).messages).toHaveLength(2);
  });

  it('no microphone button where the browser cannot record (no MediaRecorder); the attach button stays', async () => {
    const { open } = await startWidgetSite({ uploads: diskUploads({ dir: await diskDir() }) }, { waitForLog: true, rest: true });
    const ana = await open({ room: 'plaza', name: 'Ana', uploads: '' }, 560);
    await ana.addInitScript(() => Reflect.deleteProperty(window, 'MediaRecorder'));
    await ana.reload();
    await expect.poll(() => el(ana, '[part=attach-button]').count()).toBe(1);
    expect(await el(ana, '[part=record-button]').count()).toBe(0);
  });

  it('a microphone that cannot be used is said in a sentence, and the recorder closes', async () => {
    // Chromium without the fake devices: no microphone here, so the browser refuses it.
    const { open } = await startWidgetSite({ uploads: diskUploads({ dir: await diskDir() }) }, { waitForLog: true, rest: true });
    const ana = await open({ room: 'plaza', name: 'Ana', uploads: '' }, 560);
    await el(ana, '[part=record-button]').click();
    const alert = el(ana, '[part=recorder] [role=alert]');
    await expect
      .poll(() => alert.textContent(), { timeout: 10_000 })
      .toBe('The microphone could not be used. Allow it for this page in your browser, then try again.');
    expect(await focusedText(ana)).toBe('Close');
    await expectAccessible(ana, 'the microphone refused');
    await screenshot(el(ana, '').first(), 'widget-voice-mic-refused');
    await ana.keyboard.press('Enter');
    await expect.poll(() => el(ana, '[part=recorder]').count()).toBe(0);
  });
});
