import { html, nothing, type TemplateResult } from 'lit';
import type { ChatStrings } from '../i18n/strings.js';

/** An unread count, and a mention mark when some of them mention you; read out as words. Nothing at 0. */
export function badges(unread: number, mentions: number, strings: ChatStrings): TemplateResult | typeof nothing {
  if (unread <= 0) return nothing;
  return html`<span class="badge"><b aria-hidden="true">${unread}</b><i class="visually-hidden"> ${strings.unread(unread)}</i></span
    >${
      mentions > 0
        ? html`<span class="badge at"><b aria-hidden="true">@</b><i class="visually-hidden"> ${strings.mentions(mentions)}</i></span>`
        : nothing
    }`;
}
