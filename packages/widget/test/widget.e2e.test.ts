import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { axeViolations, skipWithoutChromium } from '../../../test-support/browser.js';
import {
  accessibilityTree,
  artifacts,
  contrastRatios,
  errorCodes,
  expectAccessible,
  messages,
  send,
  startSite,
  textarea,
  widget,
} from './widget-page.js';

// The widget's core in Chromium, by one script tag: messaging, layout, keyboard, contrast, names,
// scrolling and unread counts. What interrupts a session (removal, gaps, a history reset, an
// expired sign-in) is in interruptions.e2e.test.ts.

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
    await chat.sendMessage('r', { user: { id: 'bot', name: 'Bot' }, text: 'from the server meanwhile' });
    await expectAccessible(ana, 'offline banner, a message waiting');
    await expect.poll(() => ana.locator('chat-room [part=banner]').count(), { timeout: 10_000 }).toBe(0);
    // Each once, and in the same order for both: the server's. Which of the last two the server
    // stored first depends on when Ana's client reconnected (under load, before the host's send).
    const all = ['before', 'from the server meanwhile', 'while offline'];
    await expect.poll(async () => (await messages(ana)).slice().sort(), { timeout: 10_000 }).toEqual(all);
    await expect.poll(async () => messages(luis), { timeout: 10_000 }).toEqual(await messages(ana));
    expect((await messages(ana))[0]).toBe('before');
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
    // The panel's part loads on first open: until then a busy placeholder stands in, without the close button.
    await expect.poll(() => page.locator('chat-room #members:not([aria-busy])').count()).toBe(1);
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

  // One test per theme: both in one ran past the timeout on a loaded CI runner.
  it.each(['light', 'dark'])(
    'asks for another name when the chosen one is taken (%s theme): reason announced, focus and name in the field',
    async (theme) => {
      const { open } = await startSite();
      mkdirSync(artifacts, { recursive: true });
      await open({ room: 'names', name: 'Ana' });
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
      // The focus the prompt had goes to the composer (it was lost to the page's body).
      await expect.poll(focused).toBe('input');
      await send(page, `hello from Ana ${theme}`);
      await expect.poll(() => messages(page)).toContain(`hello from Ana ${theme}`);
      // Sent, not only shown: until the server or the outbox's IndexedDB holds it, a reload can
      // take it away with the page (the outbox's own tests wait for IndexedDB the same way).
      await expect.poll(() => page.locator('chat-room .status').count()).toBe(0);
      const errors = await errorCodes(page);
      expect(errors).toEqual(['NAME_TAKEN']);

      // A reload of the tab is the same guest with the same name: not asked again.
      await page.reload();
      await expect.poll(() => widget(page).getByRole('log', { name: 'Messages' }).count()).toBe(1);
      expect(await widget(page).getByRole('textbox', { name: 'Your name' }).count()).toBe(0);
      // Polled as one picture, so that a failure shows what the page showed instead.
      const after = async () => ({
        own: await page.locator('chat-room .own .text').allTextContents(),
        banner: await page.locator('chat-room [part=banner]').allTextContents(),
        errors: await errorCodes(page),
      });
      await expect.poll(after).toEqual({ own: [`hello from Ana ${theme}`], banner: [], errors: [] });
      // Not asked, so the widget takes no focus from the page.
      expect(await focused()).toBeUndefined();
    },
  );

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
    // The page counts the first before the second is sent: two messages sent in the same turn reach
    // the page in one frame (the server coalesces them), and the count rightly goes from 0 to 2.
    await expect.poll(unread).toEqual([1]);
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
