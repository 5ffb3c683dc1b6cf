import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, skipWithoutChromium, screenshot } from '../../../test-support/browser.js';
import { startWidgetSite } from '../../../test-support/widget-site.js';

// What screenshots of the widget showed (issue 48, items 7 to 10), measured in Chromium against a
// real server: a message's actions over its own text with a thread open, the people panel beside a
// thread squeezing the log, an image the browser cannot decode, and what showed through the
// notifications menu's heading. axe-core on each state.

async function send(page: Page, text: string) {
  await page.locator('chat-room #input').fill(text);
  await page.locator('chat-room #input').press('Enter');
}
async function expectAccessible(page: Page, state: string) {
  expect(await axeViolations(page), `axe-core in state: ${state}`).toEqual([]);
}
const shoot = (page: Page, name: string) => screenshot(page.locator('chat-room'), name);
/** A site whose page gives the widget the whole viewport's width: `open(params, width)`. */
const startSite = () => startWidgetSite({}, { sidebarWidth: 4000, waitForLog: true });

/** Where a message's actions are, whether they show, and whether they cover a line of its text (or its name and time). */
const actionsOf = async (page: Page, i: number) => {
  const article = page.locator('chat-room .group:not(.pending) [role=article]').nth(i);
  // Drawn once chat-room.message-tools.js is in (fetched as the first messages are drawn).
  await article.locator('.actions').waitFor({ state: 'attached' });
  return article.evaluate((message) => {
    const actions = message.querySelector('.actions') as HTMLElement;
    const a = actions.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(message.querySelector('.text') as HTMLElement);
    const meta = message.previousElementSibling?.matches('.meta') ? Array.from(message.previousElementSibling.children) : [];
    const rects = [...Array.from(range.getClientRects()), ...meta.map((el) => el.getBoundingClientRect())];
    const hits = (r: DOMRect) => r.width > 0 && a.left < r.right && r.left < a.right && a.top < r.bottom && r.top < a.bottom;
    return { visible: getComputedStyle(actions).visibility, covers: rects.filter(hits).length };
  });
};

