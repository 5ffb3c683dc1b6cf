import type { ErrorCode } from '@chat/client';
import type { CallStrings } from '../call/call-strings.js';
import type { OriginStrings } from '../chat-room/origin-strings.js';
import type { CallLineStrings } from '../call-lines/call-line-strings.js';
import type { InboxStrings } from '../chat-inbox/inbox-strings.js';
import type { SealedFileStrings } from '../e2ee/file-strings.js';
import type { KeyStrings } from '../e2ee/key-strings.js';
import type { LiveReactionStrings } from '../live-reactions/live-reaction-strings.js';
import type { MessageToolStrings } from '../message-tools/tool-strings.js';
import type { PanelStrings } from '../panels/panel-strings.js';
import type { PickerStrings } from '../pickers/picker-strings.js';
import type { PinStrings } from '../pins/pin-strings.js';
import type { PollStrings } from '../polls/poll-strings.js';
import type { PreviewStrings } from '../previews/preview-strings.js';
import type { QuestionStrings } from '../questions/question-strings.js';
import type { ModerationStrings } from '../moderation/moderation-strings.js';
import type { PushStrings } from '../push/push-strings.js';
import type { ThreadStrings } from '../threads/thread-strings.js';
import type { SearchStrings } from '../search/search-strings.js';
import type { UploadStrings } from '../uploads/upload-strings.js';
import type { RecorderStrings } from '../voice/recorder-strings.js';
import type { VoiceStrings } from '../voice/voice-strings.js';

/** A sentence for each error code, in the language `lang`. */
export interface ErrorSentences extends Partial<Record<ErrorCode, string>> {
  /** The language of these sentences (BCP 47). */
  lang: string;
  /**
   * Under the name field, before the sentences above: the server refused the guest's name at the
   * handshake (`UNAUTHENTICATED`, `VALIDATION_FAILED`: empty, too long, characters not allowed).
   */
  name?: Partial<Record<ErrorCode, string>>;
  /** On a file the server refused (`PAYLOAD_TOO_LARGE`: too big; `VALIDATION_FAILED`: its type), before the sentences above. */
  file?: Partial<Record<ErrorCode, string>>;
}

/**
 * A built-in language (`chat-room.<lang>.js`): every text of the widget, those of the parts loaded
 * on first use included, and a sentence for every error code (the server's own are in English).
 */
export type LanguageTable = Required<Omit<ChatStrings, 'errors'>> & {
  errors: Required<Omit<ErrorSentences, 'name' | 'file'>> & Pick<ErrorSentences, 'name' | 'file'>;
};

/**
 * Every text the widget shows; pass a partial set as `element.strings` to change some. The texts
 * of parts loaded on first use are optional here, their English and Spanish ones coming with their
 * chunks: calls, the log's call lines, moderation (what only moderators see), the people panel and the notification
 * levels, "Notify me on this device", the thread panel, the live reactions' bar, the pinned bar,
 * polls, the Questions tab, link previews, a key change and the files of an encrypted room, what opens on a message
 * (the emoji choice, the editor, the delete and report questions), the `@` and `/` suggestions,
 * the files of the next message, the voice messages' player and recorder, and `<chat-inbox>`'s empty list.
 */
