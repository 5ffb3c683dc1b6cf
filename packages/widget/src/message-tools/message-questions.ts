import { html, type TemplateResult } from 'lit';
import type { ChatStrings } from '../i18n/strings.js';
import { toolStrings } from './tool-strings.js';

/** What the delete confirmation needs. */
export interface DeleteConfirmView {
  strings: ChatStrings;
  /** Unique in the widget (the message's seq): names the question's element. */
  key: number;
  _onConfirm: () => void;
  _onCancel: () => void;
}

/** "Delete this message for everyone?" with Delete and Cancel, in the message itself; Escape cancels. */
export function renderDeleteConfirm(view: DeleteConfirmView): TemplateResult {
  const id = `q${view.key}`;
  const keydown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    view._onCancel();
  };
  return html`<div class="confirm" role="group" aria-labelledby=${id} @keydown=${keydown}>
    <span id=${id}>${toolStrings(view.strings).confirmDelete}</span>
    <button type="button" class="danger" @click=${view._onConfirm}>${view.strings.delete}</button>
    <button type="button" class="cancel" @click=${view._onCancel}>${view.strings.cancel}</button>
  </div>`;
}

/** What the report question needs. */
export interface ReportPromptView {
  strings: ChatStrings;
  /** Unique in the widget (the message's seq): names the question's element. */
  key: number;
  /** The reason given, and the thanks to show once the report is made. */
  onReport: (reason: string, thanks: string) => void;
  onCancel: () => void;
}

/** "Why are you reporting this message?" with a short reason, Report and Cancel, in the message itself; Escape cancels. */
export function renderReportPrompt(view: ReportPromptView): TemplateResult {
  const id = `r${view.key}`;
  const keydown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    view.onCancel();
  };
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const reason = new FormData(event.target as HTMLFormElement).get('reason');
    if (typeof reason === 'string' && reason.trim()) view.onReport(reason.trim(), toolStrings(view.strings).reported);
  };
  return html`<form class="confirm report-form" @submit=${submit} @keydown=${keydown}>
    <label for=${id}>${toolStrings(view.strings).reportReason}</label>
    <input id=${id} name="reason" required maxlength="500" />
    <button type="submit" class="danger">${view.strings.report}</button>
    <button type="button" class="cancel" @click=${view.onCancel}>${view.strings.cancel}</button>
  </form>`;
}
