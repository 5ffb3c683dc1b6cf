import { expect, it } from 'vitest';
import { previewText } from './preview-text.js';

it('collapses whitespace and drops controls and direction overrides', () => {
  expect(previewText('  A\n\ttitle \u0000with\u202Eevil\u2066 gaps  ', 100)).toBe('A title with evil gaps');
  expect(previewText(' \n\t ', 100)).toBeUndefined();
  expect(previewText(undefined, 100)).toBeUndefined();
});

it('cuts a long text to its limit with an ellipsis, never inside a character', () => {
  expect(previewText('abcdefghij', 10)).toBe('abcdefghij');
  expect(previewText('abcdefghijk', 10)).toBe('abcdefghi…');
  // A family emoji is one grapheme of 11 UTF-16 units: kept whole or not at all.
  const family = '👨‍👩‍👧‍👦';
  const cut = previewText(`ab ${family}${family}`, 16);
  expect(cut).toBe(`ab ${family}…`);
  expect(cut?.length).toBeLessThanOrEqual(16);
  expect(previewText('word word word', 11)).toBe('word word…');
});
