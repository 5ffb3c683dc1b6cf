import { css } from 'lit';

import { frameStyles } from './frame.styles.js';

/**
 * Styles of <chat-room>; colours come from custom properties a host may set. One sheet, in the order
 * the cascade was written: the frame and people (frame.styles.ts), then the log (message groups,
 * actions, reactions, edits, replies, attachments, notices, typing) and the composer with what
 * follows it. Two template parts, not one per area: each part costs the script-tag bundle ~10
 * bytes gzipped, and a part imported after the rules it follows costs more (gzip's window).
 */
export const chatRoomStyles = css`
  ${frameStyles}
  .group {
    display: grid;
    grid-template-columns: 32px 1fr;
    gap: 8px;
    margin: 10px 0;
  }
  .group.pending,
  .group.failed {
    grid-template-columns: 1fr;
    margin-inline-start: 40px;
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
  .group-body {
    min-width: 0;
  }
  .meta {
    display: flex;
    gap: 8px;
    align-items: baseline;
    white-space: nowrap;
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
  /* A message's actions (drawn by the message tools' chunk, with their own styles there) sit in the
     message's own row, over no other message and none of its own text: --n buttons of 12px + 1.15em. */
  .group-body:has(.actions > :nth-child(5)) {
    --n: 5;
  }
  .group-body:has(.actions > :nth-child(6)) {
    --n: 6;
  }
  /* Their place at the end of the first line is kept free (--f: what they cover of the text box; in
     your own bubble only where they do not fit beside it, its width computed without it), or the
     whole line where less than 5em would stay beside them: the text wraps, no word is cut there. */
  .message + .message::before,
  .own .message::before {
    content: '';
    float: inline-end;
    height: 1lh;
    --f: calc(100% + 14px + var(--n, 4) * (12px + 1.15em) - 100cqw);
    width: min(100%, max(0px, var(--f)) * 99, var(--f) + max(0px, var(--f) + 5em - 100%) * 99);
  }
  /* On the first message of others' groups the actions sit at the end of the name and time line
     (your own first message's, beside its bubble: a mouse on its way to them stays on it). */
  .group-body {
    position: relative;
    container-type: inline-size;
  }
  .group:not(.own) .meta + .message {
    position: static;
  }
  /* While they show there, the end of that line is theirs: a name too long for the rest is cut, not covered. */
  .group:not(.own) .meta:is(:hover, :has(+ :is(:hover, :focus-within, .open))) {
    padding-inline-end: calc(var(--n, 4) * (12px + 1.15em) + 2px);
  }
  .icon {
    border: 0;
    padding: 0 6px;
  }
  .i {
    width: 1.15em;
    height: 1.15em;
    vertical-align: -0.2em;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  /* Right to left (the widget's language, or the host's dir): arrows and tails point the other way. */
  .i:dir(rtl) {
    transform: scaleX(-1);
  }
  /* What people write takes its own direction, paragraph by paragraph (Arabic in an English widget). */
  .text,
  .name,
  textarea {
    unicode-bidi: plaintext;
  }
  /* Empty, the text box starts on the widget's side. */
  textarea:placeholder-shown {
    unicode-bidi: normal;
  }
  .attach {
    font-size: 16px;
  }
  .reactions {
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
  .danger {
    background: var(--chat-danger);
    border-color: var(--chat-danger);
    color: var(--chat-bg);
  }
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
    border-inline-start: 3px solid var(--chat-accent);
    padding: 2px 6px;
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
    border-inline-start: 2px solid var(--chat-accent);
    padding-inline-start: 6px;
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
    text-align: start;
    background: none;
    border: 0;
    border-radius: 0;
    color: var(--chat-muted);
    font-size: 12px;
    border-inline-start: 2px solid var(--chat-border);
    padding: 0;
    padding-inline-start: 6px;
    margin: 2px 0;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .thread-count {
    display: block;
    margin: 2px 0;
    padding: 0 6px;
    color: var(--chat-accent);
    font-size: 12px;
  }
  .status.failed {
    color: var(--chat-danger);
  }
  .status button {
    margin-inline-start: 4px;
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
    margin-inline-start: 4px;
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
    text-align: start;
    padding: 4px 8px;
    border-inline-start: 3px solid var(--chat-accent);
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
      inset-inline-end: 0;
      top: 0;
      bottom: 0;
      width: 70%;
      max-width: none;
      z-index: 1;
    }
  }
`;
