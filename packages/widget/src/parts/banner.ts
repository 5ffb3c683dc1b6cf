import { html, nothing, type TemplateResult } from 'lit';
import type { ChatStrings } from '../i18n/strings.js';

/** What the line under the header may have to say. */
export interface BannerView {
  strings: ChatStrings;
  /** The server took the user out of the room. */
  removed: boolean;
  /** Why, when a moderator did ("A moderator removed you from this room. Reason: spam"). */
  _removedText?: string | undefined;
  ended: boolean;
  /** This device was removed from encrypted conversations (in an encrypted room): the line that says so. */
  _deviceRemoved?: string | undefined;
  /** The server signed the user out (expired sign-in). */
  signedOut: boolean;
  /** The last error, as a sentence. */
  error: string | undefined;
  offline: boolean;
  connecting: boolean;
}

/**
 * The line under the header, the most important state first. It sits in one of two live
 * regions that are always in the page, so a screen reader says it as it appears: an alert
 * for what stops the chat or went wrong, a status for the rest.
 */
export function renderBanner(view: BannerView): TemplateResult {
  const { strings } = view;
  let text: string | undefined;
  let urgent = false;
  let error = false;
  if (view.removed) [text, urgent] = [view._removedText ?? strings.removed, true];
  else if (view.ended) text = strings.ended;
  else if (view._deviceRemoved) [text, urgent] = [view._deviceRemoved, true];
  else if (view.signedOut) [text, urgent, error] = [strings.signedOut, true, true];
  else if (view.error) [text, urgent, error] = [view.error, true, true];
  else if (view.offline) text = strings.offline;
  else if (view.connecting) text = strings.connecting;
  const line = text === undefined ? nothing : html`<div part="banner" class="banner ${error ? 'error' : ''}">${text}</div>`;
  return html`<div class="live" role="status">${urgent ? nothing : line}</div>
    <div class="live" role="alert">${urgent ? line : nothing}</div>`;
}
