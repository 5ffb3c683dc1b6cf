import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { ChatError, type Message } from '@chat/protocol';
import { guestAuthenticate, type ChatServer } from '@chat/server';
import { sdkClient, startChat } from '../../../test-support/servers.js';
import { waitFor } from '../../../test-support/wait.js';
import { indexedDbOutbox } from './outbox/indexeddb-outbox.js';
import { memoryOutbox } from './outbox/memory-outbox.js';
import type { OutboxStore } from './outbox/outbox-store.js';

// Two people on one browser (one page, one ChatClient): what the first wrote and could not send
// must never go out under the second's name, nor be shown to them; it waits for its author.

const ana = { name: 'Ana', guestKey: 'ana-secret-guest-key-0001' };
const luis = { name: 'Luis', guestKey: 'luis-secret-guest-key-001' };

/** A guest server that can sign a guest out (its key refused from now on), as an expired session is. */
async function signOutServer() {
  const guest = guestAuthenticate();
  const signedOut = new Set<string>();
  const started = await startChat({
    authenticate: (handshake) => {
      if (signedOut.has(String(handshake.auth['guestKey']))) throw new ChatError('UNAUTHENTICATED', 'Your session ended.');
      return guest(handshake);
    },
  });
  return { ...started, signOut: (key: string) => signedOut.add(key), signIn: (key: string) => signedOut.delete(key) };
}

async function stored(chat: ChatServer, roomId: string): Promise<Array<[string, string]>> {
  const { messages } = await chat.store.listMessages(roomId, { limit: 100 });
  return messages.map((m: Message) => [m.user.name, m.text]);
}

describe.each<[string, () => OutboxStore | undefined]>([
  ['in memory only', () => undefined],
  ['in memoryOutbox()', () => memoryOutbox()],
  ['in IndexedDB', () => indexedDbOutbox({ indexedDB: new IDBFactory(), locks: false })],
])('an outbox kept %s, when the client signs in as another user', (_name, makeOutbox) => {
  it("the first user's unsent messages are not sent as the second, not shown to them, and go out when the first is back", async () => {
    const { url, chat, signOut, signIn } = await signOutServer();
    const outbox = makeOutbox();
    const client = sdkClient(url, { auth: ana, ...(outbox && { outbox }) });
    const room = await client.join('r');
    const anaId = room.self?.id;

    // Ana's session ends while she is offline; she writes anyway; then Luis signs in on the same page.
    signOut(ana.guestKey);
    client.socket.io.engine.close();
    await waitFor(() => expect(client.state).toBe('disconnected'));
    const byAna = room.send('written by Ana');
    const settled = byAna.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(room.outbox.map((e) => e.text)).toEqual(['written by Ana']);
    void client.setAuth(luis);
    // Typed after the switch, before the re-join answered: Luis's.
    const byLuis = room.send('typed by Luis');

    await waitFor(() => expect(room.self?.id).not.toBe(anaId));
    expect((await byLuis).user.name).toBe('Luis');
    const refused = await settled;
    expect(refused).toBeInstanceOf(ChatError);
    expect((refused as ChatError).code).toBe('UNAUTHENTICATED');
    expect(room.outbox).toEqual([]);
    expect(await stored(chat, 'r')).toEqual([['Luis', 'typed by Luis']]);

    if (!outbox) return; // without a store nothing outlives the page: the promise said it was not sent
    // Ana, signed in again on a page of her own, sends what she wrote: it waited under her name.
    signIn(ana.guestKey);
    const anaBack = await sdkClient(url, { auth: ana, outbox }).join('r');
    await waitFor(async () =>
      expect(await stored(chat, 'r')).toEqual([
        ['Luis', 'typed by Luis'],
        ['Ana', 'written by Ana'],
      ]),
    );
    await waitFor(() => expect(anaBack.outbox).toEqual([]));
  });
});

describe('new credentials of the same user', () => {
  it('a fresh token given while offline keeps what was written, and it goes out as before', async () => {
    const valid = new Set(['ana-token-1']);
    const { url, chat } = await startChat({
      authenticate: (handshake) => {
        const token = String(handshake.auth['token']);
        if (!valid.has(token)) throw new ChatError('UNAUTHENTICATED', 'Your session ended.');
        return { id: 'ana', name: 'Ana' };
      },
    });
    const outbox = memoryOutbox();
    const client = sdkClient(url, { auth: { token: 'ana-token-1' }, outbox });
    const room = await client.join('r');
    valid.delete('ana-token-1');
    client.socket.io.engine.close();
    await waitFor(() => expect(client.state).toBe('disconnected'));
    const before = room.send('before the new token');
    valid.add('ana-token-2');
    void client.setAuth({ token: 'ana-token-2' });
    const after = room.send('after it');
    expect((await before).text).toBe('before the new token');
    expect((await after).text).toBe('after it');
    expect(await stored(chat, 'r')).toEqual([
      ['Ana', 'before the new token'],
      ['Ana', 'after it'],
    ]);
    expect(await outbox.load({ server: `${url}/`, userId: 'ana', roomId: 'r' })).toEqual([]);
  });
});
