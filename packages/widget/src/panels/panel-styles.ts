import { css } from 'lit';

/**
 * The people panel's list and a person's card (panels.ts), added when the chunk loads. The panel's
 * frame (`.members`, its heading) and the notifications menu's (`.menu`, shared with moderation and
 * search) are in the element's styles: loader.ts draws them while the chunk loads.
 */
export const panelStyles = css`
  .members .avatar {
    width: 24px;
    height: 24px;
    font-size: 10px;
  }
  .members ul {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .members-head {
    display: flex;
    align-items: center;
    justify-content: space-between;
  }
  .members li {
    padding: 1px 0;
  }
  .members-shown {
    margin: 6px 0 4px;
    font-size: 12px;
  }
  .members-more {
    width: 100%;
  }
  /* The notifications menu's heading is its first line, inside its frame and on its background: as
     a fieldset's legend on the border, its upper half showed what lies behind (issue 48). */
  #notify legend {
    float: inline-start;
    font-weight: 600;
  }
  .card {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: 6px;
    padding: 4px 4px 8px;
    padding-inline-start: 36px;
  }
  .fingerprint {
    margin: 0;
    overflow-wrap: anywhere;
  }
  /* Four groups a line (19 characters): SHA-256's 16 as a 4 x 4 grid, to compare line by line. */
  .fingerprint code {
    display: block;
    max-width: 19ch;
    font-size: 0.9em;
    letter-spacing: 0;
    word-spacing: 0;
  }
`;
