import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { launchBrowser, skipWithoutChromium } from '../../../test-support/browser.js';
import { startNodeProcess } from '../../../test-support/process.js';
import { sdkClient } from '../../../test-support/servers.js';
import { waitFor } from '../../../test-support/wait.js';

const dir = fileURLToPath(new URL('..', import.meta.url));

// Builds and runs the example as its README says (`npm start`), on the built packages (dist/):
// `npm test` builds them first.
describe.skipIf(skipWithoutChromium())('the React example (examples/react-app)', () => {
  it('builds, serves the page, and a guest chats through the hook list and the widget with a Node client', async () => {
    await promisify(execFile)(process.execPath, ['build.mjs'], { cwd: dir });
    const { url } = await startNodeProcess(`${dir}server.mjs`, { PORT: '0', HOST: '127.0.0.1' }, dir);
    const ana = await sdkClient(url, { auth: { name: 'Ana' } }).join('lobby');

    const page = await (await (await launchBrowser()).newContext()).newPage();
    await page.goto(url);
    await page.getByLabel('Your name').fill('Rea');
    await page.getByRole('button', { name: 'Join' }).click();
    const summary = page.getByRole('region', { name: 'Room summary' });
    await expect.poll(() => summary.getAttribute('data-state')).toBe('joined');
    await expect.poll(() => page.locator('#members li').allTextContents()).toEqual(expect.arrayContaining(['Ana', 'Rea']));
    await waitFor(() => expect(ana.members.filter((m) => m.name === 'Rea')).toHaveLength(1));

    await ana.send('welcome, Rea');
    await expect.poll(() => page.locator('#messages li').allTextContents()).toContain('Ana: welcome, Rea');
    await expect.poll(() => page.locator('chat-room .message .text').allTextContents()).toContain('welcome, Rea');

    await page.getByLabel('Quick message').fill('thanks!');
    await page.getByRole('button', { name: 'Post' }).click();
    await waitFor(() => expect(ana.messages.map((m) => `${m.user.name}: ${m.text}`)).toContain('Rea: thanks!'));
    await expect.poll(() => page.locator('chat-room .message .text').allTextContents()).toContain('thanks!');
  });
});
