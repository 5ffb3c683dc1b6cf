import { css } from 'lit';

/** A voice message's player: the button, the waveform over the position slider, the time. */
export const voiceStyles = css`
  .voice {
    display: flex;
    align-items: center;
    gap: 8px;
    max-width: 100%;
    width: 280px;
    padding: 4px 8px 4px 4px;
    border: 1px solid var(--chat-border);
    border-radius: var(--chat-radius);
    background: var(--chat-surface);
  }
  .voice-play {
    flex: none;
    display: grid;
    place-items: center;
    width: 32px;
    height: 32px;
    padding: 0;
    border-radius: 50%;
  }
  .voice-track {
    display: flex;
    flex-direction: column;
    flex: 1;
    min-width: 0;
  }
  .voice-wave {
    display: block;
    width: 100%;
    height: 24px;
    fill: var(--chat-muted);
  }
  .voice-wave .played {
    fill: var(--chat-accent);
  }
  /* Drawn from the start: the right in right-to-left languages, as the slider under it fills. */
  .voice-wave:dir(rtl) {
    transform: scaleX(-1);
  }
  .voice input {
    width: 100%;
    margin: 0;
    accent-color: var(--chat-accent);
  }
  /* A media control: its triangle does not turn in right-to-left languages. */
  .voice-play .i:dir(rtl) {
    transform: none;
  }
  .voice-time {
    flex: none;
    font-size: 0.8em;
    font-variant-numeric: tabular-nums;
    color: var(--chat-muted);
  }
`;
