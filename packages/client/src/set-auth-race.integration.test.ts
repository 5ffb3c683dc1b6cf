import { describe, expect, it } from 'vitest';
import { ChatError } from '@chat/protocol';
import type { ChatHandshake } from '@chat/server';
import { sdkClient, startChat } from '../../../test-support/servers.js';
import { ConnectionState } from './client-events.js';

// CI (stop 36): a widget signed out by an expired token was given a fresh one while its
// reconnect with the old token was still at the server. The old token's refusal came after
// setAuth, and the client stayed signed out with the fresh token in hand.
describe('setAuth while a reconnect is at the server', () => {
  it('the refusal of the old credentials does not sign the client out: it connects again with the new ones', async () => {
    let revoked = false;
    let reached: () => void = () => undefined;
    const atServer = new Promise<void>((resolve) => (reached = resolve));
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const authenticate = async (handshake: ChatHandshake) => {
      const token = handshake.auth['token'];
      if (token === 'old' && revoked) {
        reached();
        await held; // the handshake is under way while the app hands over a new token
        throw new ChatError('UNAUTHENTICATED', 'Your sign-in has expired. Please sign in again.');
      }
      if (token !== 'old' && token !== 'new') throw new ChatError('UNAUTHENTICATED', 'Unknown token.');
      return { id: 'ana', name: 'Ana' };
    };
    const { url, chat } = await startChat({ authenticate });
    const client = sdkClient(url, { auth: { token: 'old' } });
    const room = await client.join('r');
    const states: string[] = [];
    client.on('state', (state) => states.push(state));
    revoked = true;
    chat.io.disconnectSockets(true); // signed out; the client comes back with what it has
    await atServer;
    await client.setAuth({ token: 'new' });
    release();
    await expect.poll(() => client.state, { timeout: 5_000 }).toBe(ConnectionState.CONNECTED);
    await expect(room.send('back')).resolves.toMatchObject({ text: 'back' });
    expect(states).not.toContain(ConnectionState.DISCONNECTED);
  });
});