export interface ChatStrings
  extends
    Partial<CallStrings>,
    Partial<CallLineStrings>,
    Partial<OriginStrings>,
    Partial<InboxStrings>,
    Partial<KeyStrings>,
    Partial<LiveReactionStrings>,
    Partial<MessageToolStrings>,
    Partial<SealedFileStrings>,
    Partial<ModerationStrings>,
    Partial<PanelStrings>,
    Partial<PickerStrings>,
    Partial<PinStrings>,
    Partial<PollStrings>,
    Partial<PreviewStrings>,
    Partial<QuestionStrings>,
    Partial<PushStrings>,
    Partial<SearchStrings>,
    Partial<ThreadStrings>,
    Partial<UploadStrings>,
    Partial<RecorderStrings>,
    Partial<VoiceStrings> {
  /** Label of the whole widget and of the message log. */
  chatLabel: string;
  messagesLabel: string;
  composerLabel: string;
  composerPlaceholder: string;
  send: string;
  /** "3 here" */
  membersCount: (count: number) => string;
  membersLabel: string;
  showMembers: string;
  hideMembers: string;
  /**
   * "Ana and Ben are typing…". Like every sentence with a name or quote in it, it is called with a
   * stand-in for each, which the widget replaces with the name isolated in a `<bdi>`: use them as
   * they are given.
   */
  typing: (names: string[]) => string;
  /** "Ana joined" (the name as in `typing`). */
  joined: (name: string) => string;
  /** "Ana left" (the name as in `typing`). */
  left: (name: string) => string;
  newMessages: (count: number) => string;
  /** The button back to the newest messages, shown while an older part of the history is (a search result's). */
  latest: string;
  loadingOlder: string;
  beginning: string;
  sending: string;
  failed: string;
  retry: string;
  discard: string;
  offline: string;
  connecting: string;
  ended: string;
  /** The server took the user out of the room (it was made private, say). */
  removed: string;
  /** The server signed the user out (the sign-in token expired) and no fresh token came. */
  signedOut: string;
  /** In the log, where messages are missing for good. */
  gap: string;
  /** In the log, when the server's history of the room started over. */
  historyReset: string;
  you: string;
  attachment: string;
  /** Above a reply: what it answers ("Ana: hello"). */
  replyingTo: (quote: string) => string;
  earlierMessage: string;
  namePrompt: string;
  /** Above the name field when the server refused the name (its reason is shown under the field). */
  nameRefused: string;
  /**
   * Errors said in this language, by code, where an error's own sentence is in another: the
   * toolkit's sentences are English (`lang: 'en'`), so a language other than English gives these;
   * English leaves them out and shows the server's sentence, which names the limit or the reason.
   * An error without `lang` (a host's hook wrote it) is shown as written. Used under the name field,
   * on the banner, on a message not sent, in the editor and on a file not uploaded; `chat-error`
   * carries the error as it came.
   */
  errors?: ErrorSentences;
  nameLabel: string;
  join: string;
  empty: string;
  /** Hint for keyboard users on each message in the log. */
  logHint: string;
  /** The group of buttons on a message. */
  actionsLabel: string;
  reply: string;
  /** The action that opens a message's thread with its composer; the rest of the thread's texts come with its chunk. */
  replyInThread: string;
  /** Under a message with replies: the button that opens its thread ("3 replies"). */
  replyCount: (count: number) => string;
  react: string;
  edit: string;
  delete: string;
  /** Who reacted ("Ana, Luis and 3 more"): the names known, and how many others. */
  reactedBy: (names: string[], more: number) => string;
  /** The mark on an edited message. */
  edited: string;
  /** In place of a deleted message. */
  deleted: string;
  /** In the header of an end-to-end encrypted room (`options.encrypted`), beside a lock. */
  encrypted: string;
  /** In place of a message of an encrypted room this device cannot decrypt (`undecryptable`). */
  undecryptable: string;
  /** What a reply to a deleted message answers (inside `replyingTo`). */
  deletedMessage: string;
  /** The name shown for a person whose data was erased (`chat.eraseUser`): their placeholders, thread summaries, last messages. */
  deletedUser: string;
  save: string;
  cancel: string;
  /** Above the composer while replying: "Replying to Ana: hello". */
  replyingToLabel: (quote: string) => string;
  cancelReply: string;
  /** The quote of a reply was clicked, and its original is not in the history any more. */
  originalMissing: string;
  /** Beside a message that mentions you (read by screen readers). */
  mentionsYou: string;
  /** Above the messages of today and of yesterday (older days show their date). */
  today: string;
  yesterday: string;
  /** A person's status in the list of people here. */
  online: string;
  away: string;
  busy: string;
  /** The button that picks files to send. */
  attach: string;
  /** The microphone button: records a voice message (with uploads, where the browser records). */
  recordVoice: string;
  /** Send was pressed while files are still uploading. */
  waitForUploads: string;
  /** A thumbnail's button: shows the image full size. */
  viewImage: (name: string) => string;
  close: string;
  /** In the log, above the first message that was unread when the room was opened. */
  unreadDivider: string;
  /** A status word for someone with no connection, and when they were last seen. */
  offlineStatus: string;
  lastSeen: (time: string) => string;
  /** The name of a private conversation whose people are not known. */
  privateChat: string;
  /** The button that leaves a private conversation (or the inbox's room) for the room (or the list) it came from. */
  backTo: (name: string) => string;
  /** Badges, for screen readers: unread messages, and of them those that mention you. */
  unread: (count: number) => string;
  mentions: (count: number) => string;
  /** The notifications menu's button and legend (the levels, and the browser's refusal, come with the panels' chunk). */
  notifications: string;
  /** `<chat-inbox>`: its label (what it says with no conversations comes with its chunk). */
  conversations: string;
  /** A large room: past a few typists, instead of their names. */
  severalTyping: string;
  /** The bot mark beside a bot's name (`BOT`), and what screen readers say for it. */
  botMark: string;
  botLabel: string;
  /** Why the composer is off: muted (until a time, or until lifted), a frozen room, slow mode's wait. */
  mutedUntil: (time: string) => string;
  mutedNow: string;
  frozenRoom: string;
  slowWait: (seconds: number) => string;
  /** What a kicked or banned user sees instead of the room (`until`: a ban's end, formatted; `reason`: the moderator's). */
  kickedLine: (reason: string | undefined) => string;
  bannedLine: (until: string | undefined, reason: string | undefined) => string;
  /** Moderation of a person (in their card) and of the room (the header's menu). */
  /** The moderators' button (header, person card) that opens moderation; the rest of its texts come with its chunk. */
  moderation: string;
  /** The header's search button; the rest of search's texts come with its chunk. */
  searchMessages: string;
  /** Reporting a message: the action (the question and the thanks come with the message tools' chunk). */
  report: string;
  /** The mark on a command's private answer (the list of commands comes with the pickers' chunk). */
  onlyYou: string;
}

/** Formats "A", "A and B", "A, B and 2 others" with the language's words. */
export function listNames(names: string[], and: string, others: (n: number) => string): string {
  if (names.length <= 1) return names[0] ?? '';
  if (names.length === 2) return `${names[0]} ${and} ${names[1]}`;
  if (names.length === 3) return `${names[0]}, ${names[1]} ${and} ${names[2]}`;
  return `${names[0]}, ${names[1]} ${and} ${others(names.length - 2)}`;
}
