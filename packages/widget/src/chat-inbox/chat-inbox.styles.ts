import { css } from 'lit';

/** Styles of <chat-inbox> on top of <chat-room>'s (its theme, buttons, avatars, badges and rows). */
export const chatInboxStyles = css`
  ul {
    margin: 0;
    list-style: none;
  }
  .row[aria-selected] {
    background: none;
    color: inherit;
  }
  .row {
    border-bottom: 1px solid var(--chat-border);
    padding: 8px 4px;
    cursor: pointer;
  }
  chat-room {
    flex: 1;
    min-height: 0;
    --chat-radius: 0;
  }
  .frame > .back {
    max-width: none;
    margin: 6px;
    align-self: flex-start;
  }
`;
