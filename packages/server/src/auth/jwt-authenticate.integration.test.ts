import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import type { ChatHandshake } from '../core/handshake.js';
import { jwtAuthenticate } from './jwt-authenticate.js';
import { sdkClient, startChat, track } from '../../../../test-support/servers.js';

const secret = 'a-test-secret-that-is-long-enough-for-hs256';
const key = new TextEncoder().encode(secret);
const hs = (claims: Record<string, unknown>, exp: string | number = '1h', alg = 'HS256') => {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg }).setIssuedAt().setSubject('user-1');
  if (exp !== 0) jwt.setExpirationTime(exp);
  return jwt.sign(key);
};
const handshake = (token: string, header = false): ChatHandshake => ({
  auth: header ? {} : { token },
  headers: header ? { authorization: `Bearer ${token}` } : {},
  address: '127.0.0.1',
});

describe('jwtAuthenticate', () => {
  const auth = jwtAuthenticate({ secret, algorithms: ['HS256'], issuer: 'portal' });

  it('maps claims to a user, from auth.token or the Authorization header', async () => {
    const token = await hs({ name: 'Ana Ruiz', iss: 'portal', roles: ['host'], picture: 'https://img.example/a.png' });
    const expected = { id: 'user-1', name: 'Ana Ruiz', roles: ['host'], avatarUrl: 'https://img.example/a.png' };
    // expiresAt: when the token (plus the clock tolerance) runs out; the connection signs out then.
    expect(await auth(handshake(token))).toEqual({ ...expected, expiresAt: expect.any(String) });
    expect(await auth(handshake(token, true))).toEqual({ ...expected, expiresAt: expect.any(String) });
  });

  it('refuses expired tokens, tokens without exp, other algorithms, other issuers and garbage', async () => {
    const cases: Array<[string, Promise<string> | string, RegExp]> = [
      ['expired', hs({ iss: 'portal' }, Math.floor(Date.now() / 1000) - 60), /expired/u],
      ['no exp', hs({ iss: 'portal' }, 0), /refused|not valid/u],
      ['HS512', hs({ iss: 'portal' }, '1h', 'HS512'), /algorithm/u],
      ['issuer', hs({ iss: 'elsewhere' }), /refused/u],
      ['garbage', 'not.a.jwt', /not valid/u],
      [
        'unsigned',
        `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x","exp":9999999999}').toString('base64url')}.`,
        /not valid|algorithm/u,
      ],
    ];
    for (const [name, token, message] of cases) {
      const error = await Promise.resolve(auth(handshake(await token))).then(
        () => new Error(`${name}: accepted`),
        (e: unknown) => e,
      );
      expect(error, name).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect((error as Error).message, name).toMatch(message);
    }
    await expect(Promise.resolve(auth({ auth: {}, headers: {}, address: '' }))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'A sign-in token is required.',
    });
  });

  it('needs pinned algorithms and exactly one key source', () => {
    expect(() => jwtAuthenticate({ secret, algorithms: [] })).toThrow(/algorithms/u);
    expect(() => jwtAuthenticate({ secret, jwksUrl: 'https://x.example/jwks', algorithms: ['HS256'] })).toThrow(/exactly one/u);
  });

  it('verifies RS256 with a PEM public key and with a JWKS URL', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT({ name: 'Luis' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('u2')
      .setExpirationTime('5m')
      .sign(privateKey);
    const pem = jwtAuthenticate({ publicKey: await exportSPKI(publicKey), algorithms: ['RS256'] });
    expect(await pem(handshake(token))).toEqual({ id: 'u2', name: 'Luis', expiresAt: expect.any(String) });

    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const jwksServer = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    track(() => new Promise<void>((resolve) => jwksServer.close(() => resolve())));
    const { port } = jwksServer.address() as AddressInfo;
    const jwks = jwtAuthenticate({ jwksUrl: `http://127.0.0.1:${port}/jwks.json`, algorithms: ['RS256'] });
    expect(await jwks(handshake(token))).toEqual({ id: 'u2', name: 'Luis', expiresAt: expect.any(String) });
  });

  it('works end to end: a valid token joins, the name comes from the token, not the client', async () => {
    const { url } = await startChat({ authenticate: jwtAuthenticate({ secret, algorithms: ['HS256'] }) });
    const room = await sdkClient(url, { auth: { token: await hs({ name: 'Dra. Ruiz' }) } }).join('cita-42');
    expect(room.self).toMatchObject({ id: 'user-1', name: 'Dra. Ruiz' });
    const sent = await room.send('Buenos días');
    expect(sent.user).toEqual({ id: 'user-1', name: 'Dra. Ruiz' });
  });
});

