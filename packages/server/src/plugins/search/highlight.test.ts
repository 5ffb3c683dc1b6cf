import { describe, expect, it } from 'vitest';
import { parseSearch } from '../../core/search-query.js';
import { highlight } from './highlight.js';

const marked = (text: string, query: string) => {
  const h = highlight(text, parseSearch(query));
  return h.ranges.map((r) => h.text.slice(r.start, r.end));
};

describe('highlight', () => {
  it('marks every word that must occur, in any case and with or without accents, never a -word', () => {
    expect(marked('Café con leche, CAFE solo', 'cafe -leche')).toEqual(['Café', 'CAFE']);
    expect(marked('release notes and more notes', '"release notes" or nothing')).toEqual(['release', 'notes', 'notes']);
    expect(marked('nothing here', 'absent')).toEqual([]);
  });

  it('keeps a short piece around the first match, marked as plain text, and never cuts a UTF-16 pair', () => {
    const text = `${'😀'.repeat(100)} needle ${'z'.repeat(300)}`;
    const h = highlight(text, parseSearch('needle'));
    expect(h.text.length).toBeLessThanOrEqual(162);
    expect(h.text.startsWith('…') && h.text.endsWith('…')).toBe(true);
    expect(h.text.slice(h.ranges[0]!.start, h.ranges[0]!.end)).toBe('needle');
    expect(h.text).not.toMatch(/^…[\udc00-\udfff]/u);
    expect(highlight('<b>x</b> needle', parseSearch('needle'))).toEqual({ text: '<b>x</b> needle', ranges: [{ start: 9, end: 15 }] });
  });

  it('reads queries as websearch_to_tsquery does', () => {
    expect(parseSearch('a b or c -d "x y"')).toEqual([
      [{ words: ['a'], negated: false }],
      [
        { words: ['b'], negated: false },
        { words: ['c'], negated: false },
      ],
      [{ words: ['d'], negated: true }],
      [{ words: ['x', 'y'], negated: false }],
    ]);
    expect(parseSearch('or')).toEqual([[{ words: ['or'], negated: false }]]);
    expect(parseSearch('% _ - "" &')).toEqual([]);
    expect(parseSearch('snake_case')).toEqual([[{ words: ['snake', 'case'], negated: false }]]);
  });
});
