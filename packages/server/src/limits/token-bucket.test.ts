import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('allows a burst, then one token per 1/rate seconds, and says how long to wait', () => {
    let now = 0;
    const bucket = new TokenBucket(3, 2, () => now);
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 0]);
    expect(bucket.take()).toBe(500);
    now = 250;
    expect(bucket.take()).toBe(250);
    now = 500;
    expect(bucket.take()).toBe(0);
    now = 100_000;
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take() > 0]).toEqual([0, 0, 0, true]);
  });
});

describe('TokenBucket.charge', () => {
  it('goes into debt for work measured afterwards and says when the debt is paid', () => {
    let now = 0;
    const bucket = new TokenBucket(1000, 1000, () => now);
    expect(bucket.wait()).toBe(0);
    bucket.charge(3000); // 2,000 in debt
    expect(bucket.wait()).toBe(2000);
    expect(bucket.take(1)).toBe(2001);
    now = 1000;
    expect(bucket.wait()).toBe(1000);
    now = 2001;
    expect(bucket.wait()).toBe(0);
    expect(bucket.full()).toBe(false);
    now = 10_000;
    expect(bucket.full()).toBe(true);
  });
});
