import { builtInError } from '@chat/protocol';
import type { ChatLimits } from '@chat/protocol';
import { UserBudget } from './user-budget.js';

interface Entry {
  budget: UserBudget;
  sockets: number;
  /** Checks, after the user's last socket left, whether the budget can be dropped. */
  forget?: ReturnType<typeof setTimeout>;
}

/**
 * The budgets of the users of this process, kept while a user has sockets and afterwards
 * until every bucket has refilled, so that reconnecting never resets a limit.
 */
export class UserBudgets {
  readonly #users = new Map<string, Entry>();
  readonly #checkMs: number;

  constructor(private readonly limits: Readonly<ChatLimits>) {
    // The slowest bucket's refill time: after it, an idle user's budget is full again.
    this.#checkMs = Math.max(
      1000,
      Math.ceil((limits.messageBurst / limits.messagesPerSecond) * 1000),
      Math.ceil((limits.eventBurst / limits.eventsPerSecond) * 1000),
      Math.ceil((limits.readBytesBurst / limits.readBytesPerSecond) * 1000),
      Math.ceil((limits.signalBurst / limits.signalsPerSecond) * 1000),
    );
  }

  /** The user's budget (made when first needed; REST-only users get one too). */
  get(userId: string): UserBudget {
    return this.#entry(userId).budget;
  }

  /**
   * Counts a socket of the user, at the handshake (so that handshakes finishing together cannot
   * all pass); `RATE_LIMITED` when the user has as many as allowed. Pair with `disconnect`.
   */
  connect(userId: string): void {
    const entry = this.#entry(userId);
    if (entry.sockets >= this.limits.maxSocketsPerUser) {
      throw builtInError(
        'RATE_LIMITED',
        `You have too many connections open (at most ${this.limits.maxSocketsPerUser}). Close a tab first.`,
        {
          retryAfter: 5000,
        },
      );
    }
    entry.sockets++;
    clearTimeout(entry.forget);
    entry.forget = undefined;
  }

  disconnect(userId: string): void {
    const entry = this.#users.get(userId);
    if (!entry) return;
    entry.sockets = Math.max(0, entry.sockets - 1);
    this.#scheduleForget(userId, entry);
  }

  /** Users with a budget in memory now (for tests and metrics). */
  get size(): number {
    return this.#users.size;
  }

  close(): void {
    for (const entry of this.#users.values()) clearTimeout(entry.forget);
    this.#users.clear();
  }

  #entry(userId: string): Entry {
    let entry = this.#users.get(userId);
    if (!entry) {
      entry = { budget: new UserBudget(this.limits), sockets: 0 };
      this.#users.set(userId, entry);
      this.#scheduleForget(userId, entry);
    }
    return entry;
  }

  #scheduleForget(userId: string, entry: Entry): void {
    if (entry.sockets > 0 || entry.forget) return;
    entry.forget = setTimeout(() => {
      entry.forget = undefined;
      if (this.#users.get(userId) !== entry || entry.sockets > 0) return;
      if (entry.budget.idle()) this.#users.delete(userId);
      else this.#scheduleForget(userId, entry);
    }, this.#checkMs);
    entry.forget.unref?.();
  }
}
