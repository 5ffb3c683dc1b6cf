import { css } from 'lit';

/**
 * The thread panel (threads.ts), added when the chunk loads: beside the log in a wide widget,
 * over it in a narrow one (a 340 px sidebar).
 */
export const threadStyles = css`
  .thread {
    display: flex;
    flex-direction: column;
    width: 50%;
    max-width: 360px;
    min-width: 0;
    border-inline-start: 1px solid var(--chat-border);
    background: var(--chat-bg);
  }
  .thread-head {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 8px;
    padding: 6px 12px;
    border-bottom: 1px solid var(--chat-border);
    background: var(--chat-surface);
  }
  .thread h3 {
    margin: 0;
    font-size: inherit;
  }
  .thread-parent {
    padding: 8px 12px;
    border-bottom: 1px solid var(--chat-border);
    max-height: 30%;
    overflow-y: auto;
  }
  .thread-log {
    flex: 1;
    overflow-y: auto;
    padding: 8px 12px;
  }
  .thread-log ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: 8px;
  }
  .thread .by {
    display: flex;
    gap: 6px;
    align-items: baseline;
  }
  .thread .by b {
    font-weight: 600;
  }
  .thread time,
  .thread .pending {
    color: var(--chat-muted);
    font-size: 0.85em;
  }
  .thread .said {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    unicode-bidi: plaintext;
    text-align: match-parent;
  }
  .thread-log li.found {
    outline: 2px solid var(--chat-accent);
    outline-offset: 2px;
  }
  .thread .older {
    margin-bottom: 8px;
  }
  .thread-composer {
    display: flex;
    gap: 8px;
    padding: 8px 12px 12px;
    border-top: 1px solid var(--chat-border);
  }
  .thread-composer textarea {
    field-sizing: content;
    max-height: 96px;
  }
  /* The people panel open with a thread, where three columns would squeeze the log (issue 48): the
     two share the thread's column, the people above it, and the log keeps the rest (at least 210 px);
     in a narrow widget, where each opens over the log, they share its space. Neither hides the other. */
  @container (max-width: 820px) {
    .body:has(> .members + .thread) {
      display: grid;
      grid-template: fit-content(40%) minmax(0, 1fr) / 1fr min(50%, 360px);
    }
    .body:has(> .members + .thread) > .log {
      grid-row: 1 / 3;
    }
    .members:has(+ .thread) {
      grid-area: 1 / 2;
    }
    .members + .thread {
      grid-area: 2 / 2;
    }
    .members:has(+ .thread),
    .members + .thread {
      position: static;
      width: auto;
      max-width: none;
      z-index: 2;
    }
    .members:has(+ .thread) {
      border-bottom: 1px solid var(--chat-border);
    }
  }
  @container (max-width: 420px) {
    .body:has(> .members + .thread) > * {
      grid-column: 1 / 3;
    }
    .thread {
      position: absolute;
      inset: 0;
      width: auto;
      max-width: none;
      border-inline-start: 0;
      z-index: 2;
    }
  }
`;
