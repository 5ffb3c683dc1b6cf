import { css } from 'lit';

/** The search panel: over the log, the width of the widget (a 340 px sidebar too). */
export const searchStyles = css`
  .search-panel {
    inset-inline-start: 0;
    bottom: 0;
    padding: 8px;
    overflow: auto;
  }
  .search-panel form {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    align-items: center;
  }
  .search-panel label {
    flex-basis: 100%;
    font-weight: 600;
  }
  .search-panel input {
    flex: 1;
    min-width: 0;
    font: inherit;
    padding: 4px 6px;
    border: 1px solid var(--chat-border);
    border-radius: 4px;
    background: var(--chat-bg, inherit);
    color: inherit;
  }
  .search-panel ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  .search-panel .result {
    display: block;
    width: 100%;
    text-align: start;
    font: inherit;
    white-space: normal;
    overflow-wrap: anywhere;
  }
  .search-panel .result small {
    display: block;
  }
  /* The name, room and date apart from one another, each in its own direction. */
  .search-panel .result small > * {
    unicode-bidi: isolate;
  }
  .search-panel .result time {
    color: inherit;
  }
  .search-panel .scope {
    flex-basis: 100%;
    display: flex;
    flex-wrap: wrap;
    gap: 2px 12px;
    margin: 0;
    padding: 0;
    border: 0;
  }
  .search-panel .scope label {
    flex-basis: auto;
    font-weight: 400;
  }
  .search-panel .scope input {
    flex: none;
  }
  .search-panel .room {
    font-weight: 600;
  }
  .message.found {
    outline: 2px solid var(--chat-accent);
    outline-offset: -2px;
  }
  .search-panel mark {
    background: var(--chat-mention);
    color: inherit;
    font-weight: 600;
  }
`;
