import { html, type TemplateResult } from 'lit';

/**
 * What a sentence of the widget's language is given in place of its quote (`strings.joined(QUOTE)`):
 * a Unicode noncharacter, which no text carries. See {@link inSentence}.
 */
export const QUOTE = '\uFDD0';

/** The stand-in for the `i`th quote of a sentence with several (`i` below 32); {@link QUOTE} is the first. */
export const quoteMark = (i: number): string => String.fromCharCode(0xfdd0 + i);

/**
 * `sentence`, a text of the widget's language made with a stand-in ({@link quoteMark}) in place of
 * each of `quotes`, with the quotes put back, each isolated in a `<bdi>`: a name or text written in
 * the other direction keeps its punctuation at its own end, not the sentence's ("in reply to Luis:
 * hola!", "José! joined" in an Arabic widget). Each stand-in becomes its own quote wherever the
 * sentence has it, as often as it has it (a host's sentence may name someone twice, or choose
 * and order the names); a sentence without them is shown as it is.
 */
export function inSentence(sentence: string, ...quotes: string[]): TemplateResult | string {
  // Split around each stand-in, kept: the odd parts are the stand-ins.
  const parts = sentence.split(/([\uFDD0-\uFDEF])/u);
  return parts.length > 1
    ? html`${parts.map((part, i) => (i % 2 ? html`<bdi>${quotes[part.charCodeAt(0) - 0xfdd0]}</bdi>` : part))}`
    : sentence;
}
