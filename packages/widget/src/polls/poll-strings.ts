/**
 * The texts of polls: the card under a poll's message and the "New poll" form. They live in the
 * polls chunk; a host changes them like any other text (`element.strings`, or a language of
 * `registerLocale`).
 */
export interface PollStrings {
  /** The legend of a poll's options (the question is the message's text above): one choice, or several. */
  pollLegend: (multiple: boolean) => string;
  /** Beside an option: its votes and its share of all the votes ("2 votes, 67%"). */
  pollResult: (votes: number, percent: number) => string;
  /** Under the options: the votes in all. */
  pollTotal: (votes: number) => string;
  /** Beside the options you voted for. */
  yourVote: string;
  /** The button that sends your choices, and the one that changes them after you voted. */
  vote: string;
  changeVote: string;
  /** The creator's or a moderator's button that ends the voting. */
  closePoll: string;
  /** On a closed poll. */
  pollClosed: string;
  /** On a poll that closes by itself, with the time formatted. */
  pollClosesAt: (time: string) => string;
  /** On an anonymous poll. */
  pollAnonymousMark: string;
  /** The button that opens the form, and the form's label. */
  newPoll: string;
  /** The form's fields: the question, each option (numbered from 1), the options' legend. */
  pollQuestion: string;
  pollOption: (n: number) => string;
  pollOptions: string;
  addOption: string;
  removeOption: (n: number) => string;
  /** The form's checkboxes. */
  pollMultiple: string;
  pollAnonymous: string;
  /** The form's submit button. */
  postPoll: string;
}

/** English. */
export const pollsEn: PollStrings = {
  pollLegend: (multiple) => (multiple ? 'Poll: choose one or more' : 'Poll: choose one'),
  pollResult: (votes, percent) => `${votes === 1 ? '1 vote' : `${votes} votes`}, ${percent}%`,
  pollTotal: (votes) => (votes === 1 ? '1 vote in all' : `${votes} votes in all`),
  yourVote: 'your vote',
  vote: 'Vote',
  changeVote: 'Change vote',
  closePoll: 'Close poll',
  pollClosed: 'Closed',
  pollClosesAt: (time) => `Closes ${time}`,
  pollAnonymousMark: 'Anonymous',
  newPoll: 'New poll',
  pollQuestion: 'Question',
  pollOption: (n) => `Option ${n}`,
  pollOptions: 'Options',
  addOption: 'Add an option',
  removeOption: (n) => `Remove option ${n}`,
  pollMultiple: 'Allow more than one choice',
  pollAnonymous: 'Anonymous: nobody sees who voted',
  postPoll: 'Post poll',
};
