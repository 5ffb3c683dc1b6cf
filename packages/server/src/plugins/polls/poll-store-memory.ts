// PollStore in memory: the polls by message id, and each poll's voters' current choices.
import type { OptionCount, PollStore, StoredPoll, StoredVote } from './poll-store.js';

const newestFirst = (a: StoredVote, b: StoredVote) => b.votedAt.localeCompare(a.votedAt) || b.messageId.localeCompare(a.messageId);
const copyPoll = (p: StoredPoll): StoredPoll => ({ ...p, options: [...p.options] });
const copyVote = (v: StoredVote): StoredVote => ({ ...v, optionIds: [...v.optionIds] });
const isOpen = (p: StoredPoll, now: number) => !p.closed && (p.closesAt === undefined || Date.parse(p.closesAt) > now);

/** PollStore in memory (MemoryStore's part). */
export function memoryPollStore(): PollStore {
  const polls = new Map<string, StoredPoll>();
  // By poll, then by voter; a Map keeps insertion order, which a changed vote moves to the end.
  const votes = new Map<string, Map<string, StoredVote>>();
  const allVotes = () => [...votes.values()].flatMap((byVoter) => [...byVoter.values()]);
  const drop = (messageId: string) => {
    polls.delete(messageId);
    votes.delete(messageId);
  };
  return {
    create(poll) {
      if (!polls.has(poll.messageId)) polls.set(poll.messageId, copyPoll(poll));
      return Promise.resolve();
    },
    get: (messageId) => Promise.resolve(polls.has(messageId) ? copyPoll(polls.get(messageId) as StoredPoll) : null),
    vote(vote) {
      const poll = polls.get(vote.messageId);
      if (!poll) return Promise.resolve('missing');
      if (!isOpen(poll, Date.now())) return Promise.resolve('closed');
      let byVoter = votes.get(vote.messageId);
      if (!byVoter) votes.set(vote.messageId, (byVoter = new Map<string, StoredVote>()));
      byVoter.delete(vote.userId);
      if (vote.optionIds.length > 0) byVoter.set(vote.userId, copyVote(vote));
      return Promise.resolve('voted');
    },
    close(messageId) {
      const poll = polls.get(messageId);
      if (!poll || poll.closed) return Promise.resolve(false);
      poll.closed = true;
      return Promise.resolve(true);
    },
    closeDue() {
      const now = Date.now();
      const due = [...polls.values()].filter((p) => !p.closed && p.closesAt !== undefined && Date.parse(p.closesAt) <= now);
      for (const poll of due) poll.closed = true;
      return Promise.resolve(due.map(copyPoll));
    },
    counts(messageId, voterIds) {
      const byOption = new Map<string, OptionCount>();
      const ordered = [...(votes.get(messageId)?.values() ?? [])].sort((a, b) => a.votedAt.localeCompare(b.votedAt));
      for (const vote of ordered) {
        for (const optionId of vote.optionIds) {
          let count = byOption.get(optionId);
          if (!count) byOption.set(optionId, (count = { optionId, votes: 0, voterIds: [] }));
          count.votes++;
          if (count.voterIds.length < voterIds) count.voterIds.push(vote.userId);
        }
      }
      return Promise.resolve([...byOption.values()]);
    },
    myVotes(roomId, userId, limit) {
      const mine = allVotes()
        .filter((v) => v.roomId === roomId && v.userId === userId)
        .sort(newestFirst)
        .slice(0, limit);
      return Promise.resolve(Object.fromEntries(mine.map((v) => [v.messageId, [...v.optionIds]])));
    },
    votesOf: (messageId, userId) => Promise.resolve([...(votes.get(messageId)?.get(userId)?.optionIds ?? [])]),
    votesByUser: (userId) =>
      Promise.resolve(
        allVotes()
          .filter((v) => v.userId === userId)
          .map(copyVote)
          .sort(newestFirst),
      ),
    eraseVoter(userId) {
      const changed: Array<{ roomId: string; messageId: string }> = [];
      for (const [messageId, byVoter] of votes) {
        const vote = byVoter.get(userId);
        if (vote && byVoter.delete(userId)) changed.push({ roomId: vote.roomId, messageId });
      }
      return Promise.resolve(changed);
    },
    eraseCreator(userId) {
      for (const poll of [...polls.values()]) if (poll.createdBy === userId) drop(poll.messageId);
      return Promise.resolve();
    },
    drop(messageId) {
      drop(messageId);
      return Promise.resolve();
    },
  };
}
