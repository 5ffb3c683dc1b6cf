// The waiting questions of QuestionStore in memory (`questions({ approval: true })`).
import type { PendingQuestionStore, StoredPendingQuestion } from './question-store.js';

// Oldest first, then by id: a total order, as on PostgreSQL.
const oldest = (a: StoredPendingQuestion, b: StoredPendingQuestion) => a.askedAt.localeCompare(b.askedAt) || a.id.localeCompare(b.id);
const copy = (q: StoredPendingQuestion): StoredPendingQuestion => ({ ...q, user: structuredClone(q.user) });

/** Waiting questions in memory, by id. */
export function memoryPendingQuestions(): PendingQuestionStore {
  const waiting = new Map<string, StoredPendingQuestion>();
  const of = (roomId: string, userId?: string) =>
    [...waiting.values()].filter((q) => q.roomId === roomId && (userId === undefined || q.user.id === userId));
  return {
    addPending(question) {
      const kept = of(question.roomId, question.user.id).find((q) => q.clientId === question.clientId);
      if (kept) return Promise.resolve(copy(kept));
      waiting.set(question.id, copy(question));
      return Promise.resolve(copy(question));
    },
    pendingIn: (roomId, limit, userId) => Promise.resolve(of(roomId, userId).sort(oldest).slice(0, limit).map(copy)),
    pendingCount: (roomId, userId) => Promise.resolve(of(roomId, userId).length),
    takePending(roomId, id) {
      const question = waiting.get(id);
      if (!question || question.roomId !== roomId) return Promise.resolve(null);
      waiting.delete(id);
      return Promise.resolve(question);
    },
    pendingByUser: (userId) =>
      Promise.resolve(
        [...waiting.values()]
          .filter((q) => q.user.id === userId)
          .sort((a, b) => oldest(b, a))
          .map(copy),
      ),
    erasePending(userId) {
      const rooms = new Set<string>();
      for (const question of [...waiting.values()]) {
        if (question.user.id !== userId) continue;
        waiting.delete(question.id);
        rooms.add(question.roomId);
      }
      return Promise.resolve([...rooms]);
    },
  };
}
