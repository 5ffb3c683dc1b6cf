// QuestionStore in memory: the questions by message id, and each question's upvoters.
import { memoryPendingQuestions } from './pending-questions-memory.js';
import type { CountedQuestion, QuestionStore, StoredQuestion, StoredUpvote } from './question-store.js';

const newestFirst = (a: { at: string; id: string }, b: { at: string; id: string }) => b.at.localeCompare(a.at) || b.id.localeCompare(a.id);
const byUpvote = (u: StoredUpvote) => ({ at: u.upvotedAt, id: u.messageId });
const byAsk = (q: StoredQuestion) => ({ at: q.askedAt, id: q.messageId });
// Most upvotes first, then the first asked (the room's log order): a total order, as on PostgreSQL.
const top = (a: CountedQuestion, b: CountedQuestion) => b.upvotes - a.upvotes || a.seq - b.seq;
const newest = (a: StoredQuestion, b: StoredQuestion) => b.seq - a.seq;

/** QuestionStore in memory (MemoryStore's part). */
export function memoryQuestionStore(): QuestionStore {
  const questions = new Map<string, StoredQuestion>();
  // By question, then by upvoter.
  const upvotes = new Map<string, Map<string, StoredUpvote>>();
  const allUpvotes = () => [...upvotes.values()].flatMap((byUser) => [...byUser.values()]);
  const counted = (q: StoredQuestion): CountedQuestion => ({ ...q, upvotes: upvotes.get(q.messageId)?.size ?? 0 });
  const drop = (messageId: string) => {
    questions.delete(messageId);
    upvotes.delete(messageId);
  };
  const set = (messageId: string, change: Partial<Pick<StoredQuestion, 'answered' | 'hidden'>>) => {
    const question = questions.get(messageId);
    if (question) Object.assign(question, change);
    return Promise.resolve();
  };
  return {
    ...memoryPendingQuestions(),
    create(question) {
      if (!questions.has(question.messageId)) questions.set(question.messageId, { ...question });
      return Promise.resolve();
    },
    get(messageId) {
      const question = questions.get(messageId);
      return Promise.resolve(question ? counted(question) : null);
    },
    upvote(upvote) {
      if (!questions.has(upvote.messageId)) return Promise.resolve('missing');
      let byUser = upvotes.get(upvote.messageId);
      if (!byUser) upvotes.set(upvote.messageId, (byUser = new Map<string, StoredUpvote>()));
      if (byUser.has(upvote.userId)) return Promise.resolve('already');
      byUser.set(upvote.userId, { ...upvote });
      return Promise.resolve('upvoted');
    },
    unvote: (messageId, userId) => Promise.resolve(upvotes.get(messageId)?.delete(userId) ?? false),
    setAnswered: (messageId, answered) => set(messageId, { answered }),
    setHidden: (messageId, hidden) => set(messageId, { hidden }),
    list(roomId, { sort, hidden, limit, offset }) {
      const inRoom = [...questions.values()].filter((q) => q.roomId === roomId && (hidden || !q.hidden)).map(counted);
      inRoom.sort(sort === 'top' ? top : newest);
      return Promise.resolve(inRoom.slice(offset, offset + limit));
    },
    myUpvotes(roomId, userId, limit) {
      const mine = allUpvotes()
        .filter((u) => u.roomId === roomId && u.userId === userId)
        .sort((a, b) => newestFirst(byUpvote(a), byUpvote(b)));
      return Promise.resolve(mine.slice(0, limit).map((u) => u.messageId));
    },
    questionsByUser: (userId) =>
      Promise.resolve(
        [...questions.values()]
          .filter((q) => q.askedBy === userId)
          .map((q) => ({ ...q }))
          .sort((a, b) => newestFirst(byAsk(a), byAsk(b))),
      ),
    upvotesByUser: (userId) =>
      Promise.resolve(
        allUpvotes()
          .filter((u) => u.userId === userId)
          .map((u) => ({ ...u }))
          .sort((a, b) => newestFirst(byUpvote(a), byUpvote(b))),
      ),
    eraseVoter(userId) {
      const changed: Array<{ roomId: string; messageId: string }> = [];
      for (const [messageId, byUser] of upvotes) {
        const upvote = byUser.get(userId);
        if (upvote && byUser.delete(userId)) changed.push({ roomId: upvote.roomId, messageId });
      }
      return Promise.resolve(changed);
    },
    eraseAsker(userId) {
      for (const question of [...questions.values()]) if (question.askedBy === userId) drop(question.messageId);
      return Promise.resolve();
    },
    drop(messageId) {
      drop(messageId);
      return Promise.resolve();
    },
  };
}
