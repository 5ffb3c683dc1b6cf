import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, skipWithoutChromium } from '../../../test-support/browser.js';
import { startChat } from '../../../test-support/servers.js';
import { startWidgetSite } from '../../../test-support/widget-site.js';
import { SignJWT } from 'jose';
import { jwtAuthenticate, type ChatServerOptions } from '@chat/server';

const artifacts = fileURLToPath(new URL('../../../artifacts/screenshots/', import.meta.url));

const startSite = (options: ChatServerOptions = {}) => startWidgetSite(options, {});

const widget = (page: Page) => page.locator('chat-room');
/** axe-core (WCAG 2.1 A and AA) finds nothing in the widget as it is now, the state named by `state`. */
async function expectAccessible(page: Page, state: string) {
  expect(await axeViolations(page), `axe-core in state: ${state}`).toEqual([]);
}
const textarea = (page: Page) => page.getByRole('textbox', { name: /Message|Mensaje/u });
const messages = (page: Page) => page.locator('chat-room .message .text').allTextContents();
async function send(page: Page, text: string) {
  await textarea(page).fill(text);
  await textarea(page).press('Enter');
}

/** Contrast of text against the background behind it, for the first element of each selector in the widget. */
function contrastRatios(page: Page, selectors: Record<string, string>): Promise<Record<string, number>> {
  return page.evaluate((selectors) => {
    const root = document.querySelector('chat-room')!.shadowRoot!;
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const lum = (c: string) => {
      const [r, g, b] = rgb(c).map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const bgOf = (el: Element | null): string => {
      for (let e = el; e; e = e.parentElement ?? (e.getRootNode() as ShadowRoot).host ?? null) {
        const bg = getComputedStyle(e).backgroundColor;
        if (bg && !bg.startsWith('rgba(0, 0, 0, 0)') && bg !== 'transparent') return bg;
      }
      return 'rgb(255, 255, 255)';
    };
    const ratio = (sel: string) => {
      const el = root.querySelector(sel);
      if (!el) throw new Error(`No ${sel} in the widget`);
      const [a, b] = [lum(getComputedStyle(el).color), lum(bgOf(el))];
      return Math.round(((Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)) * 100) / 100;
    };
    return Object.fromEntries(Object.entries(selectors).map(([what, sel]) => [what, ratio(sel)]));
  }, selectors);
}

/** A node of Chromium's accessibility tree, as the DevTools protocol gives it. */
interface AXNode {
  nodeId?: string;
  childIds?: string[];
  role?: { value?: string };
  name?: { value?: string };
  description?: { value?: string };
  properties?: Array<{ name: string; value: { value?: unknown } }>;
  ignored?: boolean;
}

/** What a screen reader gets from Chromium: the page's accessibility tree, without ignored nodes. */
async function accessibilityTree(page: Page): Promise<AXNode[]> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AXNode[] };
  await cdp.detach();
  return nodes.filter((n) => !n.ignored);
}

