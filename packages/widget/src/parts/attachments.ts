import { html, nothing, type ReactiveElement, type TemplateResult } from 'lit';
import type { Attachment } from '@chat/client';
import type { ChatStrings } from '../i18n/strings.js';
import { isHttpUrl } from '@chat/protocol';
import { CLIP, icon } from './icons.js';

/**
 * How files are shown wherever a message is drawn (the log, the thread panel): one full-size image
 * view, and one place that opens an encrypted room's files on this device.
 */
export interface FileShow {
  /** A thumbnail was clicked: show the image full size. */
  _onView: (attachment: Attachment, opener: HTMLElement) => void;
  /** Draws an encrypted room's file (the e2ee chunk's, once an encrypted room loaded it; nothing before). */
  _sealed(): { render(attachment: Attachment, view: AttachmentsView): unknown } | undefined;
  /** Draws a voice message's player (the voice chunk's, once loaded; undefined before: the file line shows). */
  _voice(attachment: Attachment, tab: number): TemplateResult | undefined;
}

/** What the attachments of a message need. */
export interface AttachmentsView {
  strings: ChatStrings;
  /** The widget's language (file sizes). */
  lang: string;
  /** `tabindex` of the links and thumbnails (-1 in the log until the message's controls are opened). */
  tab: number;
  _files: FileShow;
}

const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte'];

/** "512 bytes", "1.5 kB", "12 MB" in the language's words. */
export function fileSize(bytes: number, lang: string): string {
  let unit = 0;
  while (bytes >= 1024 && unit < UNITS.length - 1) {
    bytes /= 1024;
    unit++;
  }
  return new Intl.NumberFormat(lang, {
    style: 'unit',
    unit: UNITS[unit],
    unitDisplay: unit ? 'short' : 'long',
    maximumFractionDigits: 1,
  }).format(bytes);
}

/**
 * Images as thumbnails (a click shows them full size), other files as links with their name and
 * size. Only http(s) URLs are shown; names are bound as text. An encrypted room's files (`e2ee`)
 * are drawn by the e2ee chunk (`_files._sealed()`), from their bytes opened on this device.
 */
export function renderAttachments(attachments: readonly Attachment[], view: AttachmentsView): TemplateResult | typeof nothing {
  const safe = attachments.filter((a) => isHttpUrl(a.url));
  if (safe.length === 0) return nothing;
  return html`<div class="attachments">${safe.map((a) => (a.e2ee ? view._files._sealed()?.render(a, view) : renderFile(a, view)))}</div>`;
}

/** The URLs of images the browser could not show (not an image it can decode): drawn as links. */
const broken = new Set<string>();

/**
 * One file: a voice message as its player (once the voice chunk is here), an image as a thumbnail
 * that shows it full size, another (or an image the browser cannot decode: its `error`) as a link
 * with its name and size.
 */
export function renderFile(a: Attachment, view: AttachmentsView): TemplateResult {
  const { strings, tab } = view;
  const name = a.name ?? strings.attachment;
  const player = a.kind === 'voice' ? view._files._voice(a, tab) : undefined;
  if (player) return player;
  return a.type.startsWith('image/') && !broken.has(a.url)
    ? html`<button
        type="button"
        class="thumb"
        tabindex=${tab}
        aria-label=${strings.viewImage(name)}
        @click=${(e: Event) => view._files._onView(a, e.currentTarget as HTMLElement)}
      >
        <img
          src=${a.url}
          alt=${name}
          loading="lazy"
          @error=${(e: Event) => {
            broken.add(a.url);
            (((e.target as Node).getRootNode() as ShadowRoot).host as ReactiveElement).requestUpdate();
          }}
        />
      </button>`
    : html`<a class="file" href=${a.url} target="_blank" rel="noopener noreferrer nofollow" tabindex=${tab} download=${name}
        >${icon(CLIP)} ${name}${a.size === undefined ? '' : ` (${fileSize(a.size, view.lang)})`}</a
      >`;
}
