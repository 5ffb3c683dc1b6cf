import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveReactions } from '@chat/server';
import type { LiveReactionBurst } from '@chat/client';
import { axeViolations, skipWithoutChromium } from '../../../test-support/browser.js';
import { okData, rawSocket, request, type RawSocket } from '../../../test-support/servers.js';
import { startWidgetSite } from '../../../test-support/widget-site.js';
import { artifacts } from './widget-page.js';

// Live reactions in the widget (#46): the bar under the log, loaded as chat-room.live-reactions.js
// when the room offers them, and each burst's emoji floating up (none with prefers-reduced-motion).

/** A raw socket in `room` that sends a reaction and records the bursts it hears. */
async function viewer(
  url: string,
  room: string,
): Promise<{ socket: RawSocket; bursts: LiveReactionBurst[]; react(emoji: string): Promise<unknown> }> {
  const socket = await rawSocket(url, { name: 'Luis' });
  okData(await request(socket, 'room:join', { roomId: room }));
  const bursts: LiveReactionBurst[] = [];
  const loose = socket as unknown as {
    on(event: string, fn: (burst: LiveReactionBurst) => void): void;
    emitWithAck(event: string, payload: unknown): Promise<unknown>;
  };
  loose.on('live-reaction:burst', (burst) => bursts.push(burst));
  return { socket, bursts, react: (emoji) => loose.emitWithAck('live-reaction:send', { roomId: room, emoji }) };
}

describe.skipIf(skipWithoutChromium())('<chat-room> live reactions, in Chromium', () => {
  it('shows the bar when the room offers reactions, sends what is pressed, floats what others send; axe-clean', async () => {
    const { open, url } = await startWidgetSite({ plugins: [liveReactions({ perUserPerSecond: 20 })] }, { waitForLog: true });
    const ana = await open({ room: 'town-hall', name: 'Ana' }, 560);
    const bar = ana.getByRole('group', { name: 'Live reactions' });
    await expect.poll(() => bar.getByRole('button').count()).toBe(6);
    expect(await axeViolations(ana), 'axe-core: the reaction bar').toEqual([]);

    const luis = await viewer(url, 'town-hall');
    await bar.getByRole('button', { name: 'React with 👏' }).click();
    await expect.poll(() => luis.bursts.some((b) => b.counts['👏'] === 1)).toBe(true);
    for (let i = 0; i < 4; i++) expect(await luis.react('🎉')).toMatchObject({ ok: true });
    await expect.poll(() => ana.locator('chat-room .floating span').count()).toBeGreaterThan(0);
    expect(await ana.locator('chat-room .floating').getAttribute('aria-hidden')).toBe('true');
    mkdirSync(artifacts, { recursive: true });
    await ana.screenshot({ path: join(artifacts, 'live-reactions.png') });
    expect(await axeViolations(ana), 'axe-core: reactions floating').toEqual([]);

    // Nothing floats for someone who asked for less motion; the bar stays.
    const still = await open({ room: 'town-hall', name: 'Eva', lang: 'es' }, 560);
    await still.emulateMedia({ reducedMotion: 'reduce' });
    await expect.poll(() => still.getByRole('group', { name: 'Reacciones en directo' }).getByRole('button').count()).toBe(6);
    for (let i = 0; i < 4; i++) expect(await luis.react('👏')).toMatchObject({ ok: true });
    await expect.poll(() => ana.locator('chat-room .floating span').count()).toBeGreaterThan(0);
    expect(await still.locator('chat-room .floating span').count()).toBe(0);
  });

  it('loads nothing of it where the server offers no live reactions', async () => {
    const { open } = await startWidgetSite({}, { waitForLog: true });
    const page = await open({ room: 'lobby', name: 'Ana' }, 560);
    const fetched: string[] = [];
    page.on('request', (request) => fetched.push(request.url()));
    await page.reload();
    await expect.poll(() => page.locator('chat-room [role=log]').count()).toBe(1);
    expect(await page.getByRole('group', { name: 'Live reactions' }).count()).toBe(0);
    expect(fetched.filter((u) => u.includes('live-reactions'))).toEqual([]);
  });
});
