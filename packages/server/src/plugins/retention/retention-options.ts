import { MAX_RETENTION_DAYS } from '@chat/protocol';

/** The `retention` option of `createChatServer`: how long messages are kept. */
export interface RetentionOptions {
  /** Messages older than this many days are deleted, in every room without its own `options.retentionDays`. Absent: only those rooms. */
  days?: number;
  /** How often retention runs (the first run is as soon as the server is ready), in ms. @default 3600000 (hourly) */
  intervalMs?: number;
  /** Messages deleted per step, each step a short transaction of its own. @default 500 */
  batchSize?: number;
}

/** The options, checked (a bad value throws at `createChatServer`, as a bad webhook does). */
export interface ResolvedRetention {
  days: number | undefined;
  intervalMs: number;
  batchSize: number;
}

/** Checks the `retention` option (a `TypeError` saying what is wrong) and fills its defaults. */
export function resolveRetention(options: RetentionOptions): ResolvedRetention {
  const { days, intervalMs = 3_600_000, batchSize = 500 } = options;
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > MAX_RETENTION_DAYS))
    throw new TypeError(`retention.days must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}.`);
  if (!Number.isInteger(intervalMs) || intervalMs < 1 || intervalMs > 2_147_483_647)
    throw new TypeError('retention.intervalMs must be a whole number of milliseconds from 1 to 2147483647.');
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
    throw new TypeError('retention.batchSize must be a whole number from 1 to 10000.');
  return { days, intervalMs, batchSize };
}
