import { describe, expect, it } from 'vitest';
import { ChatError } from '@chat/protocol';
import type { ChatHandshake, ChatServer } from '@chat/server';
import { sdkClient, startChat } from '../../../test-support/servers.js';
import { memoryOutbox } from './outbox/memory-outbox.js';
import type { ChatClient } from './chat-client.js';
import type { ChatRoom } from './chat-room.js';

// CI (clean-clone run): a widget sent "before" as its sign-in expired, then, signed in again,
// "after": it showed "after", then "before" failed, for good. On a busy server the sign-out timer
// runs late, and a request that came in meanwhile was answered UNAUTHENTICATED, which the outbox
// took as a refusal of the message. A moment later the same send would have met the sign-out (a
// connection lost), stayed in the outbox and gone out first after the next sign-in.

const HOUR = 3_600_000;

/**
 * A server whose tokens are: `first` (an hour), `short` (a second from its first use, which is
 * its only one) and `fresh`. Its sign-out timer is late: a message sent before the `short`
 * session's expiry is taken in only after it, the server too busy to run the timer first.
 */
async function busyServer() {
  let shortExpiry: number | undefined;
  const authenticate = (handshake: ChatHandshake) => {
    const token = String(handshake.auth['token']);
    let expiresAt = Date.now() + HOUR;
    if (token === 'short') {
      if (shortExpiry !== undefined) throw new ChatError('UNAUTHENTICATED', 'Your sign-in has expired.');
      expiresAt = shortExpiry = Date.now() + 1000;
    } else if (token !== 'first' && token !== 'fresh') throw new ChatError('UNAUTHENTICATED', 'Unknown token.');
    return { id: 'ana', name: 'Ana', expiresAt: new Date(expiresAt).toISOString() };
  };
  const { url, chat } = await startChat({ authenticate });
  lateTimer(chat, () => shortExpiry);
  return url;
}

function lateTimer(chat: ChatServer, expiry: () => number | undefined): void {
  chat.io.on('connection', (socket) =>
    // Before the server's own listener: busy (synchronously) until the expiry, so that the
    // request is handled past it, before the timer can run.
    socket.prependAny((event: string) => {
      const at = expiry();
      if (event === 'message:send' && at !== undefined) while (Date.now() <= at);
    }),
  );
}

/** Joins `r` with `first`, moves to the `short` session and sends "before" as it expires. */
async function sendAtExpiry(client: ChatClient): Promise<{ room: ChatRoom; before: Promise<unknown> }> {
  const room = await client.join('r');
  await client.setAuth({ token: 'short' });
  const signedOut = new Promise<void>((resolve) => client.on('error', (error) => error.code === 'UNAUTHENTICATED' && resolve()));
  const before = room.send('before');
  before.catch(() => undefined); // awaited by the test
  await signedOut;
  return { room, before };
}

/** What a view of the room shows, in order: its messages, then its outbox (pending or failed). */
const shown = (room: ChatRoom) => [...room.messages.map((m) => m.text), ...room.outbox.map((e) => `${e.text} (${e.status})`)];

describe('a message sent as the sign-in expires, the sign-out timer late', () => {
  it('waits in the outbox and goes out first once a fresh token signs the same client in again', async () => {
    const url = await busyServer();
    const client = sdkClient(url, { auth: { token: 'first' } });
    const { room, before } = await sendAtExpiry(client);
    await client.setAuth({ token: 'fresh' });
    const after = room.send('after');
    await expect(Promise.all([before, after])).resolves.toMatchObject([{ text: 'before' }, { text: 'after' }]);
    expect(shown(room)).toEqual(['before', 'after']);
  });

  it('waits in the kept outbox, and a new client of the same user sends it first', async () => {
    const url = await busyServer();
    const outbox = memoryOutbox();
    const first = sdkClient(url, { auth: { token: 'first' }, outbox });
    await sendAtExpiry(first);
    first.close();
    // The widget, given a refreshToken after the expiry, starts again with a new client (same kept outbox).
    const second = sdkClient(url, { auth: { token: 'fresh' }, outbox });
    const room = await second.join('r');
    await expect(room.send('after')).resolves.toMatchObject({ text: 'after' });
    expect(shown(room)).toEqual(['before', 'after']);
  });
});
