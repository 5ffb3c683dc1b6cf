import { chunkStrings } from '../i18n/chunk-strings.js';
/**
 * The texts of the thread panel. They live in the threads chunk, loaded when a thread first opens;
 * a host changes them like any other text (`element.strings`, or a language of `registerLocale`):
 * `ChatStrings` lists them as optional keys.
 */
export interface ThreadStrings {
  /** The panel's heading and label. */
  threadTitle: string;
  /** The button that closes the panel. */
  closeThread: string;
  /** The label of the list of replies. */
  threadReplies: string;
  /** The thread has no reply yet. */
  noReplies: string;
  /** The thread has no reply yet, and its composer is closed (the device was removed, the room ended...). */
  noRepliesClosed: string;
  /** The button that loads older replies. */
  olderReplies: string;
  /** The label and placeholder of the thread's text box. */
  threadComposer: string;
  /** Said (status line) when the panel opens: whose message the thread is under. */
  threadOpened: (name: string) => string;
}

/** English. */
export const threadEn: ThreadStrings = {
  threadTitle: 'Thread',
  closeThread: 'Close thread',
  threadReplies: 'Replies',
  noReplies: 'No replies yet. Start the thread.',
  noRepliesClosed: 'No replies yet.',
  olderReplies: 'Show older replies',
  threadComposer: 'Reply in thread',
  threadOpened: (name) => `Thread of ${name}'s message opened`,
};

/** The thread texts from the element's `strings` (its language's, the host's own on top), English where it has none. */
export function threadStrings(host: Partial<ThreadStrings>): ThreadStrings {
  return chunkStrings(threadEn, host);
}
