import { createServer } from 'node:http';
import express from 'express';
import { describe, expect, it } from 'vitest';
import webPushLib from 'web-push';
import { webPush, type ChatServerOptions } from '@chat/server';
import { startPushService, testDevice, type TestDevice } from '../../../test-support/push-service.js';
import { sdkClient, startChat } from '../../../test-support/servers.js';
import { waitFor } from '../../../test-support/wait.js';
import type { BrowserPushSubscription, PushRegistration } from './index.js';

/** Users are their token (sockets and REST alike); the name is the token capitalised. */
const byToken: ChatServerOptions['authenticate'] = ({ auth }) => {
  const id = String((auth as { token?: string }).token);
  return { id, name: id.charAt(0).toUpperCase() + id.slice(1) };
};

/** A chat server whose REST handler is mounted at /chat, as the docs show. */
async function chatWithRest(options: ChatServerOptions) {
  const app = express();
  const started = await startChat({ authenticate: byToken, ...options }, createServer(app));
  app.use('/chat', started.chat.httpHandler());
  return started;
}

/**
 * The browser's side in Node: a registration whose PushManager hands out the subscription of a
 * device at the stand-in push service (in a browser, the browser's push service makes it). It
 * records the key it was asked to subscribe with.
 */
function registration(device: TestDevice): PushRegistration & { keys: string[]; current: BrowserPushSubscription | null } {
  const reg = {
    keys: [] as string[],
    current: null as BrowserPushSubscription | null,
    pushManager: {
      getSubscription: async () => reg.current,
      subscribe: async ({ applicationServerKey, userVisibleOnly }: { userVisibleOnly: boolean; applicationServerKey: string }) => {
        expect(userVisibleOnly).toBe(true);
        reg.keys.push(applicationServerKey);
        reg.current = {
          endpoint: device.subscription.endpoint,
          options: { applicationServerKey: new Uint8Array(Buffer.from(applicationServerKey, 'base64url')).buffer },
          toJSON: () => ({ ...device.subscription, expirationTime: null }),
          unsubscribe: async () => {
            reg.current = null;
            return true;
          },
        };
        return reg.current;
      },
    },
  };
  return reg;
}

/** A chat server with `push` to a stand-in push service, its keys, and the stand-in. */
async function pushingChat() {
  const service = await startPushService();
  const vapid = webPushLib.generateVAPIDKeys();
  const push = webPush({ ...vapid, subject: 'mailto:ops@chat.example', allowedEndpoints: [`${service.url}/push/`], ...service.trust });
  return { service, vapid, ...(await chatWithRest({ push })) };
}

describe('client.push', () => {
  it('subscribes this device with the server’s key, pushes reach it while away, and unsubscribe stops them', async () => {
    const { service, vapid, url, chat } = await pushingChat();
    const device = testDevice(service.url, 'luis-phone');
    const reg = registration(device);

    const luis = sdkClient(url, { auth: { token: 'luis' } });
    const subscription = await luis.push.subscribe(reg);
    expect(reg.keys).toEqual([vapid.publicKey]);
    expect(subscription).toEqual({ ...device.subscription, expirationTime: null });
    expect(await chat.store.listPushSubscriptions(['luis'])).toEqual([{ userId: 'luis', ...device.subscription }]);
    // Again: the browser's subscription (same key) is reused, not made anew.
    await luis.push.subscribe(reg);
    expect(reg.keys).toHaveLength(1);

    await luis.join('lobby');
    const anaLobby = await sdkClient(url, { auth: { token: 'ana' } }).join('lobby');
    luis.close();
    await waitFor(async () => expect((await chat.presenceOf(['luis'])).at(0)?.online).toBe(false));
    await anaLobby.send({ text: '@Luis ¿vienes?', mentions: ['luis'] });
    await waitFor(() => expect(service.requests).toHaveLength(1));
    expect(device.read(service.requests[0]!)).toMatchObject({ title: 'Ana', body: '@Luis ¿vienes?', roomId: 'lobby', reason: 'mention' });

    const again = sdkClient(url, { auth: { token: 'luis' } });
    expect(await again.push.unsubscribe(reg)).toBe(true);
    expect(reg.current).toBeNull();
    expect(await chat.store.listPushSubscriptions(['luis'])).toEqual([]);
    expect(await again.push.unsubscribe(reg)).toBe(false);
  });

  it('replaces a browser subscription made with another key (another server, a new key)', async () => {
    const { service, vapid, url, chat } = await pushingChat();
    const old = webPushLib.generateVAPIDKeys();
    const device = testDevice(service.url, 'eva-laptop');
    const reg = registration(device);
    // What another server's key left in this browser.
    await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: old.publicKey });
    const stale = reg.current;

    const eva = sdkClient(url, { auth: { token: 'eva' } });
    await eva.push.subscribe(reg);
    expect(reg.keys).toEqual([old.publicKey, vapid.publicKey]);
    expect(reg.current).not.toBe(stale);
    expect(await chat.store.listPushSubscriptions(['eva'])).toHaveLength(1);
  });

  it('a server without the push option refuses with FORBIDDEN before the browser is asked anything', async () => {
    const { url } = await chatWithRest({});
    const reg = registration(testDevice('https://127.0.0.1:1', 'none'));
    const client = sdkClient(url, { auth: { token: 'eva' } });
    await expect(client.push.subscribe(reg)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'This server does not send push notifications (it has no push option).',
    });
    expect(reg.keys).toEqual([]);
  });
});
