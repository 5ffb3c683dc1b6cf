import { createServer } from 'node:http';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { launchBrowser, skipWithoutChromium } from '../../../../../test-support/browser.js';
import { startChat } from '../../../../../test-support/servers.js';

// Issue 48, item 1: the push notifications' service worker served from the host's own site by
// chat.serviceWorkerHandler(), as docs/server.md and docs/widget.md mount it (an Express app, an ES
// module), is one a browser registers: at the root for the whole site, and from another path for
// the whole site too (Service-Worker-Allowed).

describe.skipIf(skipWithoutChromium())('chat.serviceWorkerHandler() in Chromium', () => {
  it('is registered for the whole site from /chat-sw.js, and from another path with scope "/"', async () => {
    const app = express();
    const { chat, url } = await startChat({}, createServer(app));
    app.get('/chat-sw.js', chat.serviceWorkerHandler());
    app.get('/static/push/chat-sw.js', chat.serviceWorkerHandler());
    app.get('/', (_req, res) => void res.type('html').send('<!doctype html><title>site</title><p>site</p>'));

    const browser = await launchBrowser();
    const register = async (script: string, scope?: string) => {
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${url}/`);
      return page.evaluate(
        async ([script, scope]) => {
          try {
            const registration = await navigator.serviceWorker.register(script as string, scope ? { scope } : {});
            const ready = await navigator.serviceWorker.ready;
            return { scope: registration.scope, active: ready.active?.scriptURL ?? null };
          } catch (error) {
            return { error: String(error) };
          }
        },
        [script, scope],
      );
    };
    expect(await register('/chat-sw.js')).toEqual({ scope: `${url}/`, active: `${url}/chat-sw.js` });
    // Without Service-Worker-Allowed the browser refuses a scope above the script's folder.
    expect(await register('/static/push/chat-sw.js', '/')).toEqual({ scope: `${url}/`, active: `${url}/static/push/chat-sw.js` });
  });
});
