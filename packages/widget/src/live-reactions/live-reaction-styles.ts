import { css } from 'lit';

/** The reaction bar and its floating emoji. */
export const liveReactionStyles = css`
  .live-reactions {
    position: relative;
    padding: 0.25rem 0.75rem;
  }
  .live-reactions [role='group'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
  }
  .live-reactions button {
    min-width: 2.5rem;
    min-height: 2.25rem;
    border: 1px solid var(--chat-border);
    border-radius: 999px;
    background: var(--chat-surface);
    color: inherit;
    font-size: 1.1rem;
    cursor: pointer;
  }
  .live-reactions button:focus-visible {
    outline: 2px solid var(--chat-accent);
    outline-offset: 2px;
  }
  .live-reactions button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
  .floating {
    position: absolute;
    inset: auto 0 100% 0;
    height: 0;
    pointer-events: none;
  }
  .floating span {
    position: absolute;
    bottom: 0;
    font-size: 1.5rem;
    animation: live-reaction-rise 1.6s ease-out forwards;
  }
  @keyframes live-reaction-rise {
    from {
      transform: translateY(0);
      opacity: 1;
    }
    to {
      transform: translateY(-8rem);
      opacity: 0;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .floating {
      display: none;
    }
  }
`;
