// The chunk of what opens on a message (chat-room.message-tools.js): its actions, the emoji choice,
// the editor, and the delete and report questions, fetched as the log draws its first messages.
import { addStyles } from '../add-styles.js';
import { renderMessageActions } from './message-actions.js';
import { renderEmojiChoice } from './emoji-choice.js';
import { renderMessageEdit } from './message-edit.js';
import { renderDeleteConfirm, renderReportPrompt } from './message-questions.js';
import { messageToolStyles } from './message-tools-styles.js';

/** What opens on a message, drawn inside it by the log (parts/message-list.ts). */
export interface MessageTools {
  _actions: typeof renderMessageActions;
  _choice: typeof renderEmojiChoice;
  _edit: typeof renderMessageEdit;
  _confirm: typeof renderDeleteConfirm;
  _report: typeof renderReportPrompt;
}

/** The message tools of `element`, their styles added to it. */
export function createMessageTools(element: { readonly renderRoot: ParentNode }): MessageTools {
  addStyles(element, messageToolStyles);
  return {
    _actions: renderMessageActions,
    _choice: renderEmojiChoice,
    _edit: renderMessageEdit,
    _confirm: renderDeleteConfirm,
    _report: renderReportPrompt,
  };
}
