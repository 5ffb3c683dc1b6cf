import { en } from './en.js';
import type { ChatStrings } from './strings.js';

const locales = new Map<string, ChatStrings>([['en', en]]);

/**
 * The built-in languages other than English, each loaded the first time a widget asks for it:
 * in the script-tag build a file next to chat-room.min.js (`chat-room.es.js`), so pages in
 * English do not download Spanish. A language is not a chat feature.
 */
const builtIn = new Map<string, () => Promise<ChatStrings>>([['es', () => import('./es.js').then((m) => m.es)]]);
const loading = new Map<string, Promise<ChatStrings>>();

/** The table key `lang` uses: its own (`es-mx`) if known, else its primary language (`es`), else English. */
function keyOf(lang: string | undefined): string {
  const tag = (lang ?? '').toLowerCase();
  if (locales.has(tag) || builtIn.has(tag)) return tag;
  const primary = tag.split('-')[0] ?? '';
  return locales.has(primary) || builtIn.has(primary) ? primary : 'en';
}

/**
 * The language the widget's own texts are in when `lang` is asked for, as a tag for a `lang`
 * attribute: `lang` itself (canonical) when its table, or its primary language's, is the one in
 * use; English for a language without a table, or a built-in one still loading. A page in French
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

/** Adds or replaces a language, e.g. `registerLocale('fr', { ...frStrings })`. */
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
export function loadLocale(lang: string): Promise<ChatStrings> {
  return localeLoading(lang) ?? Promise.resolve(resolveStrings(lang));
}

/** The load of `lang`'s built-in table while `resolveStrings(lang)` still answers English for it; undefined otherwise. */
export function localeLoading(lang: string | undefined): Promise<ChatStrings> | undefined {
  const key = keyOf(lang);
  const load = builtIn.get(key);
  if (!load || locales.has(key)) return undefined;
  let pending = loading.get(key);
  if (!pending) {
    pending = load().then(
      (strings) => {
        if (!locales.has(key)) locales.set(key, strings);
        return locales.get(key) ?? strings;
      },
      (error: unknown) => {
        loading.delete(key);
        throw error;
      },
    );
    loading.set(key, pending);
  }
  return pending;
}
