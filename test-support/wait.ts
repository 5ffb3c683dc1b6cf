import { vi } from 'vitest';

/**
 * How long an eventual assertion may take before it fails. vitest's own default (1 s) is met
 * by an idle laptop but not by a loaded 2-core CI runner, where a child process or a reconnect
 * can take several seconds; a passing wait returns as soon as it passes, so a long limit costs
 * nothing when things are fast.
 */
export const WAIT_MS = 10_000;

/** `vi.waitFor` with {@link WAIT_MS} as its default timeout: retries `callback` until it stops throwing. */
export function waitFor<T>(callback: () => T | Promise<T>, options: { timeout?: number; interval?: number } = {}): Promise<T> {
  return vi.waitFor(callback, { timeout: WAIT_MS, interval: 20, ...options });
}
