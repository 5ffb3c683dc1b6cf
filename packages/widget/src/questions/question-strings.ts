/**
 * The texts of the Questions tab: its toggle, the panel, the ask form, each question's upvote and
 * a moderator's buttons. They live in the questions chunk; a host changes them like any other text
 * (`element.strings`, or a language of `registerLocale`).
 */
export interface QuestionStrings {
  /** The toggle above the log, with the open questions' count (0: the word alone). */
  questionsTab: (open: number) => string;
  /** The panel's heading and label. */
  questionsLabel: string;
  /** The panel's close button. */
  closeQuestions: string;
  /** The ask form's text box label, and its button. */
  yourQuestion: string;
  ask: string;
  /** Said when a blank question was refused. */
  questionEmpty: string;
  /** With no question yet. */
  noQuestions: string;
  /** The heading of the questions answered. */
  answeredQuestions: string;
  /** The upvote toggle's name, with the question's upvotes. */
  upvoteQuestion: (upvotes: number) => string;
  /** A moderator's buttons: mark answered and take it back, hide and show again. */
  markAnswered: string;
  markUnanswered: string;
  hideQuestion: string;
  showQuestion: string;
  /** Beside a hidden question, which only moderators see. */
  hiddenMark: string;
  /** Where questions wait for approval: the heading of the waiting ones (a moderator's with their count after it). */
  waitingForApproval: string;
  /** Beside your own question while it waits. */
  awaitingMark: string;
  /** A moderator's buttons on a waiting question. */
  approveQuestion: string;
  rejectQuestion: string;
  /** Said once a question is sent to wait for approval. */
  sentForReview: string;
  /** The button at the end of the open questions where the room has more than the list shows. */
  moreQuestions: string;
  /** Said (politely) once that button brought the next questions: how many it added (0: there were none). */
  moreQuestionsShown: (added: number) => string;
}

/** English. */
export const questionsEn: QuestionStrings = {
  questionsTab: (open) => (open ? `Questions (${open})` : 'Questions'),
  questionsLabel: 'Questions',
  closeQuestions: 'Close questions',
  yourQuestion: 'Your question',
  ask: 'Ask',
  questionEmpty: 'Write your question first.',
  noQuestions: 'No questions yet.',
  answeredQuestions: 'Answered',
  upvoteQuestion: (upvotes) => `Upvote (${upvotes === 1 ? '1 upvote' : `${upvotes} upvotes`})`,
  markAnswered: 'Mark answered',
  markUnanswered: 'Mark not answered',
  hideQuestion: 'Hide',
  showQuestion: 'Show again',
  hiddenMark: 'Hidden',
  waitingForApproval: 'Waiting for approval',
  awaitingMark: 'Not public yet',
  approveQuestion: 'Approve',
  rejectQuestion: 'Reject',
  sentForReview: 'Sent. It shows here once a moderator approves it.',
  moreQuestions: 'Show more questions',
  moreQuestionsShown: (added) => (added ? `${added === 1 ? '1 more question' : `${added} more questions`} shown.` : 'No more questions.'),
};
