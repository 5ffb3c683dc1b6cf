import { html, type TemplateResult } from 'lit';

/**
 * `sentence` (a text of the widget's language, such as `strings.replyingTo`) around `quote`, the quote
 * isolated in a `<bdi>`: a name or text written in the other direction keeps its punctuation at its
 * own end, not the sentence's ("in reply to Luis: hola!" in an Arabic widget). A sentence a host wrote
 * without the quote is shown as it is.
 */
export function inSentence(sentence: (quote: string) => string, quote: string): TemplateResult | string {
  const [before, after] = sentence('\u0000').split('\u0000');
  return after === undefined ? (before ?? '') : html`${before}<bdi>${quote}</bdi>${after}`;
}
