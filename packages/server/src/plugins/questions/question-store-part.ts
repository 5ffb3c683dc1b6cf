// The store part of moderated Q&A, on each store: in memory, and on PostgreSQL with its own tables.
import type { StorePart } from '../../core/store-part.js';
import { memoryQuestionStore } from './question-store-memory.js';
import type { QuestionStore } from './question-store.js';
import { postgresQuestionStore, QUESTION_STORE_MIGRATIONS } from './question-store-postgres.js';

/** The store part's definition: in memory, and on PostgreSQL (`chat_questions` and `chat_question_upvotes`). */
export const QUESTION_STORE: StorePart<QuestionStore> = {
  name: 'QuestionStore',
  memory: memoryQuestionStore,
  postgres: postgresQuestionStore,
  migrations: QUESTION_STORE_MIGRATIONS,
};
