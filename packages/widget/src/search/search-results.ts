import { html, nothing, type TemplateResult } from 'lit';
import type { SearchHighlight, SearchResult } from '@chat/client';

/**
 * The highlight's text with its matched words in `<mark>` elements: plain strings and Lit
 * templates, so what people wrote is always drawn as text. Ranges out of order, overlapping or
 * outside the text are skipped.
 */
export function marked(highlight: SearchHighlight): Array<string | TemplateResult> {
  const { text } = highlight;
  const parts: Array<string | TemplateResult> = [];
  let at = 0;
  for (const { start, end } of highlight.ranges) {
    if (start < at || end <= start || end > text.length) continue;
    parts.push(text.slice(at, start), html`<mark>${text.slice(start, end)}</mark>`);
    at = end;
  }
  parts.push(text.slice(at));
  return parts;
}

/**
 * One result: who wrote it, in which conversation (`room`, when several are searched) and when,
 * then the piece of text that matched (a button that goes to the message).
 */
export function renderResult(
  result: SearchResult,
  when: (iso: string) => string,
  onGo: (result: SearchResult) => void,
  room?: string,
): TemplateResult {
  const { message } = result;
  return html`<li>
    <button type="button" class="result" data-id=${message.id} data-room=${result.roomId} @click=${() => onGo(result)}>
      <small
        ><strong>${message.user.name}</strong>${room === undefined ? nothing : html` · <span class="room">${room}</span>`} ·
        <time datetime=${message.createdAt}>${when(message.createdAt)}</time></small
      >
      <span>${marked(result.highlight)}</span>
    </button>
  </li>`;
}
