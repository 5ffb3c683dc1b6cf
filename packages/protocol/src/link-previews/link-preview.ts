// Link previews (the link-previews plugin of @chat/server): what the server found at a message's
// first http(s) link, added to the message by `message:updated`. Every field is plain text: a
// client renders it as text, never as HTML.
import type { Ack } from '../ack.js';

/** The longest each text of a preview may be, in characters (a longer one is cut and ends with `…`). */
export const LINK_PREVIEW_LIMITS = Object.freeze({ title: 300, description: 1000, siteName: 100 });

/** A card for a link in a message: the page's Open Graph or Twitter tags, or its `<title>`. */
export interface LinkPreview {
  /** The link as the message holds it (what the card opens), not where its redirects led. */
  url: string;
  /** The page's title: `og:title`, `twitter:title` or `<title>`, whitespace collapsed, at most `LINK_PREVIEW_LIMITS.title`. */
  title: string;
  /** `og:description`, `twitter:description` or `<meta name="description">`, at most `LINK_PREVIEW_LIMITS.description`. */
  description?: string;
  /** `og:site_name`, at most `LINK_PREVIEW_LIMITS.siteName`. */
  siteName?: string;
  /**
   * The page's image as the chat server serves it (`/previews/<sha256 hex>`, resolved against the
   * chat server's URL), never the site's own image URL: a reader's address never reaches the site.
   */
  image?: string;
}

/** `preview:remove`: the sender takes the previews off their own message (they do not come back for this text). */
export interface PreviewRemovePayload {
  roomId: string;
  messageId: string;
}

/** The client -> server events of link previews. */
export interface LinkPreviewClientEvents {
  'preview:remove': (payload: PreviewRemovePayload, ack: Ack<Record<string, never>>) => void;
}
