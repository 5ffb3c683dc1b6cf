import { en } from './en.js';
import { es } from './es.js';
import type { ChatStrings } from './strings.js';

const locales = new Map<string, ChatStrings>([
  ['en', en],
  ['es', es],
]);

/** Adds or replaces a language, e.g. `registerLocale('fr', { ...frStrings })`. */
export function registerLocale(lang: string, strings: ChatStrings): void {
  locales.set(lang.toLowerCase(), strings);
}

/**
 * The strings for `lang` (`es-MX` falls back to `es`, anything unknown to English), with the
 * host's `overrides` on top.
 */
export function resolveStrings(lang: string | undefined, overrides: Partial<ChatStrings> = {}): ChatStrings {
  const tag = (lang ?? '').toLowerCase();
  const base = locales.get(tag) ?? locales.get(tag.split('-')[0] ?? '') ?? en;
  return { ...base, ...overrides };
}
