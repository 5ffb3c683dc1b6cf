import { en } from './en.js';
import type { ChatStrings, LanguageTable } from './strings.js';

/**
 * The built-in languages other than English, each a file of its own loaded the first time a widget
 * asks for it (`chat-room.fr.js` next to chat-room.min.js in the script-tag build), so a page
 * downloads only its own. This list is a small file of its own too, which only pages in another
 * language than English fetch.
 */
const languages = new Map<string, () => Promise<LanguageTable>>(
  Object.entries({
    ar: () => import('./ar.js').then((m) => m.ar),
    de: () => import('./de.js').then((m) => m.de),
    es: () => import('./es.js').then((m) => m.es),
    fr: () => import('./fr.js').then((m) => m.fr),
    he: () => import('./he.js').then((m) => m.he),
    it: () => import('./it.js').then((m) => m.it),
    ja: () => import('./ja.js').then((m) => m.ja),
    nl: () => import('./nl.js').then((m) => m.nl),
    pl: () => import('./pl.js').then((m) => m.pl),
    pt: () => import('./pt.js').then((m) => m.pt),
    tr: () => import('./tr.js').then((m) => m.tr),
    zh: () => import('./zh.js').then((m) => m.zh),
  }),
);

/** The codes of the built-in languages other than English (`es`, `fr`...), in alphabetical order. */
export const builtInLanguages = [...languages.keys()];

/**
 * Puts the table of the built-in language `code` (`fr`) in `tables` unless it has one (a host's
 * own, registered meanwhile), and gives the one `tables` has then: English for a language the
 * widget does not have.
 */
export async function load(code: string, tables: Map<string, ChatStrings>): Promise<ChatStrings> {
  const table = await languages.get(code)?.();
  if (table && !tables.has(code)) tables.set(code, table);
  return tables.get(code) ?? en;
}
