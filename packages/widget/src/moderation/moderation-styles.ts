import { css } from 'lit';

/** The moderators' menus and questions (moderation-menu.ts), added when the chunk loads. */
export const moderationStyles = css`
  .moderate,
  .moderate-form div {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
  }
  .moderate-form,
  .moderate-form fieldset,
  #moderation fieldset {
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  #moderation {
    padding: 8px 10px;
  }
  #moderation h3 {
    margin: 0;
    font-size: inherit;
  }
  .moderate-form fieldset,
  #moderation fieldset {
    border: 0;
    margin: 0;
    padding: 0;
  }
`;
