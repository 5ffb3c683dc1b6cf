import { describe, expect, it } from 'vitest';
import { squeeze } from './take.js';

describe('squeeze: the loudness measured while recording, as a voice message carries it', () => {
  it('keeps up to 64 values as they are', () => {
    expect(squeeze([])).toEqual([]);
    expect(squeeze([0, 255, 12])).toEqual([0, 255, 12]);
    const sixtyFour = Array.from({ length: 64 }, (_, i) => i * 4);
    expect(squeeze(sixtyFour)).toEqual(sixtyFour);
  });

  it('makes a longer recording 64 values, each the loudest of its stretch, none lost at the ends', () => {
    // 5 minutes measured every 100 ms: 3,000 values, silent but for one loud moment near each end.
    const levels = Array.from({ length: 3000 }, () => 3);
    levels[0] = 200;
    levels[2999] = 250;
    levels[1500] = 90;
    const squeezed = squeeze(levels);
    expect(squeezed).toHaveLength(64);
    expect(squeezed[0]).toBe(200);
    expect(squeezed[63]).toBe(250);
    expect(squeezed[32]).toBe(90);
    expect(squeezed.filter((x) => x === 3)).toHaveLength(61);
  });

  it('spreads 65 values over 64 stretches without an empty one', () => {
    const squeezed = squeeze(Array.from({ length: 65 }, (_, i) => i));
    expect(squeezed).toHaveLength(64);
    expect(squeezed.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
    expect(squeezed.at(-1)).toBe(64);
  });
});
