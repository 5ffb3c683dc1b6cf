import { readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, skipWithoutChromium, screenshot } from '../../../test-support/browser.js';
import { sdkClient, startChat } from '../../../test-support/servers.js';
import { widgetFiles } from '../../../test-support/widget-files.js';
import { builtInLanguages, load } from '../src/i18n/languages.js';
import { en } from '../src/i18n/en.js';

// Every built-in language in Chromium, from the script-tag files as a user serves them: a page in
// that language shows the widget in it (a room with people, messages, a reply count and
// reactions, and the people panel, whose texts come with its chunk), right to left for Arabic and
// Hebrew; axe-core on each, and a screenshot (artifacts/language-<code>.png).

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const scripts = readdirSync(dist).filter(
  (file) => /^chat-room\.[\w-]+\.js$/u.test(file) && !file.endsWith('.esm.js') && file !== 'chat-room.min.js',
);

async function startSite() {
  const { serve } = widgetFiles(scripts);
  const http = createServer((req, res) => {
    if (serve(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/page') return;
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="${url.searchParams.get('lang')}"><head><meta charset="utf-8"><title>host</title>
      <style>body{margin:0} chat-room{display:block;width:720px;height:520px}</style></head>
      <body><chat-room server="${url.searchParams.get('server')}" room="plaza" name="Ana"></chat-room>
      <script>window.events=[];document.addEventListener('chat-error', e => window.events.push(e.detail.error.message));</script>
      <script src="/chat-room.min.js"></script></body></html>`);
  });
  const site = await startChat({ presenceCoalesceMs: 20 }, http);
  return { ...site, browser: await launchBrowser() };
}

describe.skipIf(skipWithoutChromium())('<chat-room> in each built-in language, in Chromium', { timeout: 120_000 }, () => {
  it('speaks the page language, laid out in its direction, axe-clean, for all twelve', async () => {
    const { url, chat, browser } = await startSite();
    await chat.createRoom({ id: 'plaza' });
    const luis = await sdkClient(url, { auth: { name: 'Luis' } }).join('plaza');
    const first = await luis.send('Agenda: 10:00 👋');
    await chat.sendMessage('plaza', { user: { id: 'eva', name: 'Eva' }, text: '✔', threadOf: first.id });
    await chat.sendMessage('plaza', { user: { id: 'leo', name: 'Leo' }, text: '2 + 2 = 4', threadOf: first.id });
    await luis.react(first.id, '👍');
    for (const code of ['en', ...builtInLanguages]) {
      const strings = code === 'en' ? en : await load(code, new Map());
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${url}/page?${new URLSearchParams({ server: url, lang: code })}`);
      const placeholder = () =>
        page.evaluate(() => document.querySelector('chat-room')?.shadowRoot?.querySelector('#input')?.getAttribute('placeholder'));
      await expect.poll(placeholder, { message: code }).toBe(strings.composerPlaceholder);
      await expect.poll(() => page.locator('chat-room [role=article]').count(), { message: code }).toBe(1);
      const frame = page.locator('chat-room section.frame');
      expect([await frame.getAttribute('lang'), await frame.getAttribute('dir')], code).toEqual([
        code,
        ['ar', 'he'].includes(code) ? 'rtl' : 'ltr',
      ]);
      expect(await page.locator('chat-room [role=article]').first().textContent(), code).toContain(strings.replyCount(2));
      await page.locator('chat-room header [aria-controls=members]').click();
      await expect.poll(() => page.locator('chat-room #members .person').count(), { message: code }).toBe(2);
      expect(await axeViolations(page), `axe-core in ${code}`).toEqual([]);
      await screenshot(page.locator('chat-room'), `language-${code}`);
      expect(await page.evaluate(() => (window as unknown as { events: string[] }).events), code).toEqual([]);
      await page.context().close();
    }
  });
});