describe.skipIf(skipWithoutChromium())('<chat-room> layout fixes of issue 48, in Chromium', () => {
  it("a message's actions cover none of its text: with a thread open at 540 px, and at 320 px", async () => {
    const { open, chat } = await startSite();
    await chat.createRoom({ id: 'equipo' });
    for (const text of [
      'Agenda: presupuesto, fechas y reparto de tareas',
      'Agenda: presupuesto del trimestre y las fechas de entrega',
      'ok',
    ]) {
      await chat.sendMessage('equipo', { user: { id: 'luis', name: 'Luis' }, text });
    }
    for (const width of [540, 320]) {
      const ana = await open({ room: 'equipo', name: `Ana ${width}` }, width);
      if (width === 540) {
        await send(ana, 'Agenda: presupuesto, fechas y reparto de tareas para todos');
        await send(ana, 'ok');
        await expect.poll(() => ana.locator('chat-room .group:not(.pending) [role=article]').count()).toBe(5);
        await ana.locator('chat-room [role=article]').nth(0).hover();
        await ana.locator('chat-room [role=article]').nth(0).locator('.act-thread').click();
        await expect.poll(() => ana.locator('chat-room [part=thread]').count()).toBe(1);
      }
      const count = await ana.locator('chat-room .group:not(.pending) [role=article]').count();
      for (let i = 0; i < count; i++) {
        await ana.locator('chat-room .group:not(.pending) [role=article]').nth(i).hover();
        expect(await actionsOf(ana, i), `${width} px, message ${i}`).toEqual({ visible: 'visible', covers: 0 });
      }
      // A follow-on message of Luis's, and at 540 px your own long one, with their actions shown.
      await ana
        .locator('chat-room .group:not(.pending) [role=article]')
        .nth(width === 540 ? 3 : 1)
        .hover();
      await expectAccessible(ana, `a message's actions beside its text (${width} px)`);
      await shoot(ana, `widget-fix-actions-text-${width}`);
    }
  });

  it('the people panel opened with a thread open leaves the log readable: 900, 540 and 320 px', async () => {
    const { open, chat } = await startSite();
    await chat.createRoom({ id: 'equipo' });
    await chat.sendMessage('equipo', { user: { id: 'luis', name: 'Luis' }, text: 'Agenda: presupuesto, fechas y reparto de tareas' });
    for (const width of [900, 540, 320]) {
      const ana = await open({ room: 'equipo', name: `Ana ${width}` }, width);
      const article = ana.locator('chat-room [role=article]').first();
      await article.hover();
      await article.locator('.act-thread').click();
      await expect.poll(() => ana.locator('chat-room [part=thread]').count()).toBe(1);
      await ana.locator('chat-room header button[aria-controls=members]').click();
      await expect.poll(() => ana.locator('chat-room #members li').count()).toBeGreaterThan(0);
      const layout = await ana.locator('chat-room').evaluate((host) => {
        const root = host.shadowRoot as ShadowRoot;
        const log = (root.querySelector('.body > .log') as HTMLElement).getBoundingClientRect();
        /** Whether what shows at the middle of `selector` is inside `owner` (nothing covers it). */
        const shows = (selector: string, owner: string) => {
          const r = (root.querySelector(selector) as HTMLElement).getBoundingClientRect();
          return root.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)?.closest(owner) != null;
        };
        return {
          log: log.width,
          people: shows('#members li', '#members'),
          thread: shows('.thread-parent', '.thread'),
          threadBox: shows('.thread-composer textarea', '.thread'),
        };
      });
      // From 421 px up the log keeps at least 210 px (half of a 420 px widget); narrower, both open over it.
      if (width > 420) expect(layout.log, `${width} px: the log's width`).toBeGreaterThanOrEqual(210);
      expect(layout, `${width} px`).toMatchObject({ people: true, thread: true, threadBox: true });
      await expectAccessible(ana, `the people panel with a thread open (${width} px)`);
      await shoot(ana, `widget-fix-people-thread-${width}`);
    }
  });

  it("an image the browser cannot decode shows as a link with the file's name, which downloads it", async () => {
    const { open, chat } = await startSite();
    await chat.createRoom({ id: 'equipo' });
    const ana = await open({ room: 'equipo', name: 'Ana' }, 360);
    // The server accepted it as image/png; what the browser gets is not a PNG.
    await ana.route('https://example.com/**', (route) => route.fulfill({ contentType: 'image/png', body: 'not a png' }));
    const url = 'https://example.com/files/plano.png';
    await chat.sendMessage('equipo', {
      user: { id: 'luis', name: 'Luis' },
      text: 'El plano',
      attachments: [{ url, type: 'image/png', name: 'plano.png', size: 2048 }],
    });
    const link = ana.locator('chat-room [role=article] .attachments a.file');
    await expect.poll(() => link.count()).toBe(1);
    expect(await link.textContent()).toMatch(/plano\.png \(2 kB\)/u);
    expect(await link.getAttribute('href')).toBe(url);
    expect(await link.getAttribute('download')).toBe('plano.png');
    expect(await ana.locator('chat-room .thumb').count()).toBe(0);
    await expectAccessible(ana, 'an image the browser cannot decode, as a link');
    await shoot(ana, 'widget-fix-broken-image');
  });

  it('nothing behind the notifications menu shows through next to its heading (a 320 px widget)', async () => {
    const { open, chat } = await startSite();
    await chat.createRoom({ id: 'equipo' });
    for (let i = 0; i < 12; i++) {
      const [id, name] = i % 2 ? ['luis', 'Luis'] : ['eva', 'Eva'];
      await chat.sendMessage('equipo', { user: { id, name }, text: `message number ${i}` });
    }
    const ana = await open({ room: 'equipo', name: 'Ana' }, 320);
    await expect.poll(() => ana.locator('chat-room [role=article]').count()).toBe(12);
    // An avatar at the top of the log, where the menu's heading opens.
    await ana
      .locator('chat-room .avatar')
      .nth(3)
      .evaluate((avatar) => avatar.scrollIntoView({ block: 'start' }));
    await ana.locator('chat-room .bell').click();
    await expect.poll(() => ana.locator('chat-room #notify legend').count()).toBe(1);
    await expect.poll(() => ana.locator('chat-room #notify[aria-busy]').count()).toBe(0);
    // What the heading's line shows beside the heading: the menu's background and nothing else (a
    // hit test finds the menu there either way: what showed through was painted, not hit).
    const band = await ana.locator('chat-room').evaluate((host) => {
      const menu = (host.shadowRoot as ShadowRoot).querySelector('#notify') as HTMLElement;
      const m = menu.getBoundingClientRect();
      const legend = (menu.querySelector('legend') as HTMLElement).getBoundingClientRect();
      const clip = { x: legend.right + 4, y: legend.top + 1, width: m.right - legend.right - 8, height: legend.height - 2 };
      return { clip, background: getComputedStyle(menu).backgroundColor };
    });
    const png = (await ana.screenshot({ clip: band.clip })).toString('base64');
    const through = await ana.evaluate(
      async ({ png, background }) => {
        const image = new Image();
        image.src = `data:image/png;base64,${png}`;
        await image.decode();
        const canvas = Object.assign(document.createElement('canvas'), { width: image.width, height: image.height });
        const context = canvas.getContext('2d') as CanvasRenderingContext2D;
        context.drawImage(image, 0, 0);
        const want = (background.match(/\d+/gu) ?? []).map(Number);
        const { data } = context.getImageData(0, 0, image.width, image.height);
        let off = 0;
        for (let i = 0; i < data.length; i += 4) if ([0, 1, 2].some((c) => Math.abs((data[i + c] ?? 0) - (want[c] ?? 0)) > 4)) off++;
        return off;
      },
      { png, background: band.background },
    );
    expect(through, "pixels beside the heading that are not the menu's background").toBe(0);
    await expectAccessible(ana, 'the notifications menu over the log');
    await shoot(ana, 'widget-fix-notify-heading');
  });
});
