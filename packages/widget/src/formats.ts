/** Dates and times in the widget's language. */
export interface Formats {
  /** The language used (English when the page's language tag is not valid). */
  lang: string;
  /** "10:42". */
  time: Intl.DateTimeFormat;
  /** "Friday, November 20, 2026". */
  day: Intl.DateTimeFormat;
  /** A time today, else the date and time, shortly: when a message was sent, when someone was last seen. */
  when(iso: string | undefined): string;
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
