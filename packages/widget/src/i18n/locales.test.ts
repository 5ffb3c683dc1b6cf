import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { loadLocale, registerLocale, shownLanguage } from './locales.js';

describe('shownLanguage: the language the widget texts are in, for its lang attribute', () => {
  it('English for a language without a table and for none; the tag itself for English', () => {
    expect(shownLanguage('fr')).toBe('en');
    expect(shownLanguage('pt-BR')).toBe('en');
    expect(shownLanguage(undefined)).toBe('en');
    expect(shownLanguage('')).toBe('en');
    expect(shownLanguage('en-gb')).toBe('en-GB');
    // Not a valid tag: its table's key, never the broken tag.
    expect(shownLanguage('en-%%')).toBe('en');
  });

  it('English while a built-in language loads, the asked tag once it has', async () => {
    expect(shownLanguage('es-MX')).toBe('en');
    await loadLocale('es');
    expect(shownLanguage('es-mx')).toBe('es-MX');
    expect(shownLanguage('es')).toBe('es');
  });

  it('a language a page registers is its own', () => {
    registerLocale('fr', { ...en, send: 'Envoyer' });
    expect(shownLanguage('fr-CA')).toBe('fr-CA');
  });
});
