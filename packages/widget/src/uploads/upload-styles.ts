import { css } from 'lit';

/** The files of the next message (uploads.ts): previews, names, progress, remove buttons. */
export const uploadStyles = css`
  .drafts {
    list-style: none;
    margin: 0;
    padding: 6px 12px 0;
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  .drafts li {
    display: flex;
    flex-direction: column;
    gap: 2px;
    max-width: 160px;
    position: relative;
    font-size: 12px;
  }
  .drafts img {
    max-width: 160px;
    max-height: 64px;
    border-radius: 6px;
    display: block;
  }
  .draft-name {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    padding-inline-end: 24px;
    unicode-bidi: plaintext;
  }
  .drafts .icon {
    position: absolute;
    top: 0;
    inset-inline-end: 0;
    background: var(--chat-surface);
  }
  progress {
    width: 100%;
    accent-color: var(--chat-accent);
  }
`;
