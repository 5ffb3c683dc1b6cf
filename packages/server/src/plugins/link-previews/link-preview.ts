// A link's preview, end to end: its page fetched and its head read (fetch-page.ts), the texts made
// fit to show (preview-text.ts), its image fetched and checked (preview-image.ts). Every request
// goes through the filtering agents the caller made (core/outbound-agent.ts).
import type { LookupFunction } from 'node:net';
import { LINK_PREVIEW_LIMITS, type LinkPreview } from '@chat/protocol';
import type { OutboundAgents } from '../../core/outbound-agent.js';
import { fetchPage } from './fetch-page.js';
import type { LinkPreviewsConfig } from './link-previews-options.js';
import { fetchPreviewImage, previewImagePath, type PreviewImage } from './preview-image.js';
import { failed, PreviewFailureReason, type Outcome, type PreviewFailure } from './preview-outcome.js';
import { previewText } from './preview-text.js';

/** What a preview's fetches need: the filtering agents and the plugin's options. */
export interface PreviewFetchTools {
  /** Made with the options' `allowedAddresses` (`outboundAgents({ allowedAddresses })`). */
  readonly agents: OutboundAgents;
  readonly config: LinkPreviewsConfig;
  /** Resolves names instead of `dns.lookup` (what it answers is checked all the same). */
  readonly lookup?: LookupFunction;
}

/** A link's preview, and its image's bytes to serve (or why it has none, for the log). */
export interface FetchedPreview {
  /** The preview, its `image` the path the chat server serves `image` from. */
  readonly preview: LinkPreview;
  readonly image?: PreviewImage;
  /** Why the page's image is not shown, when it named one. */
  readonly imageFailure?: PreviewFailure;
}

/** Fetches `link`'s page and image and makes its preview; a failure when there is none. Never throws. */
export async function fetchLinkPreview(link: string, tools: PreviewFetchTools): Promise<Outcome<FetchedPreview>> {
  const { agents, config, lookup } = tools;
  const settings = { agents, config, ...(lookup !== undefined && { lookup }) };
  const page = await fetchPage(link, { ...settings, maxBytes: config.maxBytes });
  if (!page.ok) return page;
  const { meta, url: pageUrl } = page.value;
  const title = previewText(meta.title, LINK_PREVIEW_LIMITS.title);
  if (title === undefined) return failed(PreviewFailureReason.NoTitle, `${pageUrl.href} has no title to show`);
  const description = previewText(meta.description, LINK_PREVIEW_LIMITS.description);
  const siteName = previewText(meta.siteName, LINK_PREVIEW_LIMITS.siteName);
  const preview: LinkPreview = {
    url: link,
    title,
    ...(description !== undefined && { description }),
    ...(siteName !== undefined && { siteName }),
  };
  const imageUrl = resolved(meta.image, pageUrl);
  if (imageUrl === undefined) return { ok: true, value: { preview } };
  const image = await fetchPreviewImage(imageUrl, { ...settings, maxBytes: config.maxImageBytes });
  if (!image.ok) return { ok: true, value: { preview, imageFailure: image } };
  return { ok: true, value: { preview: { ...preview, image: previewImagePath(image.value.hash) }, image: image.value } };
}

// The image's URL against the page's (after its redirects); an image that is not http(s) is none.
function resolved(image: string | undefined, page: URL): URL | undefined {
  if (image === undefined) return undefined;
  try {
    const url = new URL(image.trim(), page);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
