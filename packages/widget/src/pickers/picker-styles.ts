import { css } from 'lit';

/** The `@` and `/` suggestion lists above the text box (pickers.ts). */
export const pickerStyles = css`
  .mentions {
    position: absolute;
    bottom: 100%;
    left: 12px;
    right: 12px;
    z-index: 2;
    margin: 0;
    padding: 4px;
    list-style: none;
    background: var(--chat-bg);
    border: 1px solid var(--chat-border);
    border-radius: 6px;
  }
  .mentions li {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 2px 6px;
    cursor: pointer;
  }
  .mentions .avatar {
    width: 24px;
    height: 24px;
    font-size: 10px;
  }
  .commands li {
    display: block;
  }
  .commands small {
    display: block;
  }
`;
