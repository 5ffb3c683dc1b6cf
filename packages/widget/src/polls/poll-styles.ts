import { css } from 'lit';

/** A poll's card under its message, and the "New poll" entry above the composer. */
export const pollStyles = css`
  .poll {
    max-width: 420px;
    margin-top: 6px;
    padding: 8px 10px;
    border: 1px solid var(--chat-border);
    border-radius: 8px;
    background: var(--chat-surface);
  }
  .poll fieldset,
  .poll-form fieldset {
    margin: 0;
    padding: 0;
    border: 0;
    min-width: 0;
  }
  .poll legend,
  .poll-form legend {
    padding: 0;
    margin-bottom: 4px;
    color: var(--chat-muted);
    font-size: 12px;
  }
  .poll-option {
    display: grid;
    grid-template-columns: auto 1fr auto;
    align-items: center;
    column-gap: 8px;
    padding: 4px 0;
    cursor: pointer;
  }
  .poll.closed .poll-option {
    cursor: default;
  }
  .poll input[type] {
    accent-color: var(--chat-accent);
  }
  .poll-text {
    overflow-wrap: anywhere;
  }
  .poll-mine {
    font-weight: 600;
    font-size: 12px;
  }
  .poll-count {
    color: var(--chat-muted);
    font-size: 12px;
    white-space: nowrap;
  }
  .poll-bar {
    grid-column: 2 / 4;
    height: 6px;
    margin-top: 3px;
    border-radius: 3px;
    background: var(--chat-border);
    overflow: hidden;
  }
  .poll-bar span {
    display: block;
    height: 100%;
    border-radius: 3px;
    background: var(--chat-accent);
  }
  .poll-option:not(.mine) .poll-bar span {
    opacity: 0.6;
  }
  .poll-foot {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    margin-top: 6px;
  }
  .poll-foot small {
    color: var(--chat-muted);
  }
  .poll.closed .poll-foot small {
    color: var(--chat-fg);
    font-weight: 600;
  }
  .poll [aria-disabled='true'],
  .poll-form [aria-disabled='true'] {
    opacity: 0.6;
    cursor: not-allowed;
  }
  .poll-entry {
    display: flex;
    flex-direction: column;
    align-items: flex-end;
    padding: 0 12px;
  }
  .poll-new {
    padding: 2px 8px;
    font-size: 12px;
  }
  .poll-form {
    display: flex;
    flex-direction: column;
    gap: 6px;
    align-self: stretch;
    margin-bottom: 6px;
    padding: 8px 10px;
    border: 1px solid var(--chat-border);
    border-radius: 8px;
    background: var(--chat-surface);
  }
  .poll-form > label:first-child {
    font-size: 12px;
    color: var(--chat-muted);
  }
  /* The element's text box style (flex: 1, padding) is not for a checkbox or a radio button. */
  .poll input[type],
  .poll-form input[type] {
    flex: none;
    margin: 0;
    padding: 0;
  }
  .poll-row {
    display: flex;
    gap: 4px;
    align-items: center;
    margin-bottom: 4px;
  }
  .poll-check {
    display: flex;
    gap: 6px;
    align-items: center;
    font-size: 13px;
  }
  .poll-error {
    margin: 0;
    color: var(--chat-danger);
    font-size: 12px;
  }
`;
