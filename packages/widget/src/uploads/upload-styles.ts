import { css } from 'lit';

/** The files of the next message (uploads.ts): previews, names, progress, remove buttons; the notice over the widget while files are dragged over it. */
export const uploadStyles = css`
  .drop {
    position: absolute;
    inset: 0;
    z-index: 3;
    display: flex;
    align-items: center;
    justify-content: center;
    font-weight: 600;
    background: var(--chat-bg);
    opacity: 0.92;
    border: 2px dashed var(--chat-accent);
    border-radius: var(--chat-radius);
  }
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
