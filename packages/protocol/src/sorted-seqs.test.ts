import { describe, expect, it } from 'vitest';
import { firstAfter } from './sorted-seqs.js';

const self = (n: number): number => n;

describe('firstAfter', () => {
  it('finds the first item above the value', () => {
    const seqs = [1, 3, 3, 5, 8];
    expect(firstAfter(seqs, 0, self)).toBe(0);
    expect(firstAfter(seqs, 1, self)).toBe(1);
    expect(firstAfter(seqs, 3, self)).toBe(3);
    expect(firstAfter(seqs, 4, self)).toBe(3);
    expect(firstAfter(seqs, 7, self)).toBe(4);
  });

  it('gives the length when no item is above, and 0 for an empty list', () => {
    expect(firstAfter([1, 2], 2, self)).toBe(2);
    expect(firstAfter([], 5, self)).toBe(0);
  });

  it('reads the key with keyOf', () => {
    const messages = [{ seq: 2 }, { seq: 4 }, { seq: 6 }];
    expect(firstAfter(messages, 4, (m) => m.seq)).toBe(2);
  });
});