describe('jwtAuthenticate: subject and name claims', () => {
  const auth = jwtAuthenticate({ secret, algorithms: ['HS256'] });
  const signed = (claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(key);
  const refusedWith = (claims: Record<string, unknown>) =>
    signed(claims).then((token) =>
      Promise.resolve(auth(handshake(token))).then(
        () => undefined,
        (e: unknown) => e as Error & { code?: string },
      ),
    );

  it('a numeric sub is the user id as its digits; other kinds of sub are refused with a sentence', async () => {
    expect(await auth(handshake(await signed({ sub: 42, name: 'Ana' })))).toMatchObject({ id: '42', name: 'Ana' });
    for (const sub of [4.5, true, { id: 1 }, ['a'], '', 2 ** 60]) {
      const error = await refusedWith({ sub, name: 'Ana' });
      expect(error, JSON.stringify(sub)).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(error?.message, JSON.stringify(sub)).toMatch(/subject \("sub"\)/u);
    }
    const nul = await refusedWith({ sub: 'u\u0000', name: 'Ana' });
    expect([nul?.code, nul?.message]).toEqual([
      'UNAUTHENTICATED',
      'The sign-in token\'s subject ("sub") contains a NUL character or broken Unicode.',
    ]);
  });

  it('name claims are cleaned like guest names; direction controls are dropped; an unusable name falls back', async () => {
    const nameOf = async (claims: Record<string, unknown>) => (await auth(handshake(await signed({ sub: 'u-7', ...claims })))).name;
    expect(await nameOf({ name: '\u202Eana\u202C' })).toBe('ana');
    expect(await nameOf({ name: '\u2066Dra.\u2069 Ruiz\u200F' })).toBe('Dra. Ruiz');
    expect(await nameOf({ name: 'A\u200Bna\u00AD' })).toBe('Ana');
    expect(await nameOf({ name: 'Ｌｕｉｓ' })).toBe('Luis');
    expect(await nameOf({ name: 'Ana\u0000\u0085' })).toBe('Ana');
    expect(await nameOf({ name: '\u2800', preferred_username: 'ana.r' })).toBe('ana.r');
    expect(await nameOf({ name: '\u3164', preferred_username: '\u200B', nickname: 'Anita' })).toBe('Anita');
    expect(await nameOf({ name: '\u115F\u1160' })).toBe('u-7');
    expect(await nameOf({ name: 'محمد' })).toBe('محمد');
    // Cut at 64 UTF-16 units without splitting an emoji into half a surrogate pair.
    const cut = await nameOf({ name: `a${'😀'.repeat(40)}` });
    expect(cut).toBe(`a${'😀'.repeat(31)}`);
    // Nothing usable at all: refused with a sentence.
    const blank = await refusedWith({ sub: '\u200B', name: '\u2800' });
    expect([blank?.code, blank?.message]).toEqual([
      'UNAUTHENTICATED',
      'The sign-in token has no usable name (name, preferred_username or nickname).',
    ]);
  });

  it('a picture claim that cannot be stored is left out', async () => {
    const user = await auth(
      handshake(await signed({ sub: 'u', name: 'Ana', picture: 'https://img.example/\u0000.png', roles: ['a', 'b\u0000'] })),
    );
    expect(user).toMatchObject({ id: 'u', name: 'Ana', roles: ['a'] });
    expect(user.avatarUrl).toBeUndefined();
  });

  it('end to end: a JWT name with a bidi override cannot pass for a member; it joins as the cleaned name', async () => {
    const { url } = await startChat({ authenticate: auth });
    const ana = await sdkClient(url, { auth: { token: await signed({ sub: 'ana', name: 'Ana' }) } }).join('r');
    expect(ana.self?.name).toBe('Ana');
    const spoof = sdkClient(url, { auth: { token: await signed({ sub: 'mallory', name: '\u202Dana\u202C' }) } });
    await expect(spoof.join('r')).rejects.toMatchObject({ code: 'NAME_TAKEN' });
  });
});
