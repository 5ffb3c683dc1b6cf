/**
 * The texts of a part loaded on first use: the element's `strings` (its language's table, which
 * has every part's texts, with the host's own on top: `element.strings`, a language of
 * `registerLocale`), of the keys the part has; English for a key they lack.
 */
export function chunkStrings<S extends object>(en: S, host: Partial<S>): S {
  const own = Object.fromEntries(Object.entries(host).filter(([key, value]) => key in en && value !== undefined));
  return { ...en, ...own };
}
