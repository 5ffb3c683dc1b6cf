// @vitest-environment jsdom
import { html, render } from 'lit';
import { describe, expect, it } from 'vitest';
import { marked } from './search-results.js';

/** What `marked` draws: the text, and the marked words. */
function drawn(text: string, ranges: Array<{ start: number; end: number }>): { text: string; marks: string[]; html: string } {
  const root = document.createElement('div');
  render(html`${marked({ text, ranges })}`, root);
  return {
    text: root.textContent ?? '',
    marks: Array.from(root.querySelectorAll('mark'), (m) => m.textContent ?? ''),
    html: root.innerHTML.replace(/<!--[^>]*-->/gu, ''),
  };
}

describe('marked: a search highlight as text with <mark> elements', () => {
  it('marks each range, in order, and keeps every other character as text', () => {
    expect(
      drawn('El pingüino del zoo', [
        { start: 3, end: 11 },
        { start: 16, end: 19 },
      ]),
    ).toEqual({
      text: 'El pingüino del zoo',
      marks: ['pingüino', 'zoo'],
      html: 'El <mark>pingüino</mark> del <mark>zoo</mark>',
    });
  });

  it('draws what people wrote as text, never as markup', () => {
    const found = drawn('<img src=x onerror=alert(1)> hola', [{ start: 29, end: 33 }]);
    expect(found.marks).toEqual(['hola']);
    expect(found.text).toBe('<img src=x onerror=alert(1)> hola');
    expect(found.html).not.toContain('<img');
  });

  it('skips ranges that overlap, run backwards, are empty or go past the text', () => {
    const text = 'uno dos tres';
    expect(
      drawn(text, [
        { start: 4, end: 7 },
        { start: 5, end: 8 },
        { start: 9, end: 9 },
        { start: 10, end: 2 },
        { start: 9, end: 40 },
      ]),
    ).toEqual({ text, marks: ['dos'], html: 'uno <mark>dos</mark> tres' });
  });
});
