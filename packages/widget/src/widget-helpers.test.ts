import { describe, expect, it } from 'vitest';
import { ErrorCode, type Message } from '@chat/client';
import { groupMessages } from './group-messages.js';
import { loadLocale, localeLoading, resolveStrings, registerLocale } from './i18n/locales.js';
import { en } from './i18n/en.js';
import { initials } from './parts/avatar.js';

const msg = (seq: number, userId: string, minute: number): Message => ({
  id: `m${seq}`,
  roomId: 'r',
  seq,
  clientId: `c${seq}`,
  user: { id: userId, name: userId },
  text: 't',
  attachments: [],
  createdAt: new Date(Date.UTC(2026, 0, 1, 10, minute)).toISOString(),
  rev: 0,
});

describe('groupMessages', () => {
  it('groups consecutive messages of one sender within five minutes', () => {
    const groups = groupMessages([msg(1, 'ana', 0), msg(2, 'ana', 1), msg(3, 'luis', 2), msg(4, 'luis', 10), msg(5, 'ana', 11)]);
    expect(groups.map((g) => [g.userId, g.messages.map((m) => m.seq)])).toEqual([
      ['ana', [1, 2]],
      ['luis', [3]],
      ['luis', [4]],
      ['ana', [5]],
    ]);
  });
});

describe('strings', () => {
  it('give English while Spanish loads, then Spanish', async () => {
    const loading = localeLoading('es-MX');
    expect(loading).toBeDefined();
    expect(resolveStrings('es-MX').send).toBe('Send');
    // Another widget asking meanwhile waits for the same file (the browser fetches a module once).
    expect(localeLoading('es')).toBeDefined();
    expect((await loading)?.send).toBe('Enviar');
    expect(localeLoading('es')).toBeUndefined();
    expect((await loadLocale('es-AR')).send).toBe('Enviar');
    expect((await loadLocale('xx')).send).toBe('Send');
  });

  it('speak English and Spanish, by language tag with fallbacks', async () => {
    await loadLocale('es');
    expect(resolveStrings('en').typing(['Ana'])).toBe('Ana is typing…');
    expect(resolveStrings('en').typing(['Ana', 'Luis'])).toBe('Ana and Luis are typing…');
    expect(resolveStrings('en').typing(['A', 'B', 'C', 'D'])).toBe('A, B and 2 others are typing…');
    expect(resolveStrings('es').typing(['Ana'])).toBe('Ana está escribiendo…');
    expect(resolveStrings('es-MX').typing(['Ana', 'Luis'])).toBe('Ana y Luis están escribiendo…');
    expect(resolveStrings('es').typing(['Ana', 'Luis', 'Eva'])).toBe('Ana, Luis y Eva están escribiendo…');
    expect(resolveStrings('xx').send).toBe('Send');
    expect(resolveStrings(undefined).send).toBe('Send');
  });

  it('take the host own strings and new languages', () => {
    expect(resolveStrings('en', { send: 'Post' }).send).toBe('Post');
    registerLocale('fr', { ...en, send: 'Envoyer' });
    expect(resolveStrings('fr-CA').send).toBe('Envoyer');
  });

  it('Spanish has every string of the bundle, and the error sentences (languages.test.ts checks every language and part)', () => {
    // English leaves these to the server's own sentence (it is English); other languages give them.
    const serversInEnglish = ['errors'];
    const spanish = Object.keys(resolveStrings('es'));
    expect([...Object.keys(en), ...serversInEnglish].filter((key) => !spanish.includes(key))).toEqual([]);
  });

  it("other languages say every one of the server's error codes", () => {
    const { lang, name, file, ...codes } = resolveStrings('es').errors ?? { lang: '' };
    expect(Object.keys(codes).sort()).toEqual(Object.keys(ErrorCode).sort());
    expect([lang, Object.keys(name ?? {}), Object.keys(file ?? {})]).toEqual([
      'es',
      ['UNAUTHENTICATED', 'VALIDATION_FAILED'],
      ['PAYLOAD_TOO_LARGE', 'VALIDATION_FAILED'],
    ]);
  });
});

describe('initials', () => {
  it('takes first and last word, letters only', () => {
    expect([initials('Ana Ruiz'), initials('ana'), initials('Dra. María de la Ruiz'), initials('  '), initials('Ñandú 7')]).toEqual([
      'AR',
      'A',
      'DR',
      '?',
      'Ñ7',
    ]);
  });

  it('takes one letter of a name in a script without capitals (two would read as a word, or as nothing)', () => {
    expect([initials('محمد الأحمد'), initials('דוד לוי'), initials('山田 太郎'), initials('Ana محمد')]).toEqual(['م', 'ד', '山', 'Aم']);
  });
});
