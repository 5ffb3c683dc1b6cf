import { css } from 'lit';

/** A message's actions, the emoji choice, the editor and the questions in a message (message-tools.ts). */
export const messageToolStyles = css`
  /* A message's actions: on hover, on focus, and when opened with Enter. In the message's own
     row, over no other message and none of its own text: at the end of its first line; beside your
     own (narrow) bubble, or at the row's end when it is too wide (--n buttons of 12px + 1.15em;
     100cqw is the row's; the room's styles keep that place free). No taller than a line of text,
     so they cover none of the next line. */
  .actions {
    position: absolute;
    top: 0;
    line-height: 1.2;
    inset-inline-end: 0;
    z-index: 1;
    display: flex;
    visibility: hidden;
    background: var(--chat-surface);
    border: 1px solid var(--chat-border);
    border-radius: 6px;
  }
  .own .actions {
    inset-inline-end: auto;
    inset-inline-start: min(100%, 100cqw - var(--n, 4) * (12px + 1.15em) - 2px);
  }
  /* The name and time line holds a first message's actions: a mouse on its way to them keeps them. */
  .meta:hover + .message > .actions,
  .message:hover > .actions,
  .message:focus-within > .actions,
  .open > .actions {
    visibility: visible;
  }
  .actions button {
    border: 0;
    padding: 0 6px;
  }
  .confirm,
  .edit > div {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px;
    margin: 4px 0 2px;
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
  .edit textarea,
  .own .message.editing {
    width: 100%;
  }
  .hint {
    margin: 0;
    color: var(--chat-muted);
    font-size: 12px;
  }
`;