describe.skipIf(skipWithoutChromium())('<chat-room> in Chromium', () => {
  it('two people see each other, see typing, exchange messages; markup and scripts stay text', async () => {
    const { open } = await startSite();
    const ana = await open({ room: 'lobby', name: 'Ana' });
    const luis = await open({ room: 'lobby', name: '<b>Luis</b>' });
    await expect.poll(() => widget(ana).getByRole('button', { name: '2 here' }).count()).toBe(1);
    await widget(ana).getByRole('button', { name: '2 here' }).click();
    await expect.poll(() => ana.locator('chat-room #members .who > span').allTextContents()).toEqual(['Ana (You)', '<b>Luis</b>']); // the first to join owns nothing (ownerOnJoin)

    await expect.poll(() => ana.locator('chat-room .notice').allTextContents()).toContain('<b>Luis</b> joined');
    await textarea(luis).pressSequentially('hel');
    await expect.poll(async () => (await ana.locator('chat-room .typing').textContent())?.trim()).toBe('<b>Luis</b> is typing…');
    await expectAccessible(ana, 'joined, people list open, someone typing');
    // Emptying the box takes "is typing" away at once, not when the server's 5 s run out.
    await textarea(luis).press('Control+a');
    await textarea(luis).press('Backspace');
    await expect.poll(async () => (await ana.locator('chat-room .typing').textContent())?.trim(), { timeout: 3000 }).toBe('');

    const payloads = [
      '<img src=x onerror="window.pwned=1">',
      '<script>window.pwned=1</script>',
      '<b>not bold</b> & "quoted"',
      'javascript:window.pwned=1 and https://example.com/a?b=1.',
    ];
    for (const text of payloads) await send(ana, text);
    await send(luis, 'hola');
    const expected = [...payloads, 'hola'];
    await expect.poll(() => messages(ana)).toEqual(expected);
    await expect.poll(() => messages(luis)).toEqual(expected);
    for (const page of [ana, luis]) {
      expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
      expect(await page.locator('chat-room .message img, chat-room .message script, chat-room .message b').count()).toBe(0);
      const links = await page.locator('chat-room .message a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
      expect(links).toEqual(['https://example.com/a?b=1']);
    }
    expect(await ana.locator('chat-room .name').allTextContents()).toContain('<b>Luis</b>');
    await expectAccessible(ana, 'joined with messages and links');
    const events = await ana.evaluate(() => (window as unknown as { events: Array<[string, unknown]> }).events.map(([t]) => t));
    expect(events).toContain('chat-join');
    expect(events.filter((t) => t === 'chat-message')).toHaveLength(5);
  });

  it('survives a server-side disconnect: queued messages go out, nothing lost or doubled', async () => {
    const { open, chat } = await startSite();
    const ana = await open({ room: 'r', name: 'Ana' });
    const luis = await open({ room: 'r', name: 'Luis' });
    await send(ana, 'before');
    await expect.poll(() => messages(luis)).toEqual(['before']);
    chat.io.disconnectSockets(true);
    await expect.poll(() => ana.locator('chat-room [part=banner]').textContent()).toContain('offline');
    await send(ana, 'while offline');
    expect(await ana.locator('chat-room .status').textContent()).toBe('Sending…');
    await expectAccessible(ana, 'offline banner, a message waiting');
    await chat.sendMessage('r', { user: { id: 'bot', name: 'Bot' }, text: 'from the server meanwhile' });
    await expect.poll(() => ana.locator('chat-room [part=banner]').count(), { timeout: 10_000 }).toBe(0);
    const all = ['before', 'from the server meanwhile', 'while offline'];
    await expect.poll(() => messages(ana), { timeout: 10_000 }).toEqual(all);
    await expect.poll(() => messages(luis), { timeout: 10_000 }).toEqual(all);
    expect(await ana.locator('chat-room .status').count()).toBe(0);
  });

  it('lays messages out one under another, each as tall as its text', async () => {
    const { open } = await startSite();
    const page = await open({ room: 'layout', name: 'Ana' });
    await send(page, 'first');
    await send(page, 'second');
    await send(page, 'two\nlines');
    await expect.poll(() => messages(page)).toEqual(['first', 'second', 'two\nlines']);
    // Read once all three are laid out: under load a run once read the third at 0 x 0 (between the
    // message waiting in the outbox and the stored one taking its place).
    const layout = () =>
      page
        .locator('chat-room .message')
        .evaluateAll((els) => els.map((el) => el.getBoundingClientRect()).map((r) => ({ top: r.top, bottom: r.bottom, height: r.height })));
    // Stacked, not side by side, read from one snapshot: a second read once failed with the third
    // box at the top of the log, replaced between the two reads.
    let boxes: Array<{ top: number; bottom: number; height: number }> = [];
    const stacked = () => boxes.every((box, i) => box.height > 0 && (i === 0 || box.top >= boxes[i - 1]!.bottom - 1));
    await expect.poll(async () => ((boxes = await layout()), boxes.length === 3 && stacked())).toBe(true);
    const line = boxes[0]!.height;
    expect(line).toBeLessThan(30); // one line of text, no blank lines around it
    expect(boxes[2]!.height).toBeGreaterThan(line * 1.5); // a real line break is kept
  });

  it('works from the keyboard and every control has a label', async () => {
    const { open } = await startSite({ ownerOnJoin: true });
    const page = await open({ room: 'k', name: 'Ana' });
    await expect.poll(() => widget(page).getByRole('log', { name: 'Messages' }).count()).toBe(1);
    await page.keyboard.press('Tab'); // members toggle
    await expect
      .poll(() => page.evaluate(() => document.querySelector('chat-room')?.shadowRoot?.activeElement?.getAttribute('aria-expanded')))
      .toBe('false');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('chat-room #members').count()).toBe(1);
    await page.keyboard.press('Tab'); // the search button
    await page.keyboard.press('Tab'); // the notifications button
    await page.keyboard.press('Tab'); // the moderation button (Ana created the room: she owns it, ownerOnJoin)
    await page.keyboard.press('Tab'); // the log (scrollable, focusable)
    await page.keyboard.press('Tab'); // the people panel's close button
    await page.keyboard.press('Tab'); // the text box
    await page.keyboard.type('first line');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('second line');
    await page.keyboard.press('Enter');
    await expect.poll(() => messages(page)).toEqual(['first line\nsecond line']);
    for (const role of ['button', 'textbox'] as const) {
      const names = await widget(page)
        .getByRole(role)
        .evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? (el as HTMLElement).innerText ?? ''));
      expect(names.length).toBeGreaterThan(0);
    }
    await expect.poll(() => widget(page).getByRole('button', { name: 'Send' }).count()).toBe(1);
    await expect.poll(() => widget(page).getByRole('textbox', { name: 'Message' }).count()).toBe(1);
  });

  it('holds text contrast of 4.5:1 in both themes, and saves a screenshot of each', async () => {
    const { open } = await startSite();
    mkdirSync(artifacts, { recursive: true });
    for (const theme of ['light', 'dark']) {
      const page = await open({ room: `t-${theme}`, name: 'Ana', theme });
      await send(page, 'Hello from the contrast check https://example.com');
      await expect.poll(() => messages(page)).toHaveLength(1);
      // Stored, not waiting in the outbox: only a stored message has its time.
      await expect.poll(() => widget(page).locator('.meta time').count()).toBe(1);
      const ratios = await contrastRatios(page, {
        text: '.message .text',
        link: '.message a',
        time: 'time',
        notice: '.notice',
        send: '[part=send-button]',
        name: '.name',
      });
      for (const [what, value] of Object.entries(ratios)) expect(value, `${theme} ${what}`).toBeGreaterThanOrEqual(4.5);
      await expectAccessible(page, `${theme} theme`);
      await widget(page).screenshot({ path: `${artifacts}widget-${theme}.png` });
    }
  });

  it('asks for another name when the chosen one is taken: reason announced, focus and name in the field', async () => {
    const { open } = await startSite();
    mkdirSync(artifacts, { recursive: true });
    await open({ room: 'names', name: 'Ana' });
    for (const theme of ['light', 'dark']) {
      const page = await open({ room: 'names', theme });
      const field = widget(page).getByRole('textbox', { name: 'Your name' });
      await expectAccessible(page, `name prompt, ${theme} theme`);
      await field.fill('ana');
      await field.press('Enter'); // from the keyboard, as a guest does
      const reason = 'Someone in this room is already called "ana". Please choose another name.';
      await expect.poll(() => page.locator('chat-room [part=name-error]').textContent()).toBe(reason);
      expect(await page.locator('chat-room .prompt > p').first().textContent()).toBe('Choose another name to join the chat.');
      // Focus is back on the field, which holds the refused name.
      const focused = () => page.evaluate(() => document.querySelector('chat-room')?.shadowRoot?.activeElement?.id);
      await expect.poll(focused).toBe('name');
      expect(await field.inputValue()).toBe('ana');
      // What assistive technology gets: an invalid text box described by the reason, and an alert.
      const tree = await accessibilityTree(page);
      const box = tree.find((n) => n.role?.value === 'textbox');
      expect(box?.name?.value).toBe('Your name');
      expect(box?.description?.value).toBe(reason);
      expect(box?.properties?.find((p) => p.name === 'invalid')?.value.value).toBe('true');
      expect(tree.filter((n) => n.role?.value === 'alert')).toHaveLength(1);
      for (const role of ['button', 'textbox'] as const) {
        const unnamed = tree.filter((n) => n.role?.value === role && !n.name?.value);
        expect(unnamed, `${role} without a name`).toEqual([]);
      }
      const ratios = await contrastRatios(page, { reason: '[part=name-error]', prompt: '.prompt > p', join: 'button.primary' });
      for (const [what, value] of Object.entries(ratios)) expect(value, `${theme} ${what}`).toBeGreaterThanOrEqual(4.5);
      await expectAccessible(page, `name prompt with the server's reason, ${theme} theme`);
      await widget(page).screenshot({ path: `${artifacts}widget-name-taken-${theme}.png` });

      await page.keyboard.press('Control+A');
      await page.keyboard.type(`Ana ${theme}`);
      await page.keyboard.press('Enter');
      await expect.poll(() => widget(page).getByRole('log', { name: 'Messages' }).count()).toBe(1);
      await send(page, `hello from Ana ${theme}`);
      await expect.poll(() => messages(page)).toContain(`hello from Ana ${theme}`);
      const errors = await page.evaluate(() =>
        (window as unknown as { events: Array<[string, { error?: { code: string } }]> }).events
          .filter(([t]) => t === 'chat-error')
          .map(([, d]) => d.error?.code),
      );
      expect(errors).toEqual(['NAME_TAKEN']);

      // A reload of the tab is the same guest with the same name: not asked again.
      await page.reload();
      await expect.poll(() => widget(page).getByRole('log', { name: 'Messages' }).count()).toBe(1);
      expect(await widget(page).getByRole('textbox', { name: 'Your name' }).count()).toBe(0);
      await expect.poll(() => page.locator('chat-room .own').count()).toBeGreaterThan(0);
    }
  });

  it('counts unread while scrolled up, offers a jump, and bounds what a long room renders', async () => {
    const { open, chat } = await startSite({ limits: { defaultHistoryPage: 100 } });
    for (let i = 1; i <= 400; i++) await chat.sendMessage('long', { user: { id: 'bot', name: 'Bot' }, text: `m${i}` });
    const page = await open({ room: 'long', name: 'Ana' });
    await expect.poll(() => page.locator('chat-room .message').count()).toBe(100);
    const log = page.locator('chat-room [part=log]');
    await log.evaluate((el) => (el.scrollTop = 0));
    await expect.poll(() => page.locator('chat-room .message').count(), { timeout: 10_000 }).toBe(200);
    expect((await messages(page))[0]).toBe('m201');
    await chat.sendMessage('long', { user: { id: 'bot', name: 'Bot' }, text: 'new one' });
    await expect.poll(() => widget(page).getByRole('button', { name: '1 new message' }).count()).toBe(1);
    await expectAccessible(page, 'scrolled up, a "new messages" button');
    const unread = await page.evaluate(() =>
      (window as unknown as { events: Array<[string, { count?: number }]> }).events
        .filter(([t]) => t === 'chat-unread')
        .map(([, d]) => d.count),
    );
    expect(unread).toEqual([1]);
    await widget(page).getByRole('button', { name: '1 new message' }).click();
    await expect
      .poll(() =>
        widget(page)
          .getByRole('button', { name: /new message/u })
          .count(),
      )
      .toBe(0);
    expect((await messages(page)).at(-1)).toBe('new one');
  });

  it('scrolling up with the wheel loads older pages one after another, keeping what the reader was looking at', async () => {
    const { open, chat } = await startSite();
    for (let i = 1; i <= 200; i++) await chat.sendMessage('wheel', { user: { id: 'bot', name: 'Bot' }, text: `m${i}` });
    const page = await open({ room: 'wheel', name: 'Ana' });
    await expect.poll(() => page.locator('chat-room .message').count()).toBe(50); // the first page
    const log = page.locator('chat-room [part=log]');
    /** The texts of the messages wholly in view. */
    const shown = () =>
      log.evaluate((el) => {
        const box = el.getBoundingClientRect();
        return Array.from(el.querySelectorAll('.message'))
          .filter((m) => m.getBoundingClientRect().top >= box.top && m.getBoundingClientRect().bottom <= box.bottom)
          .map((m) => m.querySelector('.text')?.textContent);
      });
    const box = (await log.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    // Up to the top of the first page: the page before it loads, and the same messages stay in view.
    while ((await log.evaluate((el) => el.scrollTop)) > 400) await page.mouse.wheel(0, -200);
    const before = await shown(); // near the top, not there yet: nothing loads
    expect(await page.locator('chat-room .message').count()).toBe(50);
    await page.mouse.wheel(0, -600);
    await expect.poll(() => page.locator('chat-room .message').count(), { timeout: 10_000 }).toBe(100);
    await expect.poll(async () => (await shown()).includes(before[0])).toBe(true);
    expect(await log.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
    // And on up: the next pages load the same way, to the very first message.
    for (let i = 0; i < 60 && (await page.locator('chat-room .message').count()) < 200; i++) {
      await page.mouse.wheel(0, -400);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await page.locator('chat-room .message').count()).toBe(200);
  });

  it('a reader at the top of the room is not moved by a new message at the bottom', async () => {
    const { open, chat } = await startSite();
    for (let i = 1; i <= 30; i++) await chat.sendMessage('top', { user: { id: 'bot', name: 'Bot' }, text: `m${i}` });
    const page = await open({ room: 'top', name: 'Ana' });
    await expect.poll(() => page.locator('chat-room .message').count()).toBe(30); // the whole room: nothing older to load
    const log = page.locator('chat-room [part=log]');
    // At the top, and still there two frames later (a loaded machine may draw the first view's
    // scroll to the bottom after the test scrolled up).
    await expect
      .poll(() =>
        log.evaluate(async (el) => {
          el.scrollTop = 0;
          await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
          return el.scrollTop;
        }),
      )
      .toBe(0);
    await expect.poll(() => widget(page).getByText('This is the beginning of the conversation.').count()).toBe(1);
    await chat.sendMessage('top', { user: { id: 'eva', name: 'Eva' }, text: 'new at the bottom' });
    await expect.poll(() => widget(page).getByRole('button', { name: '1 new message' }).count()).toBe(1);
    expect(await log.evaluate((el) => el.scrollTop)).toBe(0);
  });

  it('switches rooms cleanly when the room attribute changes, and speaks Spanish by lang', async () => {
    const { open, chat } = await startSite();
    await chat.sendMessage('a', { user: { id: 'bot', name: 'Bot' }, text: 'in a' });
    await chat.sendMessage('b', { user: { id: 'bot', name: 'Bot' }, text: 'in b' });
    const page = await open({ room: 'a', name: 'Ana', lang: 'es' });
    await expect.poll(() => messages(page)).toEqual(['in a']);
    await widget(page).evaluate((el) => el.setAttribute('room', 'b'));
    await expect.poll(() => messages(page)).toEqual(['in b']);
    await expect.poll(async () => (await chat.io.in('a').fetchSockets()).length).toBe(0);
    expect(await widget(page).getByRole('button', { name: 'Enviar' }).count()).toBe(1);
    expect(await page.locator('chat-room textarea').getAttribute('placeholder')).toBe('Escribe un mensaje…');
    await expectAccessible(page, 'Spanish');
  });

  it('shows a refused message as failed with Retry and Discard, and renders attachments', async () => {
    const { open, chat } = await startSite({ limits: { maxTextLength: 20 } });
    const page = await open({ room: 'f', name: 'Ana' });
    // The thumbnail comes from a fake host: a real 1x1 PNG, no network (a failed load would be a page error).
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
    await page.route('https://example.com/**', (route) => route.fulfill({ contentType: 'image/png', body: png }));
    await send(page, 'this text is longer than twenty characters');
    await expect.poll(() => page.locator('chat-room .status.failed').count()).toBe(1);
    await expectAccessible(page, 'a message refused, with Retry and Discard');
    expect(await page.locator('chat-room .status.failed').textContent()).toContain('Messages can be at most 20 characters long.');
    const errors = await page.evaluate(() =>
      (window as unknown as { events: Array<[string, { error?: { code: string } }]> }).events.filter(([t]) => t === 'chat-error'),
    );
    expect(errors[0]?.[1].error?.code).toBe('PAYLOAD_TOO_LARGE');
    await widget(page).getByRole('button', { name: 'Discard' }).click();
    await expect.poll(() => page.locator('chat-room .status').count()).toBe(0);

    await chat.sendMessage('f', {
      user: { id: 'bot', name: 'Bot' },
      text: 'files',
      attachments: [
        { url: 'https://example.com/cat.png', type: 'image/png', name: 'cat.png' },
        { url: 'https://example.com/report.pdf', type: 'application/pdf', name: 'report.pdf' },
      ],
    });
    await expect.poll(() => page.locator('chat-room .attachments > *').count()).toBe(2);
    const original = await chat.sendMessage('f', { user: { id: 'bot', name: 'Bot' }, text: '<i>original</i>' });
    await chat.sendMessage('f', { user: { id: 'bot2', name: 'Eva' }, text: 'answer', replyTo: original.id });
    await expect.poll(async () => (await page.locator('chat-room .reply').textContent())?.trim()).toBe('in reply to Bot: <i>original</i>');
    expect(await page.locator('chat-room .attachments .thumb').getAttribute('aria-label')).toBe('View cat.png');
    expect(await page.locator('chat-room .attachments .thumb img').getAttribute('alt')).toBe('cat.png'); // its name, not alt=""
    expect(await page.locator('chat-room .attachments a.file').textContent()).toContain('report.pdf');
    await expectAccessible(page, 'attachments and a reply');
  });

  it('counts unread while the page is hidden and clears when it is seen again', async () => {
    const { open, chat } = await startSite();
    const page = await open({ room: 'hidden', name: 'Ana' });
    await expect.poll(() => widget(page).getByRole('log').count()).toBe(1);
    const setHidden = (hidden: boolean) =>
      page.evaluate((h) => {
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    const unread = () =>
      page.evaluate(() =>
        (window as unknown as { events: Array<[string, { count?: number }]> }).events
          .filter(([t]) => t === 'chat-unread')
          .map(([, d]) => d.count),
      );
    await setHidden(true);
    await chat.sendMessage('hidden', { user: { id: 'bot', name: 'Bot' }, text: 'while you were away' });
    await chat.sendMessage('hidden', { user: { id: 'bot', name: 'Bot' }, text: 'and again' });
    await expect.poll(unread).toEqual([1, 2]);
    await setHidden(false);
    await expect.poll(unread).toEqual([1, 2, 0]);
  });

  it('theme="auto" follows the system colour scheme', async () => {
    const { browser, url } = await startSite();
    const background = async (colorScheme: 'light' | 'dark') => {
      const page = await (await browser.newContext({ colorScheme })).newPage();
      await page.goto(`${url}/page?${new URLSearchParams({ server: url, room: 'auto', name: `U-${colorScheme}` })}`);
      await expect.poll(() => page.locator('chat-room .frame').count()).toBe(1);
      return page.locator('chat-room').evaluate((el) => getComputedStyle(el).backgroundColor);
    };
    expect(await background('light')).toBe('rgb(255, 255, 255)');
    expect(await background('dark')).toBe('rgb(22, 25, 29)');
  });

  it('axe-core sees into the shadow root: it finds a button without a name and text without contrast', async () => {
    const { open } = await startSite();
    const page = await open({ room: 'axe', name: 'Ana', theme: 'dark' });
    await expect.poll(() => widget(page).getByRole('log').count()).toBe(1);
    await expectAccessible(page, 'joined, empty room, dark theme');
    await widget(page).evaluate((el) => {
      const header = el.shadowRoot!.querySelector('header')!;
      header.append(document.createElement('button'));
      const faint = document.createElement('span');
      faint.textContent = 'hard to read';
      faint.style.color = '#2a2d31';
      header.append(faint);
    });
    const found = await axeViolations(page);
    expect(found.some((v) => v.startsWith('button-name'))).toBe(true);
    expect(found.some((v) => v.startsWith('color-contrast'))).toBe(true);
  });

  it('connects through a custom Socket.IO path', async () => {
    const { open } = await startSite({ path: '/chat/socket.io' });
    const page = await open({ room: 'pathed', name: 'Ana', path: '/chat/socket.io' });
    await send(page, 'through a custom path');
    await expect.poll(() => messages(page)).toEqual(['through a custom path']);
  });
});

describe.skipIf(skipWithoutChromium())(
  '<chat-room> in Chromium: removal, missing messages, history reset, expired sign-in',
  { timeout: 60_000 },
  () => {
    /** The text of each alert a screen reader gets from Chromium (an alert's text is in its descendants). */
    const alerts = async (page: Page) => {
      const cdp = await page.context().newCDPSession(page);
      const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AXNode[] };
      await cdp.detach();
      const byId = new Map(nodes.map((n) => [n.nodeId, n]));
      const text = (n: AXNode | undefined): string =>
        !n ? '' : n.role?.value === 'StaticText' ? (n.name?.value ?? '') : (n.childIds ?? []).map((id) => text(byId.get(id))).join('');
      return nodes
        .filter((n) => !n.ignored && n.role?.value === 'alert')
        .map(text)
        .filter((t) => t !== '');
    };
    const bannerText = (page: Page) => page.locator('chat-room [part=banner]').textContent();
    /** The log as it reads: messages, and notices in brackets. */
    const logLines = (page: Page) =>
      page
        .locator('chat-room [role=log] .message .text, chat-room [role=log] .notice')
        .evaluateAll((els) => els.map((el) => (el.classList.contains('notice') ? `[${el.textContent}]` : el.textContent)));

    for (const [lang, theme, text] of [
      ['en', 'light', 'You no longer have access to this room.'],
      ['es', 'dark', 'Ya no tienes acceso a esta sala.'],
    ] as const) {
      it(`says plainly when the server takes the user out of the room, and disables the composer (${lang}, ${theme})`, async () => {
        mkdirSync(artifacts, { recursive: true });
        const { open, chat } = await startSite();
        await chat.createRoom({ id: 'cita-42', title: 'Cita 42', createdBy: 'host-user' });
        await chat.sendMessage('cita-42', { user: { id: 'host-user', name: 'Dr. Ruiz' }, text: 'Welcome, see you at 10.' });
        const page = await open({ room: 'cita-42', name: 'Ana', lang, theme });
        await expect.poll(() => messages(page)).toEqual(['Welcome, see you at 10.']);
        await textarea(page).focus();
        await chat.updateRoom('cita-42', { options: { private: true } });
        await expect.poll(() => bannerText(page)).toBe(text);
        // A screen reader hears it at once (an alert), and the composer cannot be used.
        expect(await alerts(page)).toEqual([text]);
        expect(await textarea(page).isDisabled()).toBe(true);
        expect(
          await widget(page)
            .getByRole('button', { name: lang === 'es' ? 'Enviar' : 'Send' })
            .isDisabled(),
        ).toBe(true);
        expect(await messages(page)).toEqual(['Welcome, see you at 10.']);
        const ratios = await contrastRatios(page, { banner: '[part=banner]' });
        expect(ratios.banner, `${theme} banner`).toBeGreaterThanOrEqual(4.5);
        await expectAccessible(page, `removed from the room (${lang}, ${theme})`);
        await widget(page).screenshot({ path: `${artifacts}widget-removed-${theme}.png` });
        // Focus was in the text box: it moves to the log, so the keyboard stays in the widget.
        const focusedRole = () => page.evaluate(() => document.querySelector('chat-room')?.shadowRoot?.activeElement?.getAttribute('role'));
        await expect.poll(focusedRole).toBe('log');
        await page.keyboard.press('Shift+Tab'); // back to the people toggle, which now counts nobody: the user is out
        expect(await page.evaluate(() => document.querySelector('chat-room')?.shadowRoot?.activeElement?.textContent?.trim())).toBe(
          lang === 'es' ? '0 personas' : '0 here',
        );
        const errors = await page.evaluate(() =>
          (window as unknown as { events: Array<[string, { error?: { code: string } }]> }).events
            .filter(([t]) => t === 'chat-error')
            .map(([, d]) => d.error?.code),
        );
        expect(errors).toEqual(['FORBIDDEN']);
      });
    }

    for (const [lang, theme, text] of [
      ['en', 'light', 'Some messages could not be loaded.'],
      ['es', 'dark', 'No se pudieron cargar algunos mensajes.'],
    ] as const) {
      it(`marks the place where messages are missing for good (${lang}, ${theme})`, async () => {
        mkdirSync(artifacts, { recursive: true });
        const { open, chat } = await startSite();
        await chat.createRoom({ id: 'call', title: 'Call', options: { ephemeral: true } });
        const page = await open({ room: 'call', name: 'Ana', lang, theme });
        await expect.poll(() => widget(page).getByRole('log').count()).toBe(1);
        await expect.poll(async () => (await chat.io.in('call').fetchSockets()).length).toBe(1);
        await chat.sendMessage('call', { user: { id: 'luis', name: 'Luis' }, text: 'Can you hear me?' });
        await expect.poll(() => messages(page)).toEqual(['Can you hear me?']);
        // Ephemeral rooms keep nothing: what is said while the widget is away is gone.
        chat.io.disconnectSockets(true);
        await chat.sendMessage('call', { user: { id: 'luis', name: 'Luis' }, text: 'said while away' });
        await expect.poll(async () => (await chat.io.in('call').fetchSockets()).length, { timeout: 10_000 }).toBe(1);
        await chat.sendMessage('call', { user: { id: 'luis', name: 'Luis' }, text: 'Back? You missed a bit.' });
        await expect.poll(() => logLines(page), { timeout: 10_000 }).toEqual(expect.arrayContaining([`[${text}]`]));
        const lines = await logLines(page);
        expect(lines.slice(lines.indexOf('Can you hear me?'))).toEqual(['Can you hear me?', `[${text}]`, 'Back? You missed a bit.']);
        const ratios = await contrastRatios(page, { gap: '.notice.break' });
        expect(ratios.gap, `${theme} gap line`).toBeGreaterThanOrEqual(4.5);
        await expectAccessible(page, `a gap in the log (${lang}, ${theme})`);
        await widget(page).screenshot({ path: `${artifacts}widget-gap-${theme}.png` });
      });
    }

    it('starts the log over when the server history of the room starts over', async () => {
      mkdirSync(artifacts, { recursive: true });
      const site = await startSite();
      const page = await site.open({ room: 'demo', name: 'Ana' });
      await send(page, 'old 1');
      await send(page, 'old 2');
      await expect.poll(() => messages(page)).toEqual(['old 1', 'old 2']);
      // The server restarts on a memory store: the room's history starts again at seq 1.
      await site.chat.close();
      site.http.closeAllConnections();
      await new Promise<void>((resolve) => site.http.close(() => resolve()));
      const http = createServer();
      await new Promise<void>((resolve) => http.listen(site.port, '127.0.0.1', resolve));
      const second = await startChat({}, http);
      await second.chat.sendMessage('demo', { user: { id: 'luis', name: 'Luis' }, text: 'new 1' });
      const text = 'The chat history was reset on the server. Earlier messages are no longer available.';
      await expect
        .poll(() => logLines(page), { timeout: 15_000 })
        .toEqual(['[This is the beginning of the conversation.]', `[${text}]`, '[Today]', 'new 1']);
      await send(page, 'new 2');
      await expect.poll(() => messages(page)).toEqual(['new 1', 'new 2']);
      await expectAccessible(page, 'after a history reset');
      await widget(page).screenshot({ path: `${artifacts}widget-history-reset-light.png` });
    });

    const secret = 'a-test-secret-that-is-long-enough-for-hs256';
    /** A JWT for Ana that expires `seconds` from now. */
    const token = (seconds: number) =>
      new SignJWT({ name: 'Ana' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('ana')
        .setExpirationTime(Math.floor(Date.now() / 1000) + seconds)
        .sign(new TextEncoder().encode(secret));
    const authenticate = jwtAuthenticate({ secret, algorithms: ['HS256'], clockTolerance: 0 });

    for (const [lang, theme, text] of [
      ['en', 'light', 'Your sign-in has expired. Sign in again to keep chatting.'],
      ['es', 'dark', 'Tu sesión ha caducado. Vuelve a iniciar sesión para seguir chateando.'],
    ] as const) {
      it(`says when the sign-in expired; a fresh token attribute signs the same widget in again (${lang}, ${theme})`, async () => {
        mkdirSync(artifacts, { recursive: true });
        const { open, chat } = await startSite({ authenticate });
        let connections = 0;
        chat.io.on('connection', () => connections++);
        // Long enough for a loaded machine to open the page and send before it expires.
        const page = await open({ room: 'r', token: await token(8), lang, theme });
        await send(page, 'before');
        await expect.poll(() => messages(page)).toEqual(['before']);
        await expect.poll(() => bannerText(page), { timeout: 20_000 }).toBe(text);
        expect(await alerts(page)).toEqual([text]);
        expect(await textarea(page).isDisabled()).toBe(true);
        const ratios = await contrastRatios(page, { banner: '[part=banner]' });
        expect(ratios.banner, `${theme} banner`).toBeGreaterThanOrEqual(4.5);
        await expectAccessible(page, `signed out (${lang}, ${theme})`);
        await widget(page).screenshot({ path: `${artifacts}widget-signed-out-${theme}.png` });

        const fresh = await token(3600);
        await widget(page).evaluate((el, t) => el.setAttribute('token', t), fresh);
        await expect.poll(() => page.locator('chat-room [part=banner]').count(), { timeout: 10_000 }).toBe(0);
        expect(await textarea(page).isDisabled()).toBe(false);
        await send(page, 'after');
        await expect.poll(() => messages(page)).toEqual(['before', 'after']);
        // The widget kept its client: one connection for the first token, one after the sign-out.
        expect(connections).toBe(2);
        const errors = await page.evaluate(() =>
          (window as unknown as { events: Array<[string, { error?: { code: string } }]> }).events
            .filter(([t]) => t === 'chat-error')
            .map(([, d]) => d.error?.code),
        );
        expect(new Set(errors)).toEqual(new Set(['UNAUTHENTICATED']));
      });
    }

    it('a refreshToken given by the page after load signs the widget in again when the token expires', async () => {
      const { open, chat } = await startSite({ authenticate });
      let connections = 0;
      chat.io.on('connection', () => connections++);
      const fresh = await token(3600);
      const page = await open({ room: 'r', token: await token(8) });
      // The page's function: here it hands over a token the test made (a real page would fetch one).
      await page.exposeFunction('fetchChatToken', () => fresh);
      await send(page, 'before');
      await expect.poll(() => messages(page)).toEqual(['before']);
      await widget(page).evaluate((el) => {
        (el as HTMLElement & { refreshToken: () => Promise<string> }).refreshToken = () =>
          (window as unknown as { fetchChatToken: () => Promise<string> }).fetchChatToken();
      });
      // The first token expires and the server signs the connection out; the widget signs in again.
      await expect.poll(() => connections, { timeout: 20_000 }).toBe(2);
      await expect.poll(() => page.locator('chat-room [part=banner]').count(), { timeout: 10_000 }).toBe(0);
      await send(page, 'after');
      await expect.poll(() => messages(page)).toEqual(['before', 'after']);
      expect(await alerts(page)).toEqual([]);
    });

    it('passes axe-core at 280 px with the people list open, in the dark theme', async () => {
      const { open } = await startSite();
      await open({ room: 'narrow', name: 'Luis' });
      const page = await open({ room: 'narrow', name: 'Ana', theme: 'dark' }, 280);
      await widget(page).getByRole('button', { name: '2 here' }).click();
      await expect.poll(() => page.locator('chat-room #members li').count()).toBe(2);
      await send(page, 'narrow but usable');
      await expect.poll(() => messages(page)).toEqual(['narrow but usable']);
      await expectAccessible(page, 'narrow (280 px), people list open, dark');
    });
  },
);
