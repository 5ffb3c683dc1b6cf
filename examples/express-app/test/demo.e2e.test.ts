import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startNodeProcess } from '../../../test-support/process.js';
import { skipWithoutPostgres, useTestSchema } from '../../../test-support/postgres.js';
import { launchBrowser, skipWithoutChromium } from '../../../test-support/browser.js';
import { sdkClient, track } from '../../../test-support/servers.js';
import { WAIT_MS, waitFor } from '../../../test-support/wait.js';

const script = fileURLToPath(new URL('../server.js', import.meta.url));
const botScript = fileURLToPath(new URL('../../custom-frontend/bot.mjs', import.meta.url));

// This runs the built packages (dist/), as `npm start` does: `npm test` builds first.
describe('the demo (npm start)', () => {
  it('serves the widget page, the video portal, the SDK page and bundles, and two people can chat through it', async () => {
    const { url, output } = await startNodeProcess(script, { PORT: '0', HOST: '127.0.0.1', DATABASE_URL: '' });
    expect(output()).toContain('memory store');
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script src="/widget/chat-room.min.js">');
    for (const [path, marker] of [
      ['/widget/chat-room.min.js', 'chat-room'],
      ['/video-portal/', '<script src="/widget/chat-room.min.js">'],
      ['/custom-frontend/', '<script src="/vendor/chat-client.js">'],
      ['/custom-frontend/app.js', 'ChatSDK'],
      ['/vendor/chat-client.js', 'ChatSDK'],
      ['/video-portal/', '<chat-room room="cita-42"'],
    ]) {
      const res = await fetch(`${url}${path}`);
      expect([path, res.status]).toEqual([path, 200]);
      expect(await res.text()).toContain(marker);
    }
    // Every demo page's browser asks for /favicon.ico: an icon, not a 404.
    const favicon = await fetch(`${url}/favicon.ico`);
    expect([favicon.status, favicon.headers.get('content-type')]).toEqual([200, 'image/vnd.microsoft.icon']);

    const ana = await sdkClient(url, { auth: { name: 'Ana' } }).join('lobby');
    const luis = await sdkClient(url, { auth: { name: 'Luis' } }).join('lobby');
    await ana.send('¿Hola, qué tal?');
    await waitFor(() => expect(luis.messages.map((m) => m.text)).toEqual(['¿Hola, qué tal?']));
  });
});

describe('the bot example (custom-frontend/bot.mjs)', () => {
  it('joins the lobby and answers !ping with a reply', async () => {
    const { url } = await startNodeProcess(script, { PORT: '0', HOST: '127.0.0.1', DATABASE_URL: '' });
    const bot = spawn(process.execPath, [botScript], { env: { ...process.env, CHAT_URL: url }, stdio: ['ignore', 'pipe', 'pipe'] });
    track(() => void bot.kill('SIGKILL'));
    // The bot says when it is in the room; a loaded machine may take seconds to start it.
    await new Promise<void>((resolve, reject) => {
      let out = '';
      bot.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('[bot] joined lobby')) resolve();
      });
      bot.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
      bot.once('exit', (code) => reject(new Error(`the bot exited with ${code}:\n${out}`)));
    });
    const ana = await sdkClient(url, { auth: { name: 'Ana' } }).join('lobby');
    expect(ana.members.map((m) => m.name)).toContain('Bot');
    const ping = await ana.send('!ping');
    await waitFor(() => expect(ana.messages.find((m) => m.user.name === 'Bot')).toMatchObject({ text: 'pong', replyTo: ping.id }));
  });
});

describe.skipIf(skipWithoutPostgres())('the demo with DATABASE_URL', () => {
  const schema = useTestSchema();

  it('keeps history on PostgreSQL across a restart', async () => {
    const env = { PORT: '0', HOST: '127.0.0.1', DATABASE_URL: schema.connectionString };
    const first = await startNodeProcess(script, env);
    expect(first.output()).toContain('PostgreSQL');
    const room = await sdkClient(first.url, { auth: { name: 'Ana' } }).join('lobby');
    await room.send('still here after a restart');
    first.child.kill('SIGTERM');
    await new Promise((resolve) => first.child.once('exit', resolve));
    const second = await startNodeProcess(script, env);
    const again = await sdkClient(second.url, { auth: { name: 'Luis' } }).join('lobby');
    expect(again.messages.map((m) => m.text)).toEqual(['still here after a restart']);
  });
});

describe.skipIf(skipWithoutChromium())('the video portal example in Chromium', () => {
  it('embeds the widget by script tag; a name, a message, and the host page badge from chat-unread', async () => {
    const { url } = await startNodeProcess(script, { PORT: '0', HOST: '127.0.0.1', DATABASE_URL: '' });
    const browser = await launchBrowser();
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 700 } })).newPage();
    await page.goto(`${url}/video-portal/`);
    await page.getByRole('textbox', { name: 'Tu nombre' }).fill('Paciente');
    await page.getByRole('button', { name: 'Entrar' }).click();
    const composer = page.getByRole('textbox', { name: 'Mensaje' });
    await composer.fill('Buenos días, doctora');
    await composer.press('Enter');
    await expect
      .poll(() => page.locator('chat-room .message .text').allTextContents(), { timeout: WAIT_MS })
      .toEqual(['Buenos días, doctora']);

    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    const doctor = await sdkClient(url, { auth: { name: 'Dra. Ruiz' } }).join('cita-42');
    await doctor.send('Buenos días. ¿Cómo se encuentra?');
    await expect.poll(() => page.locator('#badge').textContent(), { timeout: WAIT_MS }).toBe('1');
    expect(await page.locator('#badge').isVisible()).toBe(true);
  });
});
