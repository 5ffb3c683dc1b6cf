// A preview's texts as a reader sees them: one line, no control or direction-override characters
// (which could reorder the text around a card), cut to a length without splitting a character.

// C0 and C1 controls (tabs and newlines among them: they become spaces), and the bidirectional
// embeddings, overrides and isolates.
const UNSEEN = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu;
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `value` with its whitespace collapsed and trimmed, at most `max` UTF-16 units long (cut ends with
 * `…`, never inside a grapheme); `undefined` when nothing is left.
 */
export function previewText(value: string | undefined, max: number): string | undefined {
  if (value === undefined) return undefined;
  const text = value.replace(UNSEEN, ' ').replace(/\s+/gu, ' ').trim();
  if (text === '') return undefined;
  if (text.length <= max) return text;
  let kept = '';
  for (const { segment } of segmenter.segment(text)) {
    if (kept.length + segment.length > max - 1) break;
    kept += segment;
  }
  return `${kept.trimEnd()}…`;
}
