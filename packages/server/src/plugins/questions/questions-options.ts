// The options of `questions()`, checked when the plugin is made.

/** Options of the questions plugin. */
export interface QuestionsOptions {
  /**
   * How many times a second at most a question's message is updated with its upvotes while they
   * come (`message:updated`, each with the exact count then). A whole number from 1 to 10.
   * @default 4
   */
  updatesPerSecond?: number;
  /**
   * Questions wait for a moderator's approval before the room sees them: an asked question reaches
   * its asker and the room's moderators only (`question:pending`), until one approves it (posted then
   * as the asker's message) or rejects it (`question:review`). The room learns only how many wait.
   * @default false
   */
  approval?: boolean;
}

/** Updates a second per question when `updatesPerSecond` is not given. */
export const DEFAULT_QUESTION_UPDATES_PER_SECOND = 4;
const MOST = 10;

/** The options with their defaults; a bad value throws a sentence naming it. */
export function questionsConfig(options: QuestionsOptions): { updatesPerSecond: number; approval: boolean } {
  const updatesPerSecond = options.updatesPerSecond ?? DEFAULT_QUESTION_UPDATES_PER_SECOND;
  if (!Number.isInteger(updatesPerSecond) || updatesPerSecond < 1 || updatesPerSecond > MOST) {
    throw new TypeError(`questions(): updatesPerSecond must be a whole number from 1 to ${MOST} (got ${String(updatesPerSecond)}).`);
  }
  const approval = options.approval ?? false;
  if (typeof approval !== 'boolean') throw new TypeError(`questions(): approval must be true or false (got ${String(approval)}).`);
  return { updatesPerSecond, approval };
}
