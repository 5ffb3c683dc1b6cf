import { en } from './en.js';
import type { ChatStrings } from './strings.js';

const locales = new Map<string, ChatStrings>([['en', en]]);

/** The table `lang` uses: its own (`es-mx`) if there is one, else its primary language's (`es`), else English. */
function keyOf(lang: string | undefined): string {
  const tag = (lang ?? '').toLowerCase();
  const primary = tag.split('-')[0] ?? '';
  return locales.has(tag) ? tag : locales.has(primary) ? primary : 'en';
}

/**
 * The language the widget's own texts are in when `lang` is asked for, as a tag for a `lang`
 * attribute: `lang` itself (canonical) when its table, or its primary language's, is the one in
 * use; English for a language without a table, or a built-in one still loading. A page in Swahili
 * shows the widget in English: marked `en`, so that a screen reader reads it as English.
 */
export function shownLanguage(lang = ''): string {
  const key = keyOf(lang);
  if (!locales.has(key) || (key === 'en' && !/^en\b/i.test(lang))) return 'en';
  try {
    return Intl.getCanonicalLocales(lang)[0] ?? key;
  } catch {
    return key;
  }
}

/** Adds or replaces a language, e.g. `registerLocale('sw', { ...swStrings })`. */
export function registerLocale(lang: string, strings: ChatStrings): void {
  locales.set(lang.toLowerCase(), strings);
}

/**
 * The strings for `lang` (`es-MX` falls back to `es`, anything unknown to English), with the
 * host's `overrides` on top. A built-in language not loaded yet gives English: see
 * {@link loadLocale}.
 */
export function resolveStrings(lang: string | undefined, overrides: Partial<ChatStrings> = {}): ChatStrings {
  return { ...(locales.get(keyOf(lang)) ?? en), ...overrides };
}

/**
 * Loads a built-in language if it is not loaded yet (the widget does it by itself for its
 * `lang`), and gives its strings. A language that fails to load rejects (its next use tries
 * again) and stays English meanwhile.
 * @example const es = await loadLocale('es'); registerLocale('es-AR', { ...es, send: 'Mandar' });
 */
export async function loadLocale(lang: string): Promise<ChatStrings> {
  await localeLoading(lang);
  return resolveStrings(lang);
}

/**
 * The load of `lang`'s built-in table (its primary language's: `fr` for `fr-CA`) while
 * `resolveStrings(lang)` answers English for it; undefined once it has a table. For a language the
 * widget does not have, the load gives English. Each call asks again: the browser fetches a file
 * once, however many widgets ask for it.
 */
export function localeLoading(lang: string | undefined): Promise<ChatStrings> | undefined {
  const tag = (lang ?? '').toLowerCase();
  const primary = tag.split('-')[0] ?? '';
  return locales.has(tag) || locales.has(primary)
    ? undefined
    : import('./languages.js').then((languages) => languages.load(primary, locales));
}
