import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { ChatError } from '@chat/protocol';
import { createChatServer } from '../../chat-server.js';
import { startChat, track } from '../../../../../test-support/servers.js';
import { webPush } from './web-push-options.js';

// Issue 48, item 5: a server with the `push` option and no `web-push` package installed says so at
// chat.ready(), with the install command, instead of failing the first push. The package is made
// missing by a module mock that throws as Node does for a package that is not there (this file runs
// isolated: vitest.config.ts). The servers with web-push installed are the other push tests.

/** How many times something asked for `web-push`. */
const asked = { count: 0 };

vi.mock('web-push', () => {
  asked.count++;
  throw Object.assign(new Error("Cannot find package 'web-push' imported from push-ready.integration.test.ts"), {
    code: 'ERR_MODULE_NOT_FOUND',
  });
});

/** VAPID keys made without web-push: a P-256 key pair as base64url (the public key uncompressed). */
function vapidKeys(): { publicKey: string; privateKey: string } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const jwk = privateKey.export({ format: 'jwk' });
  const bytes = (value: string | undefined) => Buffer.from(value ?? '', 'base64url');
  return {
    publicKey: Buffer.concat([Buffer.from([4]), bytes(jwk.x), bytes(jwk.y)]).toString('base64url'),
    privateKey: bytes(jwk.d).toString('base64url'),
  };
}

describe('push without the web-push package', () => {
  it('rejects chat.ready() with INTERNAL and the install command, and reports it', async () => {
    const push = webPush({ ...vapidKeys(), subject: 'mailto:ops@chat.example' });
    const chat = createChatServer(createServer(), { push });
    track(() => chat.close());
    const reported: string[] = [];
    chat.on('error', (error) => reported.push(`${error.code}: ${error.message}`));
    const failure = await chat.ready().then(
      () => 'ready',
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ChatError);
    const sentence =
      'Push notifications (the push option) need the web-push package, which cannot be loaded here: install it (npm install web-push).';
    expect([(failure as ChatError).code, (failure as ChatError).message]).toEqual(['INTERNAL', sentence]);
    // The loader's own error is kept as the cause (vitest wraps the mock's in one of its own).
    const causes: string[] = [];
    for (let e: unknown = (failure as ChatError).cause; e instanceof Error; e = e.cause) causes.push(e.message);
    expect(causes.some((message) => message.includes("Cannot find package 'web-push'"))).toBe(true);
    expect(asked.count).toBeGreaterThan(0);
    // Also said on chat.on('error'), for a host that listens without awaiting ready().
    expect(reported).toEqual([`INTERNAL: ${sentence}`]);
  });

  it('is never asked for by a server without push: ready() resolves', async () => {
    const before = asked.count;
    const { chat } = await startChat();
    await expect(chat.ready()).resolves.toBeUndefined();
    expect(asked.count).toBe(before);
  });
});
