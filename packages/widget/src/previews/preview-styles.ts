import { css } from 'lit';

/** A link's card under its message: the image beside the site, the title and the description. */
export const previewStyles = css`
  .previews {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: 4px;
    margin-top: 4px;
  }
  .preview {
    display: flex;
    gap: 8px;
    max-width: 100%;
    padding: 6px 8px;
    border-inline-start: 3px solid var(--chat-accent);
    border-radius: 4px;
    background: var(--chat-surface);
    font-size: 0.875em;
  }
  .preview img {
    flex: none;
    width: 64px;
    height: 64px;
    object-fit: cover;
    border-radius: 4px;
  }
  .preview div {
    display: flex;
    flex-direction: column;
    min-width: 0;
  }
  .preview a {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .preview small {
    color: var(--chat-muted);
  }
  .preview p {
    margin: 2px 0 0;
    overflow-wrap: anywhere;
  }
  .preview-remove {
    padding: 2px 6px;
    font-size: 0.8em;
  }
`;
