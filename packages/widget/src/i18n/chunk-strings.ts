/**
 * The texts of a part loaded on first use, for a language: Spanish for `es-*`, English otherwise,
 * with the host's own (`element.strings`, a language of `registerLocale`) on top, of the keys the
 * part has.
 */
export function chunkStrings<S extends object>(lang: string, en: S, es: S, host: Partial<S>): S {
  const base = lang.toLowerCase().split('-')[0] === 'es' ? es : en;
  const own = Object.fromEntries(Object.entries(host).filter(([key, value]) => key in en && value !== undefined));
  return { ...base, ...own };
}
