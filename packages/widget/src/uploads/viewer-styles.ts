import { css } from 'lit';

/** The full-size image (image-viewer.ts). */
export const viewerStyles = css`
  .viewer {
    padding: 8px;
    border: 0;
    border-radius: var(--chat-radius);
    background: var(--chat-bg);
    color: var(--chat-fg);
    text-align: center;
  }
  .viewer::backdrop {
    background: rgb(0 0 0 / 70%);
  }
  .viewer img {
    display: block;
    max-width: 90vw;
    max-height: 80vh;
    margin-bottom: 8px;
  }
`;
