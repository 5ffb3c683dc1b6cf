import { css } from 'lit';

/** The voice recorder's bar above the text box (recorder.ts): a red dot while it records, the time, Cancel and Send. */
export const recorderStyles = css`
  .recorder {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 6px 12px 0;
  }
  .recorder p {
    flex: 1;
    margin: 0;
    color: var(--chat-danger);
  }
  .recorder .elapsed {
    flex: 1;
    font-variant-numeric: tabular-nums;
  }
  .recorder .dot {
    width: 10px;
    height: 10px;
    border-radius: 50%;
    background: var(--chat-muted);
  }
  .recorder .dot.live {
    background: var(--chat-danger);
    animation: chat-rec 1s ease-in-out infinite alternate;
  }
  @keyframes chat-rec {
    to {
      opacity: 0.3;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .recorder .dot.live {
      animation: none;
    }
  }
`;
