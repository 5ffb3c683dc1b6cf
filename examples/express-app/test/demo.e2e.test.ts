import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { startNodeProcess } from '../../../test-support/process.js';
import { sdkClient } from '../../../test-support/servers.js';

const script = fileURLToPath(new URL('../server.js', import.meta.url));

// This runs the built packages (dist/), as `npm start` does: `npm test` builds first.
describe('the demo (npm start)', () => {
  it('serves the page and the SDK bundle, and two people can chat through it', async () => {
    const { url } = await startNodeProcess(script, { PORT: '0', HOST: '127.0.0.1' });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script src="/vendor/chat-client.js">');
    const bundle = await fetch(`${url}/vendor/chat-client.js`);
    expect(bundle.status).toBe(200);
    expect(await bundle.text()).toContain('ChatSDK');

    const ana = await sdkClient(url, { auth: { name: 'Ana' } }).join('lobby');
    const luis = await sdkClient(url, { auth: { name: 'Luis' } }).join('lobby');
    await ana.send('¿Hola, qué tal?');
    await vi.waitFor(() => expect(luis.messages.map((m) => m.text)).toEqual(['¿Hola, qué tal?']));
  });
});
