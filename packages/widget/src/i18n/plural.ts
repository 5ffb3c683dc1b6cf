/** The forms of a text that counts, `#` where the number goes: `{ one: '# person', other: '# people' }`. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/**
 * How the language `lang` counts, for its table: `count(n, forms)` is the form of `forms` for `n`
 * by the language's plural rules (`Intl.PluralRules` of `rules`, `lang` unless told), `other` when
 * `forms` has none of its own, with `#` replaced by `n` as the language writes numbers
 * (`Intl.NumberFormat`) and then `suffix` (`+` for "20+").
 */
export function counter(lang: string, rules = lang): (n: number, forms: PluralForms, suffix?: string) => string {
  const plural = new Intl.PluralRules(rules);
  const number = new Intl.NumberFormat(lang);
  return (n, forms, suffix = '') => (forms[plural.select(n)] ?? forms.other).replace('#', `${number.format(n)}${suffix}`);
}
