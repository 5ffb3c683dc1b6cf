// The chunk of what opens on a message (chat-room.message-tools.js): the emoji choice, the editor,
// and the delete and report questions, fetched the first time one of them opens.
import { addStyles } from '../add-styles.js';
import { renderEmojiChoice } from './emoji-choice.js';
import { renderMessageEdit } from './message-edit.js';
import { renderDeleteConfirm, renderReportPrompt } from './message-questions.js';
import { messageToolStyles } from './message-tools-styles.js';

/** What opens on a message, drawn inside it by the log (parts/message-list.ts). */
export interface MessageTools {
  _choice: typeof renderEmojiChoice;
  _edit: typeof renderMessageEdit;
  _confirm: typeof renderDeleteConfirm;
  _report: typeof renderReportPrompt;
}

/** The message tools of `element`, their styles added to it. */
export function createMessageTools(element: { readonly renderRoot: ParentNode }): MessageTools {
  addStyles(element, messageToolStyles);
  return { _choice: renderEmojiChoice, _edit: renderMessageEdit, _confirm: renderDeleteConfirm, _report: renderReportPrompt };
}
