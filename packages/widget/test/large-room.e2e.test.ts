import { describe, expect, it } from 'vitest';
import { axeViolations, skipWithoutChromium } from '../../../test-support/browser.js';
import { okData, rawSocket, request, type RawSocket } from '../../../test-support/servers.js';
import { startWidgetSite } from '../../../test-support/widget-site.js';

// A large room in the widget (issue 15): the people panel says how many are here and pages
// through them; past a few typists the typing line says "several people are typing".
describe.skipIf(skipWithoutChromium())('<chat-room> in a large room, in Chromium', () => {
  it('the people panel shows the count, a first page and a button for more; typing past a few is "several"', async () => {
    const { open, url } = await startWidgetSite({ largeRoomThreshold: 5 }, { waitForLog: true });
    const guests: RawSocket[] = [];
    let count: number | undefined;
    for (let i = 0; i < 55; i++) {
      const socket = await rawSocket(url, { name: `Guest ${String(i).padStart(2, '0')}` });
      okData(await request(socket, 'room:join', { roomId: 'stage' }));
      if (i === 0) socket.on('presence', (delta) => (count = delta.count ?? count));
      guests.push(socket);
    }
    // Every guest's arrival went out before Ana joins: a delta naming guests past the first page,
    // coming during or after her join, would list them (live changes are listed).
    await expect.poll(() => count).toBe(55);
    const ana = await open({ room: 'stage', name: 'Ana' }, 560);
    const toggle = ana.locator('chat-room header button[aria-controls=members]');
    await expect.poll(() => toggle.textContent()).toContain('56 here');
    await toggle.click();
    const panel = ana.getByRole('region', { name: 'People here' });
    // The join's first page (50 people), how many of everyone that is, and a button for more.
    await expect.poll(() => panel.locator('li').count()).toBe(50);
    expect(await panel.locator('.members-shown').textContent()).toBe('Showing 50 of 56');
    expect(await axeViolations(ana), "axe-core: a large room's people panel").toEqual([]);
    await panel.getByRole('button', { name: 'Show more people' }).click();
    await expect.poll(() => panel.locator('li').count()).toBe(56);
    expect(await panel.locator('.members-shown').count()).toBe(0);
    expect(await panel.getByRole('button', { name: 'Show more people' }).count()).toBe(0);

    // Four typing: more than the typing event names, so no names.
    for (const guest of guests.slice(0, 4)) okData(await request(guest, 'typing', { roomId: 'stage', typing: true }));
    await expect.poll(() => ana.locator('chat-room [part=typing]').textContent()).toContain('Several people are typing…');
    expect(await axeViolations(ana), 'axe-core: several people typing').toEqual([]);

    // The count stays live when people leave.
    for (const guest of guests.slice(40)) guest.disconnect();
    await expect.poll(() => toggle.textContent(), { timeout: 10_000 }).toContain('41 here');
    // A large room names a few comings and goings each second: no "joined" / "left" lines of them.
    expect(await ana.locator('chat-room .notice').allTextContents()).toEqual(['No messages yet. Say hello!']);
  });

  it('in Spanish', async () => {
    const { open, url } = await startWidgetSite({ largeRoomThreshold: 2 }, { waitForLog: true });
    const guests: RawSocket[] = [];
    for (let i = 0; i < 4; i++) {
      const socket = await rawSocket(url, { name: `Invitado ${i}` });
      okData(await request(socket, 'room:join', { roomId: 'escenario' }));
      guests.push(socket);
    }
    const ana = await open({ room: 'escenario', name: 'Ana', lang: 'es' }, 560);
    for (const guest of guests) okData(await request(guest, 'typing', { roomId: 'escenario', typing: true }));
    await expect.poll(() => ana.locator('chat-room [part=typing]').textContent()).toContain('Varias personas están escribiendo…');
  });
});
