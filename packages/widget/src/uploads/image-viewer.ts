import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { Attachment } from '@chat/client';
import type { ChatStrings } from '../i18n/strings.js';

/**
 * An image shown full size, in a modal `<dialog>`: the rest of the page is inert while it is
 * open (focus stays in it), Escape, Close or a click beside the image close it, and focus goes
 * back to the thumbnail that opened it.
 */
export class ImageViewer implements ReactiveController {
  shown: Attachment | undefined;
  readonly #host: ReactiveControllerHost & { readonly renderRoot: ParentNode };
  #opener: HTMLElement | undefined;

  constructor(host: ReactiveControllerHost & { readonly renderRoot: ParentNode }) {
    this.#host = host;
    host.addController(this);
  }

  open(attachment: Attachment, opener: HTMLElement): void {
    this.shown = attachment;
    this.#opener = opener;
    this.#host.requestUpdate();
  }

  hostUpdated(): void {
    const dialog = this.#host.renderRoot.querySelector('dialog');
    if (dialog && !dialog.open) dialog.showModal();
  }

  #closed = (event: Event): void => {
    // The `close` event is queued: an image opened again before it came shows in the same
    // element, open again, and this stale event must not close that one.
    if ((event.currentTarget as HTMLDialogElement).open) return;
    this.shown = undefined;
    this.#opener?.focus();
    this.#host.requestUpdate();
  };

  render(strings: ChatStrings): TemplateResult | typeof nothing {
    const image = this.shown;
    if (!image) return nothing;
    const name = image.name ?? strings.attachment;
    // A click on the dialog itself, not on what is in it, is a click beside the image (the backdrop).
    const click = (e: Event) => e.target === e.currentTarget && (e.currentTarget as HTMLDialogElement).close();
    return html`<dialog class="viewer" aria-label=${name} @close=${this.#closed} @click=${click}>
      <img src=${image.url} alt=${name} />
      <form method="dialog"><button class="primary" autofocus>${strings.close}</button></form>
    </dialog>`;
  }
}
