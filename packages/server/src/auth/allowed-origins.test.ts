import { describe, expect, it } from 'vitest';
import { ChatError } from '@chat/protocol';
import { createOriginCheck, normalizeOrigin } from './allowed-origins.js';

describe('normalizeOrigin', () => {
  it('gives scheme://host[:port], lowercased, without the default port or a trailing slash', () => {
    expect(normalizeOrigin('https://Portal.Example')).toBe('https://portal.example');
    expect(normalizeOrigin('https://portal.example:443/')).toBe('https://portal.example');
    expect(normalizeOrigin('http://portal.example:80')).toBe('http://portal.example');
    expect(normalizeOrigin('http://localhost:5173')).toBe('http://localhost:5173');
    expect(normalizeOrigin('https://portal.example:8443')).toBe('https://portal.example:8443');
    expect(normalizeOrigin('capacitor://Localhost')).toBe('capacitor://localhost');
  });

  it('is undefined for what is not an origin', () => {
    for (const value of [
      'null',
      '',
      '*',
      'portal.example',
      'https://portal.example/app',
      'https://a@portal.example',
      'https://portal.example?x',
      'file:///tmp/a.html',
    ]) {
      expect(normalizeOrigin(value), value).toBeUndefined();
    }
  });
});

describe('createOriginCheck', () => {
  const check = createOriginCheck(['https://portal.example', 'http://localhost:5173/']);
  const refusal = (origin: string | undefined): ChatError | undefined => {
    try {
      check(origin);
      return undefined;
    } catch (error) {
      return error as ChatError;
    }
  };

  it('lets listed origins and requests without an Origin through', () => {
    for (const origin of ['https://portal.example', 'https://PORTAL.example:443', 'http://localhost:5173', undefined]) {
      expect(refusal(origin), String(origin)).toBeUndefined();
    }
  });

  it('refuses every other origin, null included, with FORBIDDEN and a sentence', () => {
    for (const origin of [
      'https://evil.example',
      'http://portal.example',
      'https://portal.example:8443',
      'https://app.portal.example',
      'https://portal.example.evil.example',
      'http://localhost:3000',
    ]) {
      expect(refusal(origin), origin).toMatchObject({
        code: 'FORBIDDEN',
        message: `Pages on ${origin} may not use this chat: that origin is not in its allowedOrigins.`,
      });
    }
    expect(refusal('null')).toMatchObject({
      code: 'FORBIDDEN',
      message: 'Pages without an origin of their own (sandboxed frames, file:// pages) may not use this chat.',
    });
    expect(refusal('null')).toBeInstanceOf(ChatError);
    expect(refusal('https://portal.example, https://evil.example')).toMatchObject({
      code: 'FORBIDDEN',
      message: 'The Origin header "https://portal.example, https://evil.example" is not an origin, so this chat refuses the request.',
    });
    expect(refusal('')).toMatchObject({ code: 'FORBIDDEN' });
    expect(refusal('HTTPS://EVIL.example:443')?.message).toBe(
      'Pages on https://evil.example may not use this chat: that origin is not in its allowedOrigins.',
    );
  });

  it('without a list lets everything through', () => {
    expect(() => createOriginCheck(undefined)('null')).not.toThrow();
  });

  it('refuses a list entry that is not an origin when the server starts', () => {
    expect(() => createOriginCheck(['*'])).toThrow(/allowedOrigins: "\*" is not an origin/u);
    expect(() => createOriginCheck(['portal.example'])).toThrow(TypeError);
    expect(() => createOriginCheck(['https://portal.example/chat'])).toThrow(TypeError);
    expect(() => createOriginCheck(['null'])).toThrow(TypeError);
  });
});
