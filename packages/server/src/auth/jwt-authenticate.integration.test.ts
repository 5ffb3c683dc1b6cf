import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import type { ChatHandshake } from './handshake.js';
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
    expect(await auth(handshake(token))).toEqual(expected);
    expect(await auth(handshake(token, true))).toEqual(expected);
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
    expect(await pem(handshake(token))).toEqual({ id: 'u2', name: 'Luis' });

    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const jwksServer = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    track(() => new Promise<void>((resolve) => jwksServer.close(() => resolve())));
    const { port } = jwksServer.address() as AddressInfo;
    const jwks = jwtAuthenticate({ jwksUrl: `http://127.0.0.1:${port}/jwks.json`, algorithms: ['RS256'] });
    expect(await jwks(handshake(token))).toEqual({ id: 'u2', name: 'Luis' });
  });

  it('works end to end: a valid token joins, the name comes from the token, not the client', async () => {
    const { url } = await startChat({ authenticate: jwtAuthenticate({ secret, algorithms: ['HS256'] }) });
    const room = await sdkClient(url, { auth: { token: await hs({ name: 'Dra. Ruiz' }) } }).join('cita-42');
    expect(room.self).toMatchObject({ id: 'user-1', name: 'Dra. Ruiz' });
    const sent = await room.send('Buenos días');
    expect(sent.user).toEqual({ id: 'user-1', name: 'Dra. Ruiz' });
  });
});
