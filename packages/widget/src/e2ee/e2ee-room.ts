// The e2ee chunk's way in (chat-room.e2ee.js, which the SDK loaded for an encrypted room already):
// what an encrypted room adds to the room view, its key change lines, its files, and the line
// that says this device was removed.
export { watchKeyChanges } from './key-changes.js';
export { watchRemoval } from './device-removed.js';
export { SealedFiles } from './sealed-files.js';
