import { SignJWT, decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { ChatError, type ChatErrorEvent } from '@chat/protocol';
import { jwtAuthenticate } from './jwt-authenticate.js';
import { nextEvent, rawSocket, request, sdkClient, startChat } from '../../../../test-support/servers.js';
import { waitFor } from '../../../../test-support/wait.js';

const secret = 'a-test-secret-that-is-long-enough-for-hs256';
const key = new TextEncoder().encode(secret);
/** A token for `sub` that expires `seconds` from now. */
const token = (seconds: number, sub = 'user-1') =>
  new SignJWT({ name: 'Ana' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setExpirationTime(Math.floor(Date.now() / 1000) + seconds)
    .sign(key);
const authenticate = jwtAuthenticate({ secret, algorithms: ['HS256'], clockTolerance: 0 });
/** Resolves once the clock is past the token's `exp` (when the server would have signed it out). */
const pastExpiryOf = (jwt: string) =>
  waitFor(() => expect(Date.now()).toBeGreaterThan((decodeJwt(jwt).exp ?? 0) * 1000 + 250), { interval: 100 });

describe('a connection signs out when its token expires, unless the client refreshes it', () => {
  it('warns with auth:expiring, then refuses and disconnects at expiry', async () => {
    const { url } = await startChat({ authenticate });
    const socket = await rawSocket(url, { token: await token(2) });
    expect(await request(socket, 'room:join', { roomId: 'r' })).toMatchObject({ ok: true });
    const warned = nextEvent(socket, 'auth:expiring');
    const signedOut = nextEvent(socket, 'chat:error');
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const { expiresAt } = await warned;
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());
    // Still valid before expiry.
    expect(await request(socket, 'message:send', { roomId: 'r', clientId: 'c1', text: 'before' })).toMatchObject({ ok: true });
    expect(await signedOut).toEqual<ChatErrorEvent>({
      event: 'auth',
      error: { code: 'UNAUTHENTICATED', lang: 'en', message: 'Your sign-in has expired. Please sign in again.' },
    });
    expect(await disconnected).toBe('io server disconnect');
  });

  it('a request that comes after the expiry, the timer late (a busy server), is not answered: the socket is signed out then', async () => {
    let expiresAt = 0;
    const { url, chat } = await startChat({
      authenticate: () => ({ id: 'ana', name: 'Ana', expiresAt: new Date((expiresAt = Date.now() + 1000)).toISOString() }),
    });
    // Before the server's own listener, busy (synchronously) until the expiry: the request is
    // handled past it, before the sign-out timer can run.
    chat.io.on('connection', (s) =>
      s.prependAny(() => {
        while (Date.now() <= expiresAt);
      }),
    );
    const socket = await rawSocket(url, { token: 'any' });
    const signedOut = nextEvent(socket, 'chat:error');
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    // Not refused (UNAUTHENTICATED would read as a refusal of the message): lost with the connection.
    await expect(request(socket, 'message:send', { roomId: 'r', clientId: 'c1', text: 'as it expires' })).rejects.toThrow(/disconnected/u);
    expect(await signedOut).toMatchObject({ event: 'auth', error: { code: 'UNAUTHENTICATED' } });
    expect(await disconnected).toBe('io server disconnect');
  });

  it('a live connection takes a fresh token (auth:refresh) and stays up past the old expiry', async () => {
    const { url } = await startChat({ authenticate });
    const first = await token(2);
    const socket = await rawSocket(url, { token: first });
    expect(await request(socket, 'room:join', { roomId: 'r' })).toMatchObject({ ok: true });
    const refreshed = await request(socket, 'auth:refresh', { token: await token(3600) });
    expect(refreshed).toMatchObject({ ok: true, data: { expiresAt: expect.any(String) } });
    let disconnected = false;
    socket.on('disconnect', () => (disconnected = true));
    await pastExpiryOf(first);
    expect(await request(socket, 'message:send', { roomId: 'r', clientId: 'c1', text: 'after' })).toMatchObject({ ok: true });
    expect(disconnected).toBe(false);
  });

  it('refuses a refresh for another user, an expired token and garbage', async () => {
    const { url } = await startChat({ authenticate });
    const socket = await rawSocket(url, { token: await token(60) });
    expect(await request(socket, 'auth:refresh', { token: await token(60, 'user-2') })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED', lang: 'en', message: 'This token is for another user. Sign in again to change users.' },
    });
    expect(await request(socket, 'auth:refresh', { token: await token(-10) })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED', lang: 'en', message: expect.stringMatching(/expired/u) },
    });
    expect(await request(socket, 'auth:refresh', { token: '' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await request(socket, 'room:join', { roomId: 'r' })).toMatchObject({ ok: true }); // still signed in
  });

  it('the SDK asks the app for a fresh token before expiry and never drops the connection', async () => {
    const { url } = await startChat({ authenticate });
    let asked = 0;
    const first = await token(2);
    const client = sdkClient(url, {
      auth: { token: first },
      refreshToken: () => {
        asked++;
        return token(3600);
      },
    });
    const room = await client.join('r');
    const states: string[] = [];
    client.on('state', (s) => states.push(s));
    await waitFor(() => expect(asked).toBe(1));
    await pastExpiryOf(first);
    await expect(room.send('still here')).resolves.toMatchObject({ text: 'still here' });
    expect(states).toEqual([]);
  });

  it('the SDK refreshes when a connection is refused for an expired token', async () => {
    const { url } = await startChat({ authenticate });
    let asked = 0;
    const client = sdkClient(url, {
      auth: { token: await token(-10) }, // a page reopened after its token expired
      refreshToken: () => {
        asked++;
        return token(3600);
      },
    });
    const room = await client.join('r');
    await expect(room.send('back')).resolves.toMatchObject({ text: 'back' });
    expect(asked).toBe(1);
  });

  it('a token refused by setAuth on a live connection rejects with the reason', async () => {
    const { url } = await startChat({ authenticate });
    const client = sdkClient(url, { auth: { token: await token(60) } });
    await client.join('r');
    const error = await client.setAuth({ token: await token(60, 'someone-else') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChatError);
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
