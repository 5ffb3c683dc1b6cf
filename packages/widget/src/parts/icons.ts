import { html, svg, type TemplateResult } from 'lit';

// The widget's UI icons, drawn as inline SVG in the text colour (`.i` in chat-room.styles.ts: 1em
// wide, a 2px line): an emoji or symbol character needs a font that has it, and where none is
// installed it shows as an empty box. Decorative: each button they are in has its own name.
// Reactions stay emoji: they are what people wrote. Each path is a few strokes on a 24 x 24 grid.

export const BELL = 'M18 16v-5A6 6 0 0 0 6 11v5l-2 2h16zm-8 4h4';
/** The bell struck through: notifications off. */
export const BELL_OFF = `${BELL}M3 3l18 18`;
export const SEARCH = 'M10 4a6 6 0 1 0 .1 0M15 15l5 5';
export const SHIELD = 'M12 3l8 3v6c0 5-4 8-8 9-4-1-8-4-8-9V6z';
export const CLIP = 'M9 12l6-6a3 3 0 0 1 4 4l-8 8a5 5 0 0 1-7-7l8-8';
export const MIC = 'M9 5a3 3 0 0 1 6 0v6a3 3 0 0 1-6 0zM5 11a7 7 0 0 0 14 0m-7 7v3';
export const CLOSE = 'M6 6l12 12M18 6L6 18';
export const REPLY = 'M9 15l-5-5 5-5M4 10h10a6 6 0 0 1 0 12h-2';
export const THREAD = 'M4 4h16v11H9l-5 4zM8 9h8';
/** A padlock: the room is end-to-end encrypted. */
export const LOCK = 'M6 11h12v10H6zm3 0V8a3 3 0 0 1 6 0v3';

/** An icon of the paths above. */
export const icon = (d: string): TemplateResult =>
  html`<svg class="i" viewBox="0 0 24 24" aria-hidden="true">${svg`<path d=${d} />`}</svg>`;
