import { html, nothing, type TemplateResult } from 'lit';
import type { NotificationLevel } from '@chat/client';
import type { PanelText } from './panel-text.js';

/** What the notifications menu needs. */
export interface NotificationMenuView {
  strings: PanelText;
  level: NotificationLevel;
  _onLevel: (level: NotificationLevel) => void;
  /** The browser's permission: `default` offers the button that asks for it. */
  permission: NotificationPermission;
  _onEnable: () => void;
  _onClose: () => void;
  /** "Notify me on this device" (push/push.ts), with `push-worker`. */
  device?: unknown;
}

/**
 * The room's notification level (radio buttons: all messages, direct messages and mentions,
 * nothing), stored by the server for the user; and, until the browser was asked, the button
 * that asks it for permission (a click, never on load); then this device's Web Push entry, if any.
 * Escape closes it.
 */
export function renderNotificationMenu(view: NotificationMenuView): TemplateResult {
  const { strings } = view;
  const levels: Array<[NotificationLevel, string]> = [
    ['all', strings.notifyAll],
    ['mentions', strings.notifyMentions],
    ['none', strings.notifyNone],
  ];
  return html`<fieldset id="notify" class="menu" @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && view._onClose()}>
    <legend>${strings.notifications}</legend>
    ${levels.map(
      ([level, label]) =>
        html`<label
          ><input type="radio" name="level" .checked=${view.level === level} @change=${() => view._onLevel(level)} /> ${label}</label
        >`,
    )}
    ${
      view.permission === 'default'
        ? html`<button type="button" class="primary" @click=${view._onEnable}>${strings.enableNotifications}</button>`
        : view.permission === 'denied'
          ? html`<small>${strings.notificationsBlocked}</small>`
          : nothing
    }
    ${view.device}
  </fieldset>`;
}
