// The widget's size budgets, gzipped (gzip -9), in one place: the build (rollup.config.mjs) fails
// above them, and the bench (bench/bundle.mjs) reports against them.

/** DESIGN.md's budget for the script-tag bundle: not met, see docs/architecture.md, "Widget size". */
export const DESIGN_BUDGET_BYTES = 40 * 1024;
/**
 * The build's hard check of chat-room.min.js (and chat-room.esm.js): what every page loads. 53.5 KB
 * until session 7, raised by 0.25 KB for the widget's language marks (WCAG 3.1.2) and the reaction
 * toggle that reads a second click against the first (+0.27 KB together), and by 0.2 KB in
 * session 10 for errors said in the widget's language: the toolkit's English sentences marked
 * `lang: 'en'` in the SDK, and the widget's `strings.errors` (+156 bytes). Raised by 0.8 KB in
 * session 11 for the redesign step's seams (issue 25): the SDK's room split into room/ parts and its
 * outbox sender, the widget's room session, scroll and send controllers, each reached through a
 * small host interface whose property names the minifier keeps (+3.1 KB raw, +0.8 KB gzipped), and
 * 0.5 KB more for the facades cut under 500 lines (chat-client.ts and chat-room.ts: +231 bytes;
 * the element), whose moved code the minifier turns into calls with arguments. Lowered to 53.8 KB
 * in session 13 (the bundle 56,442 -> 55,089 bytes, no change of behaviour): private names short
 * per class, and internal members named `_name` mangled by the build, which checks the convention
 * (rollup.config.mjs; docs/architecture.md, "Widget size").
 */
export const BUNDLE_BUDGET_BYTES = 53.8 * 1024;
/** The calls chunk: the call UI and the SDK's call code. */
export const CALL_CHUNK_BUDGET_BYTES = 8 * 1024;
/** Any other file loaded on first use (uploads, suggestions, moderation, Spanish...). */
export const CHUNK_BUDGET_BYTES = 4 * 1024;

/** The budget of one of the widget's browser files, by its name. */
export function budgetOf(fileName) {
  if (/^chat-room\.(min|esm)\.js$/u.test(fileName)) return BUNDLE_BUDGET_BYTES;
  return fileName.includes('.call.') ? CALL_CHUNK_BUDGET_BYTES : CHUNK_BUDGET_BYTES;
}
