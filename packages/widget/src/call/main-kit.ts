import type { html, nothing } from 'lit';
import type { avatar } from '../parts/avatar.js';

/**
 * What the call chunk uses of the main bundle. In the script-tag build the chunk is a module of
 * its own next to `chat-room.min.js`, built with `lit` and the widget's parts standing for the
 * main bundle's copies (rollup.config.mjs, `fromMainBundle`), and the main bundle hands them
 * over here when it loads the chunk: one Lit, one SDK on the page. In the other builds (the ESM
 * bundle's shared chunks, the package for bundlers, tests) the chunk imports them directly and
 * this does nothing.
 */
export interface MainKit {
  html: typeof html;
  nothing: typeof nothing;
  avatar: typeof avatar;
}

/** Receives the main bundle's kit (see {@link MainKit}); replaced in the script-tag chunk. */
export function bindKit(_kit: MainKit): void {}
