// A link's page, fetched the safe way (outbound-get.ts) and read as far as its head: only
// `text/html`, decoded as UTF-8 or as the charset its Content-Type names.
import { outboundGet, type BodyReader, type OutboundGetSettings, type ResponseHead } from './outbound-get.js';
import { PageMetaParser, type PageMeta } from './page-meta.js';
import { failed, PreviewFailureReason, type PreviewFailure } from './preview-outcome.js';
import type { Outcome } from './preview-outcome.js';

/** What a page's head said, and where the page was (after the redirects, for resolving its image). */
export interface FetchedPage {
  readonly url: URL;
  readonly meta: PageMeta;
}

/** The settings of a page's fetch: those of any GET but its own `maxBytes` and `Accept`. */
export type PageFetchSettings = Omit<OutboundGetSettings, 'accept'>;

/** Fetches `link` and reads its head's tags; a failure when it is no HTML page or cannot be fetched. */
export function fetchPage(link: string | URL, settings: PageFetchSettings): Promise<Outcome<FetchedPage>> {
  return outboundGet(link, { ...settings, accept: 'text/html' }, pageReader);
}

function pageReader(head: ResponseHead): BodyReader<FetchedPage> | PreviewFailure {
  if (head.mediaType !== 'text/html') {
    return failed(PreviewFailureReason.NotHtml, `${head.url.href} is ${head.mediaType || 'of no stated type'}, not an HTML page`);
  }
  const decoder = textDecoder(head.charset);
  const parser = new PageMetaParser();
  return {
    write: (chunk) => parser.write(decoder.decode(chunk, { stream: true })),
    end: (cut) => {
      // A page cut at maxBytes may end inside a character: its last bytes are left undecoded.
      if (!cut) parser.write(decoder.decode());
      return { ok: true, value: { url: head.url, meta: parser.end() } };
    },
  };
}

function textDecoder(charset: string | undefined): TextDecoder {
  try {
    return new TextDecoder(charset ?? 'utf-8');
  } catch {
    // A charset TextDecoder does not know: UTF-8, as for a page that names none.
    return new TextDecoder('utf-8');
  }
}
