import { describe, expect, it } from 'vitest';
import { warmUpMls } from './mls-warm-up.js';

describe('warmUpMls', () => {
  it('runs a throwaway group once per process and settles without an error', async () => {
    const first = warmUpMls();
    expect(warmUpMls()).toBe(first);
    await expect(first).resolves.toBe(true);
    expect(warmUpMls()).toBe(first);
  });
});
