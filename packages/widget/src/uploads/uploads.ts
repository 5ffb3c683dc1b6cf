// The chunk of files people send (chat-room.uploads.js): what `<chat-room uploads>` fetches the
// first time someone picks, pastes or drops a file. With it comes the SDK's upload code.
import { addStyles } from '../add-styles.js';
import { UploadController, type UploadHost, type UploadView } from './upload-controller.js';
import { uploadStyles } from './upload-styles.js';

export type { UploadController } from './upload-controller.js';

/** The elements given the files' styles: the room's and a thread's composer each have their files, one stylesheet. */
const styled = new WeakSet<HTMLElement>();

/** An upload controller of one `<chat-room>` (its composer's, or its thread composer's), its styles added to the element (once). */
export function createUploads(element: UploadHost, view: UploadView): UploadController {
  if (!styled.has(element)) addStyles(element, uploadStyles);
  styled.add(element);
  return new UploadController(element, view);
}
