import { shownLanguage } from './i18n/locales.js';

/** Dates and times in the widget's language. */
export interface Formats {
  /** The language used (English when the page's language tag is not valid). */
  lang: string;
  /** "10:42". */
  time: Intl.DateTimeFormat;
  /** "Friday, November 20, 2026". */
  day: Intl.DateTimeFormat;
  /** A time today, else the date and time, shortly: when a message was sent, when someone was last seen. */
  when: (iso: string | undefined) => string;
}

let cached: { tag: string; formats: Formats } | undefined;

/** The formats of `tag` (the last ones asked are kept). */
export function formatsFor(tag: string): Formats {
  if (cached?.tag === tag) return cached.formats;
  let lang = tag;
  try {
    Intl.DateTimeFormat.supportedLocalesOf(lang);
  } catch {
    lang = 'en';
  }
  const time = new Intl.DateTimeFormat(lang, { hour: 'numeric', minute: '2-digit' });
  const short = new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
  const formats: Formats = {
    lang,
    time,
    day: new Intl.DateTimeFormat(lang, { dateStyle: 'full' }),
    when: (iso) => {
      const date = new Date(iso ?? '');
      if (Number.isNaN(date.getTime())) return '';
      return (date.toDateString() === new Date().toDateString() ? time : short).format(date);
    },
  };
  cached = { tag, formats };
  return formats;
}

/**
 * The languages of a widget asked for `tag`: `ui`, its own texts' (see `shownLanguage`), and
 * `text`, what people write, when that is not `ui`: the page's (a Spanish page's messages in a
 * widget shown in English), for a `lang` on message text and previews (WCAG 3.1.2); and `dir`,
 * the frame's direction: `host`'s own `dir`, else the one of `ui` ({@link dirOf}).
 */
export function languagesOf(tag: string, host?: HTMLElement): { ui: string; text: string | undefined; dir: string } {
  const ui = shownLanguage(tag);
  const page = formatsFor(tag).lang;
  return { ui, text: ui.toLowerCase() === page.toLowerCase() ? undefined : page, dir: host?.dir || dirOf(ui) };
}

/**
 * `rtl` for a language written right to left (its likely script is Arabic, Hebrew, Thaana...),
 * else `ltr`: a widget's frame takes its texts' direction (a host's own `dir` on the element wins).
 */
function dirOf(lang: string): string {
  try {
    return /^(Arab|Hebr|Thaa|Syrc|Nkoo|Adlm|Rohg)$/u.test(new Intl.Locale(lang).maximize().script ?? '') ? 'rtl' : 'ltr';
  } catch {
    // Not a language tag (a key a page registered, `x-custom`): left to right, or the host's `dir`.
    return 'ltr';
  }
}
