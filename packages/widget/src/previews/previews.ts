// The chunk of link previews (chat-room.previews.js): a card under a message for the link the
// server previewed (title, site, description, its image as the chat server serves it), every text
// drawn as text; the sender's "Remove preview". Loaded with the first message that has a preview.
import { html, nothing, type TemplateResult } from 'lit';
import type { ChatClient, ChatError, ChatRoom, LinkPreview, Message } from '@chat/client';
import { addStyles } from '../add-styles.js';
import { chunkStrings } from '../i18n/chunk-strings.js';
import { clip } from '../parts/message-list.js';
import { previewsEn, type PreviewStrings } from './preview-strings.js';
import { previewStyles } from './preview-styles.js';

/** What the cards need of `<chat-room>`. */
export interface PreviewsHost {
  element: HTMLElement & { readonly renderRoot: ParentNode; server?: string | undefined };
  client(): ChatClient | undefined;
  /** The room shown. */
  room(): ChatRoom | undefined;
  strings(): Partial<PreviewStrings>;
  lang(): string;
  fail(error: ChatError): void;
}

/** The cards, drawn inside a message by the log. */
export interface PreviewsUi {
  /** The previews of `message` (none: nothing), with the message's `tabindex`; `own`: the sender may remove them. */
  card(message: Message, tab: number, own: boolean): TemplateResult | typeof nothing;
}

/** Only a web page's link is a link: anything else stays text. */
const WEB = /^https?:\/\//iu;

/** The cards of `host`'s messages, their styles added to the element. */
export function createPreviews(host: PreviewsHost): PreviewsUi {
  addStyles(host.element, previewStyles);
  // The image is a path on the chat server (or an absolute URL it gave).
  const imageUrl = (image: string): string | undefined => {
    try {
      const url = new URL(image, host.element.server || location.href);
      return WEB.test(url.href) ? url.href : undefined;
    } catch {
      return undefined;
    }
  };
  const remove = (message: Message) => {
    const send = host.client()?.request.bind(host.client()) as ((event: 'preview:remove', payload: object) => Promise<unknown>) | undefined;
    send?.('preview:remove', { roomId: message.roomId, messageId: message.id }).catch((error: ChatError) => host.fail(error));
  };
  const one = (preview: LinkPreview, tab: number) => {
    const image = preview.image === undefined ? undefined : imageUrl(preview.image);
    const title = WEB.test(preview.url)
      ? html`<a href=${preview.url} target="_blank" rel="noopener noreferrer nofollow ugc" tabindex=${tab}>${preview.title}</a>`
      : html`<b>${preview.title}</b>`;
    return html`<div class="preview" part="preview">
      ${image ? html`<img src=${image} alt="" loading="lazy" referrerpolicy="no-referrer" />` : nothing}
      <div>
        ${preview.siteName ? html`<small>${preview.siteName}</small>` : nothing} ${title}
        ${preview.description ? html`<p>${clip(preview.description, 200)}</p>` : nothing}
      </div>
    </div>`;
  };
  return {
    card(message, tab, own) {
      const previews = message.previews;
      if (!previews?.length) return nothing;
      const strings = chunkStrings(previewsEn, host.strings());
      return html`<div class="previews" role="group" aria-label=${strings.previewsLabel}>
        ${previews.map((preview) => one(preview, tab))}
        ${
          own
            ? html`<button type="button" class="preview-remove" tabindex=${tab} @click=${() => remove(message)}>
                ${strings.removePreview}
              </button>`
            : nothing
        }
      </div>`;
    },
  };
}
