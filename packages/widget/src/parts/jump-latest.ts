import { html, nothing, type TemplateResult } from 'lit';
import type { ChatStrings } from '../i18n/strings.js';

/**
 * The button back to the newest messages: how many came below while the reader was up in the log,
 * or "latest" while an older part of the history (a message found by search) is shown.
 */
export function renderJumpLatest(
  strings: ChatStrings,
  newBelow: number,
  olderShown: boolean,
  jump: () => void,
): TemplateResult | typeof nothing {
  if (newBelow === 0 && !olderShown) return nothing;
  return html`<button type="button" class="jump primary" @click=${jump}>
    ${newBelow > 0 ? strings.newMessages(newBelow) : strings.latest}
  </button>`;
}
