import type { ChatError } from '@chat/protocol';

/** How long to wait before sending again a request that got TIMEOUT or no answer. */
export const TIMEOUT_RETRY_MS = 1000;
/** How often a request is tried again when the server says to wait. */
export const MAX_WAITS = 30;
/** A wait longer than this is not waited out: the request fails with the server's answer. */
export const MAX_WAIT_MS = 10_000;

/** How long to wait before the same request may work, or undefined when it will not. */
export function waitBeforeRetry(error: ChatError): number | undefined {
  if (error.code === 'RATE_LIMITED') return error.retryAfter ?? TIMEOUT_RETRY_MS;
  if (error.code === 'TIMEOUT') return TIMEOUT_RETRY_MS;
  return undefined;
}
