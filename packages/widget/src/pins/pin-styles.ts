import { css } from 'lit';

/** The pinned bar above the log: one line, or the whole list when opened. */
export const pinStyles = css`
  .pins {
    border-bottom: 1px solid var(--chat-border);
    background: var(--chat-surface);
    padding: 0.25rem 0.5rem;
    font-size: 0.875rem;
  }
  .pins-line,
  .pins li {
    display: flex;
    align-items: center;
    gap: 0.25rem;
  }
  .pins ul {
    list-style: none;
    margin: 0.25rem 0 0;
    padding: 0;
  }
  .pins button {
    min-height: 2rem;
    border: 0;
    border-radius: 0.375rem;
    background: none;
    color: inherit;
    font: inherit;
    cursor: pointer;
  }
  .pins button:hover {
    background: var(--chat-bg);
  }
  .pins button:focus-visible {
    outline: 2px solid var(--chat-accent);
    outline-offset: 1px;
  }
  .pin-go {
    flex: 1;
    min-width: 0;
    overflow: hidden;
    text-align: start;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .pin-go b {
    font-weight: 600;
  }
  .pins-toggle {
    flex: none;
    padding: 0 0.5rem;
    color: var(--chat-muted);
  }
  .pins .i {
    flex: none;
    width: 1rem;
    height: 1rem;
  }
`;
