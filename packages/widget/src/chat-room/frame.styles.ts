import { css } from 'lit';

// The dark palette, used by theme="dark" and by theme="auto" when the system is dark.
const dark = css`
  --chat-bg: #16191d;
  --chat-fg: #e8eaed;
  --chat-muted: #a3acb9;
  --chat-border: #3a4048;
  --chat-surface: #20252b;
  --chat-own: #1d3550;
  --chat-accent: #5aa8ff;
  --chat-accent-fg: #0b0d10;
  --chat-danger: #ff8a80;
  --chat-focus: #8cc4ff;
  --chat-mention: #3b3420;
`;

/**
 * <chat-room>'s frame and its people, the first part of chatRoomStyles: the palette (a host may set
 * its custom properties), the header, buttons, the banner, the body, the members panel's frame (its
 * list and a person's card are the panels chunk's: panels/panel-styles.ts), status dots, badges,
 * person and conversation rows and the menus.
 */
export const frameStyles = css`
  :host {
    /* Light theme (contrast of text on background at least 4.5:1). */
    --chat-bg: #ffffff;
    --chat-fg: #1b1f24;
    --chat-muted: #57606a;
    --chat-border: #d0d7de;
    --chat-surface: #f6f8fa;
    --chat-own: #ddf4ff;
    --chat-accent: #0b5cad;
    --chat-accent-fg: #ffffff;
    --chat-danger: #b3261e;
    --chat-focus: #0969da;
    --chat-mention: #fff8c5;
    --chat-font: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    --chat-radius: 8px;
    display: block;
    box-sizing: border-box;
    height: 100%;
    min-height: 320px;
    min-width: 240px;
    font: 14px/1.4 var(--chat-font);
    color: var(--chat-fg);
    background: var(--chat-bg);
    contain: content;
    container-type: inline-size;
  }
  :host([theme='dark']) {
    ${dark}
  }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']),
    :host(:not([theme])) {
      ${dark}
    }
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  .frame {
    display: flex;
    flex-direction: column;
    height: 100%;
    border: 1px solid var(--chat-border);
    border-radius: var(--chat-radius);
    overflow: hidden;
    position: relative;
  }
  /* The buttons go under the title, together and at the end, when both do not fit on one line. */
  header,
  .tools {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
  }
  header {
    padding: 8px 12px;
    border-bottom: 1px solid var(--chat-border);
    background: var(--chat-surface);
  }
  header .who {
    flex: 1 1 auto;
    min-width: 0;
  }
  .tools {
    margin-inline-start: auto;
  }
  header h2 {
    margin: 0;
    font-size: 15px;
    font-weight: 600;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  button {
    font: inherit;
    color: inherit;
    background: transparent;
    border: 1px solid var(--chat-border);
    border-radius: 6px;
    padding: 4px 10px;
    cursor: pointer;
  }
  button.primary {
    background: var(--chat-accent);
    color: var(--chat-accent-fg);
    border-color: var(--chat-accent);
    font-weight: 600;
  }
  button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  :focus-visible {
    outline: 2px solid var(--chat-focus);
    outline-offset: 2px;
  }
  .banner {
    padding: 6px 12px;
    font-size: 13px;
    background: var(--chat-surface);
    border-bottom: 1px solid var(--chat-border);
  }
  .banner.error {
    color: var(--chat-danger);
  }
  .body {
    flex: 1;
    display: flex;
    min-height: 0;
    position: relative;
  }
  .log {
    flex: 1;
    overflow-y: auto;
    padding: 8px 12px;
    min-width: 0;
    overscroll-behavior: contain;
  }
  .members {
    width: 40%;
    max-width: 220px;
    border-inline-start: 1px solid var(--chat-border);
    overflow-y: auto;
    padding: 8px 12px;
    background: var(--chat-surface);
  }
  .members h3 {
    margin: 0;
    font-size: 13px;
  }
  .who {
    display: flex;
    flex-direction: column;
    min-width: 0;
  }
  .who > * {
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  /* The encrypted room's line wraps in a narrow header rather than lose its end. */
  .who > .e2ee {
    white-space: normal;
  }
  /* Status: the word says it, the dot shows it at a glance. */
  .dot {
    display: inline-block;
    width: 8px;
    height: 8px;
    margin-inline-end: 4px;
    border-radius: 50%;
    background: #2da44e;
  }
  .dot.away {
    background: #d4a72c;
  }
  .dot.busy {
    background: #e5534b;
  }
  .dot.offline {
    background: none;
    border: 2px solid var(--chat-muted);
  }
  .badge {
    margin-inline-start: 4px;
    padding: 0 6px;
    border-radius: 9px;
    font-size: 12px;
    font-weight: 700;
    background: var(--chat-accent);
    color: var(--chat-accent-fg);
  }
  .badge.at {
    background: var(--chat-danger);
    color: var(--chat-bg);
  }
  /* A person or a conversation: a row that is one button (or one option of the inbox). */
  .person,
  .row {
    display: flex;
    align-items: center;
    gap: 8px;
    width: 100%;
    padding: 4px;
    border: 0;
    text-align: start;
  }
  .person .who,
  .row .who {
    flex: 1;
  }
  /* A direct room's status dot, on the corner of its avatar. */
  .avatar + .dot {
    margin: 18px 0 0;
    margin-inline-start: -16px;
  }
  .end {
    display: flex;
    flex-direction: column;
    align-items: flex-end;
  }
  .back {
    max-width: 45%;
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  .menu {
    position: absolute;
    top: 0;
    inset-inline-end: 0;
    z-index: 2;
    display: flex;
    flex-direction: column;
    gap: 6px;
    margin: 0;
    max-width: 100%;
    background: var(--chat-surface);
    border: 1px solid var(--chat-border);
    border-radius: 6px;
  }
`;
