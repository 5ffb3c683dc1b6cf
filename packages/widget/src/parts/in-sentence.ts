import { html, type TemplateResult } from 'lit';

/** What a sentence of the widget's language is given in place of each quote (see {@link inSentence}). */
export const QUOTE = '\u0000';

/**
 * `sentence`, a text of the widget's language made with {@link QUOTE} in place of each of `quotes`
 * (`strings.joined(QUOTE)`), with the quotes put back, each isolated in a `<bdi>`: a name or text
 * written in the other direction keeps its punctuation at its own end, not the sentence's ("in reply
 * to Luis: hola!", "José! joined" in an Arabic widget). The quotes go back in their order; a sentence
 * a host wrote without them is shown as it is.
 */
export function inSentence(sentence: string, ...quotes: string[]): TemplateResult | string {
  const [first = '', ...rest] = sentence.split(QUOTE);
  return rest.length ? html`${first}${rest.map((part, i) => html`<bdi>${quotes[i]}</bdi>${part}`)}` : first;
}
