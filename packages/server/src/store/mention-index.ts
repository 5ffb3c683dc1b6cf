import { firstAfter } from '@chat/protocol';

const self = (seq: number): number => seq;

/**
 * One room's mentions, for `MemoryStore`: for each user, the seqs of the messages that mention
 * them, ascending. Counting the mentions after a read mark is a binary search, never a scan of
 * messages. Kept in step by append (add), edit (replace) and delete (remove).
 */
export class MentionIndex {
  readonly #byUser = new Map<string, number[]>();

  /** Records that the message `seq` mentions these users (seqs are appended in order). */
  add(seq: number, userIds: readonly string[] | undefined): void {
    for (const userId of new Set(userIds)) {
      const seqs = this.#byUser.get(userId);
      if (!seqs) this.#byUser.set(userId, [seq]);
      else insertSorted(seqs, seq);
    }
  }

  /** The message `seq` no longer mentions these users. */
  remove(seq: number, userIds: readonly string[] | undefined): void {
    for (const userId of new Set(userIds)) {
      const seqs = this.#byUser.get(userId);
      if (!seqs) continue;
      const at = firstAfter(seqs, seq - 1, self);
      if (seqs[at] === seq) seqs.splice(at, 1);
      if (seqs.length === 0) this.#byUser.delete(userId);
    }
  }

  /** The message `seq` mentioned `before` and mentions `after` now. */
  replace(seq: number, before: readonly string[] | undefined, after: readonly string[] | undefined): void {
    const now = new Set(after);
    this.remove(
      seq,
      (before ?? []).filter((id) => !now.has(id)),
    );
    const was = new Set(before);
    this.add(
      seq,
      [...now].filter((id) => !was.has(id)),
    );
  }

  /** How many messages after `seq` mention `userId`. */
  countAfter(userId: string, seq: number): number {
    const seqs = this.#byUser.get(userId);
    return seqs ? seqs.length - firstAfter(seqs, seq, self) : 0;
  }
}

function insertSorted(seqs: number[], seq: number): void {
  // Appends are the common case: a new message has the highest seq.
  if (seqs.length === 0 || (seqs[seqs.length - 1] as number) < seq) {
    seqs.push(seq);
    return;
  }
  const at = firstAfter(seqs, seq - 1, self);
  if (seqs[at] !== seq) seqs.splice(at, 0, seq);
}
