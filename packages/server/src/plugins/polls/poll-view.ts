// The poll as a message carries it (`Message.poll`), made from what the store keeps: exact counts,
// voters only on a poll that is not anonymous, and no one's own choices (`myVotes: []`).
import { POLL_LIMITS, type Poll, type PollOption } from '@chat/protocol';
import type { OptionCount, StoredPoll } from './poll-store.js';

/** The ids of a poll's options: their places, as strings. */
export function optionIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(i));
}

/** Voters' ids to ask the store for: none for an anonymous poll, which never names them. */
export function voterIdsShown(poll: Pick<StoredPoll, 'anonymous'>): number {
  return poll.anonymous ? 0 : POLL_LIMITS.voterIds;
}

/** The poll for everyone in the room: options with their counts (0 without votes), closed or not. */
export function pollView(poll: StoredPoll, counts: readonly OptionCount[]): Poll {
  const byOption = new Map(counts.map((c) => [c.optionId, c]));
  const options = poll.options.map((text, i): PollOption => {
    const count = byOption.get(String(i));
    const option: PollOption = { id: String(i), text, votes: count?.votes ?? 0 };
    if (!poll.anonymous) option.voterIds = [...(count?.voterIds ?? [])];
    return option;
  });
  return {
    question: poll.question,
    options,
    multiple: poll.multiple,
    anonymous: poll.anonymous,
    closed: poll.closed || (poll.closesAt !== undefined && Date.parse(poll.closesAt) <= Date.now()),
    ...(poll.closesAt !== undefined && { closesAt: poll.closesAt }),
    myVotes: [],
  };
}

/** Whether two views of a poll are the same (the store's counts did not move in between). */
export function samePoll(a: Poll, b: Poll): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
