// A chat server whose tokens are user ids, and connected SDK clients of those users: the
// conversations suites' site.
import { expect } from 'vitest';
import type { ChatClient } from '@chat/client';
import type { ChatServerOptions } from '@chat/server';
import { sdkClient, startChat, type TestChat } from './servers.js';
import { waitFor } from './wait.js';

const NAMES: Record<string, string> = { ana: 'Ana', luis: 'Luis', eva: 'Eva' };

/** A chat server whose tokens are user ids (`ana`, `luis`, `eva` have names; any other id is its own name), with `options`. */
export function startPortal(options: ChatServerOptions = {}): Promise<TestChat> {
  return startChat({
    ...options,
    authenticate: (h) => {
      const id = String(h.auth['token']);
      return { id, name: NAMES[id] ?? id };
    },
  });
}

/** A client of `userId` (a device, a tab), connected; auto-away off (there is no page in Node anyway). */
export async function connectedDevice(url: string, userId: string): Promise<ChatClient> {
  const client = sdkClient(url, { auth: { token: userId }, autoAway: false });
  await waitFor(() => expect(client.state).toBe('connected'));
  return client;
}
