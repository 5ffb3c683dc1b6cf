import { css } from 'lit';

/** The emoji choice, the editor and the questions in a message (message-tools.ts). */
export const messageToolStyles = css`
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
