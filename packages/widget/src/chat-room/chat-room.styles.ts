import { css } from 'lit';

// The dark palette, used by theme="dark" and by theme="auto" when the system is dark.
const dark = css`
  --chat-bg: #16191d;
  --chat-fg: #e8eaed;
  --chat-muted: #a3acb9;
  --chat-border: #3a4048;
  --chat-surface: #20252b;
  --chat-own: #1d3550;
  --chat-accent: #5aa8ff;
  --chat-accent-fg: #0b0d10;
  --chat-danger: #ff8a80;
  --chat-focus: #8cc4ff;
  --chat-mention: #3b3420;
`;

/** Styles of <chat-room>; colours come from custom properties a host may set. */
export const chatRoomStyles = css`
  :host {
    /* Light theme (contrast of text on background at least 4.5:1). */
    --chat-bg: #ffffff;
    --chat-fg: #1b1f24;
    --chat-muted: #57606a;
    --chat-border: #d0d7de;
    --chat-surface: #f6f8fa;
    --chat-own: #ddf4ff;
    --chat-accent: #0b5cad;
    --chat-accent-fg: #ffffff;
    --chat-danger: #b3261e;
    --chat-focus: #0969da;
    --chat-mention: #fff8c5;
    --chat-font: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    --chat-radius: 8px;
    display: block;
    box-sizing: border-box;
    height: 100%;
    min-height: 320px;
    min-width: 240px;
    font: 14px/1.4 var(--chat-font);
    color: var(--chat-fg);
    background: var(--chat-bg);
    contain: content;
    container-type: inline-size;
  }
  :host([theme='dark']) {
    ${dark}
  }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']),
    :host(:not([theme])) {
      ${dark}
    }
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  .frame {
    display: flex;
    flex-direction: column;
    height: 100%;
    border: 1px solid var(--chat-border);
    border-radius: var(--chat-radius);
    overflow: hidden;
    position: relative;
  }
  header {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 8px 12px;
    border-bottom: 1px solid var(--chat-border);
    background: var(--chat-surface);
  }
  header .who {
    flex: 1;
  }
  header h2 {
    margin: 0;
    font-size: 15px;
    font-weight: 600;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  button {
    font: inherit;
    color: inherit;
    background: transparent;
    border: 1px solid var(--chat-border);
    border-radius: 6px;
    padding: 4px 10px;
    cursor: pointer;
  }
  button.primary {
    background: var(--chat-accent);
    color: var(--chat-accent-fg);
    border-color: var(--chat-accent);
    font-weight: 600;
  }
  button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  :focus-visible {
    outline: 2px solid var(--chat-focus);
    outline-offset: 2px;
  }
  .banner {
    padding: 6px 12px;
    font-size: 13px;
    background: var(--chat-surface);
    border-bottom: 1px solid var(--chat-border);
  }
  .banner.error {
    color: var(--chat-danger);
  }
  .body {
    flex: 1;
    display: flex;
    min-height: 0;
    position: relative;
  }
  .log {
    flex: 1;
    overflow-y: auto;
    padding: 8px 12px;
    min-width: 0;
    overscroll-behavior: contain;
  }
  .members {
    width: 40%;
    max-width: 220px;
    border-left: 1px solid var(--chat-border);
    overflow-y: auto;
    padding: 8px 12px;
    background: var(--chat-surface);
  }
  .members ul {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .members-head {
    display: flex;
    align-items: center;
    justify-content: space-between;
  }
  .members h3 {
    margin: 0;
    font-size: 13px;
  }
  .members li {
    padding: 1px 0;
  }
  .members-shown {
    margin: 6px 0 4px;
    font-size: 12px;
  }
  .members-more {
    width: 100%;
  }
  .who {
    display: flex;
    flex-direction: column;
    min-width: 0;
  }
  .who > * {
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  /* Status: the word says it, the dot shows it at a glance. */
  .dot {
    display: inline-block;
    width: 8px;
    height: 8px;
    margin-right: 4px;
    border-radius: 50%;
    background: #2da44e;
  }
  .dot.away {
    background: #d4a72c;
  }
  .dot.busy {
    background: #e5534b;
  }
  .dot.offline {
    background: none;
    border: 2px solid var(--chat-muted);
  }
  .badge {
    margin-left: 4px;
    padding: 0 6px;
    border-radius: 9px;
    font-size: 12px;
    font-weight: 700;
    background: var(--chat-accent);
    color: var(--chat-accent-fg);
  }
  .badge.at {
    background: var(--chat-danger);
    color: var(--chat-bg);
  }
  /* A person or a conversation: a row that is one button (or one option of the inbox). */
  .person,
  .row {
    display: flex;
    align-items: center;
    gap: 8px;
    width: 100%;
    padding: 4px;
    border: 0;
    text-align: left;
  }
  .person .who,
  .row .who {
    flex: 1;
  }
  /* A direct room's status dot, on the corner of its avatar. */
  .avatar + .dot {
    margin: 18px 0 0 -16px;
  }
  .end {
    display: flex;
    flex-direction: column;
    align-items: flex-end;
  }
  .card {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: 6px;
    padding: 4px 4px 8px 36px;
  }
  .back {
    max-width: 45%;
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  .menu {
    position: absolute;
    top: 0;
    right: 0;
    z-index: 2;
    display: flex;
    flex-direction: column;
    gap: 6px;
    margin: 0;
    max-width: 100%;
    background: var(--chat-surface);
    border: 1px solid var(--chat-border);
    border-radius: 6px;
  }
  .group {
    display: grid;
    grid-template-columns: 32px 1fr;
    gap: 8px;
    margin: 10px 0;
  }
  .group.pending,
  .group.failed {
    grid-template-columns: 1fr;
    margin-left: 40px;
  }
  .group.pending .message {
    opacity: 0.7;
  }
  .avatar {
    width: 32px;
    height: 32px;
    border-radius: 50%;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    font-size: 12px;
    font-weight: 600;
    color: #fff;
    background: hsl(var(--hue, 210) 45% 32%);
    object-fit: cover;
    flex: none;
  }
  .members .avatar {
    width: 24px;
    height: 24px;
    font-size: 10px;
  }
  .group-body {
    min-width: 0;
  }
  .meta {
    display: flex;
    gap: 8px;
    align-items: baseline;
  }
  .name {
    font-weight: 600;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  time,
  .status,
  .notice,
  .typing,
  .who small {
    color: var(--chat-muted);
    font-size: 12px;
  }
  .message {
    margin-top: 2px;
    position: relative;
    border-radius: 6px;
  }
  /* A message's actions: on hover, on focus, and when opened with Enter. */
  .actions {
    position: absolute;
    bottom: calc(100% - 6px);
    right: 0;
    z-index: 1;
    display: flex;
    visibility: hidden;
    background: var(--chat-surface);
    border: 1px solid var(--chat-border);
    border-radius: 6px;
  }
  .own .actions {
    right: auto;
    left: 0;
  }
  /* On the first message of a group the actions sit at the end of the name and time line,
     which they would cover above the message (most visibly on your own, narrow, messages). */
  .group-body {
    position: relative;
  }
  .meta + .message {
    position: static;
  }
  .meta + .message > .actions {
    top: 0;
    bottom: auto;
    left: auto;
    right: 0;
  }
  .message:hover > .actions,
  .message:focus-within > .actions,
  .open > .actions {
    visibility: visible;
  }
  .actions button,
  .icon {
    border: 0;
    padding: 0 6px;
  }
  .attach {
    font-size: 16px;
  }
  .reactions,
  .confirm,
  .edit > div {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px;
    margin: 4px 0 2px;
  }
  .chip {
    padding: 0 8px;
    border-radius: 12px;
  }
  [aria-pressed='true'] {
    border-color: var(--chat-accent);
    box-shadow: inset 0 0 0 1px var(--chat-accent);
  }
  .emoji-choice {
    display: grid;
    grid-template-columns: repeat(7, 26px);
    width: fit-content;
    padding: 3px;
    background: var(--chat-surface);
    border: 1px solid var(--chat-border);
    border-radius: 8px;
  }
  .emoji-choice button {
    padding: 0;
    height: 26px;
    border-color: transparent;
  }
  .danger {
    background: var(--chat-danger);
    border-color: var(--chat-danger);
    color: var(--chat-bg);
  }
  .edit textarea,
  .own .message.editing {
    width: 100%;
  }
  .hint,
  .edited,
  .gone,
  .note,
  .replying {
    margin: 0;
    color: var(--chat-muted);
    font-size: 12px;
  }
  .gone {
    font-style: italic;
  }
  .mentioned {
    background: var(--chat-mention);
    box-shadow: inset 3px 0 var(--chat-accent);
    padding: 2px 6px 2px 9px;
  }
  mark {
    background: none;
    color: inherit;
    font-weight: 700;
  }
  .composer {
    position: relative;
  }
  .replying,
  .note:not(:empty) {
    display: flex;
    gap: 8px;
    padding: 4px 12px 0;
  }
  .replying span {
    border-left: 2px solid var(--chat-accent);
    padding-left: 6px;
    flex: 1;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  [aria-selected='true'] {
    background: var(--chat-accent);
    color: var(--chat-accent-fg);
  }
  /* Only the user's text keeps its line breaks: template whitespace around it must not show. */
  .text {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .own .message {
    background: var(--chat-own);
    border-radius: 6px;
    padding: 2px 6px;
    width: fit-content;
    max-width: 100%;
  }
  .message a {
    color: var(--chat-accent);
  }
  .reply {
    display: block;
    max-width: 100%;
    text-align: left;
    background: none;
    border: 0;
    border-radius: 0;
    color: var(--chat-muted);
    font-size: 12px;
    border-left: 2px solid var(--chat-border);
    padding: 0 0 0 6px;
    margin: 2px 0;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .status.failed {
    color: var(--chat-danger);
  }
  .status button {
    margin-left: 4px;
    padding: 0 6px;
  }
  .attachments {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    margin-top: 4px;
  }
  .thumb {
    padding: 0;
    border: 0;
    line-height: 0;
  }
  .thumb img {
    max-width: 160px;
    max-height: 120px;
    border-radius: 6px;
    display: block;
  }
  .drop {
    position: absolute;
    inset: 0;
    z-index: 3;
    display: flex;
    align-items: center;
    justify-content: center;
    font-weight: 600;
    background: var(--chat-bg);
    opacity: 0.92;
    border: 2px dashed var(--chat-accent);
    border-radius: var(--chat-radius);
  }
  .notice {
    text-align: center;
    margin: 6px 0;
  }
  /* Where messages are missing, or the history started over: a break across the list. */
  .notice.break {
    display: flex;
    align-items: center;
    gap: 8px;
    margin: 10px 0;
  }
  .notice.break::before,
  .notice.break::after,
  .day::before,
  .day::after {
    content: '';
    flex: 1;
    min-width: 24px;
    border-top: 1px dashed var(--chat-muted);
  }
  /* The day above its first messages: a line across the list. */
  .day {
    display: flex;
    align-items: center;
    gap: 8px;
    font-weight: 600;
  }
  .day::before,
  .day::after {
    border-top-style: solid;
    border-color: var(--chat-border);
  }
  .notice.new {
    color: var(--chat-danger);
  }
  .notice.new::before,
  .notice.new::after {
    border: 0;
    border-top: 1px solid;
  }
  .typing {
    min-height: 20px;
    padding: 0 12px;
  }
  .jump {
    position: absolute;
    left: 50%;
    transform: translateX(-50%);
    bottom: 96px;
    box-shadow: 0 2px 8px rgb(0 0 0 / 25%);
  }
  form[part='composer'] {
    display: flex;
    gap: 8px;
    padding: 8px 12px 12px;
    border-top: 1px solid var(--chat-border);
  }
  textarea,
  input {
    flex: 1;
    min-width: 0;
    font: inherit;
    color: inherit;
    background: var(--chat-bg);
    border: 1px solid var(--chat-border);
    border-radius: 6px;
    padding: 6px 8px;
    resize: none;
  }
  /* A placeholder longer than the box (a narrow widget, "You are muted until 14:05") shows whole:
     the box grows to it where the browser can (field-sizing), as it grows with what is written
     (up to composer.ts's MAX_HEIGHT_PX). */
  form[part='composer'] textarea {
    field-sizing: content;
    max-height: 120px;
  }
  textarea::placeholder,
  input::placeholder {
    color: var(--chat-muted);
  }
  /* Out of the room or signed out: the box looks switched off, its text still readable. */
  textarea:disabled {
    background: var(--chat-surface);
    border-style: dashed;
    cursor: not-allowed;
  }
  .prompt {
    padding: 16px 12px;
  }
  .prompt form {
    border: 0;
    padding: 8px 0;
  }
  .prompt input[aria-invalid='true'] {
    border-color: var(--chat-danger);
  }
  .field-error {
    margin: 0;
    color: var(--chat-danger);
  }
  /* Moderation, bots, commands (parts/moderation-menu.ts, command replies). */
  .bot {
    margin-left: 4px;
    padding: 0 4px;
    border: 1px solid currentColor;
    border-radius: 4px;
    font-size: 10px;
    font-weight: 700;
  }
  .system {
    font-style: italic;
  }
  .command-reply {
    text-align: left;
    padding: 4px 8px;
    border-left: 3px solid var(--chat-accent);
    background: var(--chat-surface);
    color: var(--chat-fg);
  }
  .command-reply small {
    display: block;
    color: var(--chat-muted);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  @container (max-width: 420px) {
    .members {
      position: absolute;
      right: 0;
      top: 0;
      bottom: 0;
      width: 70%;
      max-width: none;
      z-index: 1;
    }
  }
`;
