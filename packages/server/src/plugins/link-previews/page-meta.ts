// What a page says about itself in its head: Open Graph tags, Twitter's, `<meta name="description">`
// and `<title>`, read with htmlparser2's streaming parser as the page arrives, never with a regular
// expression over HTML. The parser stops at the head's end (`</head>` or the body's first tag) or
// once every Open Graph tag it looks for is found, so the rest of the page is never downloaded.
import { Parser } from 'htmlparser2';

/** What a page's head says, as written (entities decoded, nothing else done); every field optional. */
export interface PageMeta {
  title?: string;
  description?: string;
  siteName?: string;
  /** The image's URL as written (maybe relative to the page). */
  image?: string;
}

// Each field from the first tag found in this order of preference; `<title>` is the title's last resort.
const SOURCES: Readonly<Record<keyof PageMeta, readonly string[]>> = {
  title: ['og:title', 'twitter:title'],
  description: ['og:description', 'twitter:description', 'description'],
  siteName: ['og:site_name'],
  image: ['og:image', 'og:image:url', 'og:image:secure_url', 'twitter:image', 'twitter:image:src'],
};
const FIELDS = Object.keys(SOURCES) as Array<keyof PageMeta>;

// Raw text kept at most per tag: far past what a preview shows, short of what a hostile page could send.
const MAX_RAW = 8192;

/** Reads a page's head piece by piece: `write` each decoded piece, then `end`. */
export class PageMetaParser {
  readonly #tags = new Map<string, string>();
  readonly #parser: Parser;
  #title: string | undefined;
  #inTitle = false;
  #done = false;

  constructor() {
    this.#parser = new Parser(
      {
        onopentag: (name, attributes) => {
          if (name === 'meta') this.#meta(attributes);
          else if (name === 'title' && this.#title === undefined) {
            this.#inTitle = true;
            this.#title = '';
          } else if (name === 'body') this.#stop();
        },
        ontext: (text) => {
          if (this.#inTitle && this.#title !== undefined && this.#title.length < MAX_RAW) this.#title += text;
        },
        onclosetag: (name) => {
          if (name === 'title') this.#inTitle = false;
          else if (name === 'head') this.#stop();
        },
      },
      { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
    );
  }

  /** Parses the next piece of the page; true once the head is read (or all it looks for is found). */
  write(text: string): boolean {
    if (!this.#done) this.#parser.write(text);
    return this.#done;
  }

  /** What the head said, once the page ended or was cut. */
  end(): PageMeta {
    if (!this.#done) this.#parser.end();
    this.#done = true;
    const meta: PageMeta = {};
    for (const field of FIELDS) {
      const value = SOURCES[field].map((key) => this.#tags.get(key)).find((found) => found !== undefined && found.trim() !== '');
      if (value !== undefined) meta[field] = value;
    }
    if (meta.title === undefined && this.#title !== undefined && this.#title.trim() !== '') meta.title = this.#title;
    return meta;
  }

  #meta(attributes: Record<string, string>): void {
    const key = (attributes.property ?? attributes.name ?? '').trim().toLowerCase();
    const content = attributes.content;
    if (key === '' || content === undefined || this.#tags.has(key)) return;
    this.#tags.set(key, content.slice(0, MAX_RAW));
    if (FIELDS.every((field) => this.#tags.has(SOURCES[field][0] ?? ''))) this.#stop();
  }

  #stop(): void {
    if (this.#done) return;
    this.#done = true;
    // The parser may hold more of the piece it is in: nothing of it is needed.
    this.#parser.pause();
  }
}
