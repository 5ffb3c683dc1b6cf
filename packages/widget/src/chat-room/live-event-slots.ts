// The places of `<chat-room>`'s live events and link previews (the server's liveReactions(),
// pins(), polls(), questions() and linkPreviews() plugins), as the element takes them: each a slot
// whose chunk loads when the room offers the feature or a message first needs it. Listed here, one
// concept, so that the element's file names the plugins' places once.
export { liveReactionsSlot } from '../live-reactions/loader.js';
export { pinsSlot } from '../pins/loader.js';
export { pollsSlot } from '../polls/loader.js';
export { previewsSlot } from '../previews/loader.js';
export { questionsSlot } from '../questions/loader.js';
