import { builtInError } from '@chat/protocol';
import { TokenBucket } from '../../limits/token-bucket.js';

const HOUR_MS = 3_600_000;
/** Users remembered before the full (idle) ones are forgotten. */
const SWEEP_AT = 1000;

/**
 * Bytes each user may upload per hour on this process: a bucket of `bytesPerHour` refilled
 * evenly over the hour. An upload is refused while the user's bucket is empty, and every byte
 * received is charged, refused uploads' too; one upload may overdraw it (its size is known only
 * at the end), and the debt is paid back before the next.
 */
export class UploadQuota {
  readonly #users = new Map<string, TokenBucket>();

  constructor(private readonly bytesPerHour: number) {}

  /** Throws `RATE_LIMITED` (with `retryAfter`) while the user has used up the quota. */
  check(userId: string): void {
    const wait = this.#users.get(userId)?.wait() ?? 0;
    if (wait > 0) {
      throw builtInError('RATE_LIMITED', `You have uploaded too much for now. Try again in ${Math.ceil(wait / 60_000)} min.`, {
        retryAfter: wait,
      });
    }
  }

  /** Charges bytes received for the user. */
  charge(userId: string, bytes: number): void {
    if (bytes <= 0) return;
    let bucket = this.#users.get(userId);
    if (!bucket) {
      if (this.#users.size >= SWEEP_AT) this.#sweep();
      bucket = new TokenBucket(this.bytesPerHour, (this.bytesPerHour * 1000) / HOUR_MS);
      this.#users.set(userId, bucket);
    }
    bucket.charge(bytes);
  }

  // A full bucket is the same as no bucket: forget it.
  #sweep(): void {
    for (const [userId, bucket] of this.#users) if (bucket.full()) this.#users.delete(userId);
  }
}
