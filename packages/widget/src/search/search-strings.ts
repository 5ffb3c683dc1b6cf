/**
 * The texts of the search panel (the header's search button opens it). They live in the search
 * chunk, loaded on the first click; a host changes them like any other text (`element.strings`,
 * or a language of `registerLocale`): `ChatStrings` lists them as optional keys.
 */
export interface SearchStrings {
  /** The search field's label when it searches the conversation shown. */
  searchLabel: string;
  /** The search field's label when it searches all the user's conversations. */
  searchAllLabel: string;
  /** Names the choice of where to search (read by screen readers). */
  searchScope: string;
  /** The choice: only the conversation shown. */
  searchHere: string;
  /** The choice: every conversation. */
  searchAll: string;
  /** The button that searches. */
  searchGo: string;
  /** While the server answers. */
  searching: string;
  /** How many results are shown (`more`: older ones may be found). */
  searchFound: (count: number, more: boolean) => string;
  /** Nothing matched. */
  searchNone: string;
  /** The button that asks for older results. */
  searchMore: string;
}

/** English. */
const searchEn: SearchStrings = {
  searchLabel: 'Search this conversation',
  searchAllLabel: 'Search all conversations',
  searchScope: 'Where to search',
  searchHere: 'This conversation',
  searchAll: 'All conversations',
  searchGo: 'Search',
  searching: 'Searching…',
  searchFound: (count, more) => `${count}${more ? '+' : ''} ${count === 1 ? 'message' : 'messages'} found. Choose one to go to it.`,
  searchNone: 'No messages found.',
  searchMore: 'More results',
};

/** Spanish. */
const searchEs: SearchStrings = {
  searchLabel: 'Buscar en esta conversación',
  searchAllLabel: 'Buscar en todas las conversaciones',
  searchScope: 'Dónde buscar',
  searchHere: 'Esta conversación',
  searchAll: 'Todas las conversaciones',
  searchGo: 'Buscar',
  searching: 'Buscando…',
  searchFound: (count, more) =>
    `${count}${more ? '+' : ''} ${count === 1 ? 'mensaje encontrado' : 'mensajes encontrados'}. Elige uno para ir a él.`,
  searchNone: 'No se encontró ningún mensaje.',
  searchMore: 'Más resultados',
};

/** The search texts for a language (Spanish for `es-*`, English otherwise), with the host's own on top. */
export function searchStrings(lang: string, host: Partial<SearchStrings>): SearchStrings {
  const base = lang.toLowerCase().split('-')[0] === 'es' ? searchEs : searchEn;
  const own = Object.fromEntries(Object.entries(host).filter(([key, value]) => key in searchEn && value !== undefined));
  return { ...base, ...own };
}
