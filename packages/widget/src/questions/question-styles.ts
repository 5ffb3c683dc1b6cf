import { css } from 'lit';

/**
 * The Questions toggle above the log and its panel (questions.ts), added when the chunk loads:
 * beside the log in a wide widget, over it in a narrow one.
 */
export const questionStyles = css`
  .q-bar {
    display: flex;
    justify-content: flex-end;
    padding: 4px 12px;
    border-bottom: 1px solid var(--chat-border);
    background: var(--chat-surface);
  }
  .q-tab {
    padding: 2px 10px;
    font-size: 13px;
  }
  .q-tab[aria-expanded='true'] {
    background: var(--chat-accent);
    color: var(--chat-accent-fg);
    border-color: var(--chat-accent);
  }
  .questions {
    display: flex;
    flex-direction: column;
    width: 50%;
    max-width: 380px;
    min-width: 0;
    border-inline-start: 1px solid var(--chat-border);
    background: var(--chat-bg);
  }
  .q-head {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 8px;
    padding: 6px 12px;
    border-bottom: 1px solid var(--chat-border);
    background: var(--chat-surface);
  }
  .questions h3,
  .questions h4 {
    margin: 0;
    font-size: inherit;
  }
  .q-scroll {
    flex: 1;
    overflow-y: auto;
    padding: 8px 12px;
    overscroll-behavior: contain;
  }
  .q-ask label {
    font-size: 12px;
    color: var(--chat-muted);
  }
  .q-row {
    display: flex;
    gap: 6px;
    margin-top: 2px;
  }
  .q-row input {
    flex: 1;
    min-width: 0;
  }
  .q-ask [aria-disabled='true'] {
    opacity: 0.6;
    cursor: not-allowed;
  }
  .q-error,
  .q-note {
    margin: 4px 0 0;
    color: var(--chat-danger);
    font-size: 12px;
  }
  .q-note {
    color: var(--chat-muted);
  }
  .q-none {
    color: var(--chat-muted);
  }
  .questions .q-group {
    margin-top: 12px;
  }
  .q-list {
    list-style: none;
    margin: 8px 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: 8px;
  }
  .q-item {
    display: flex;
    align-items: flex-start;
    gap: 8px;
    padding: 6px 8px;
    border: 1px solid var(--chat-border);
    border-radius: 8px;
  }
  .q-item.q-hidden,
  .q-wait {
    border-style: dashed;
    background: var(--chat-surface);
  }
  .q-up {
    flex: none;
    min-width: 3em;
    padding: 2px 6px;
    font-variant-numeric: tabular-nums;
  }
  .q-up[aria-pressed='true'] {
    background: var(--chat-accent);
    color: var(--chat-accent-fg);
    border-color: var(--chat-accent);
    font-weight: 600;
  }
  .q-up[aria-disabled='true'],
  .q-more[aria-disabled='true'] {
    cursor: progress;
  }
  .q-more {
    display: block;
    width: 100%;
  }
  .q-body {
    flex: 1;
    min-width: 0;
  }
  .q-text {
    margin: 0;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    unicode-bidi: plaintext;
    text-align: match-parent;
  }
  .q-body small {
    color: var(--chat-muted);
  }
  .q-mark {
    color: var(--chat-fg);
  }
  .q-tools {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    margin-top: 4px;
  }
  .q-tools button {
    padding: 1px 8px;
    font-size: 12px;
  }
  .q-answered {
    margin-top: 12px;
    color: var(--chat-muted);
  }
  @container (max-width: 420px) {
    .questions {
      position: absolute;
      inset: 0;
      width: auto;
      max-width: none;
      z-index: 1;
      border-inline-start: 0;
    }
  }
`;
