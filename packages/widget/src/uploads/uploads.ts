// The chunk of files people send (chat-room.uploads.js): what `<chat-room uploads>` fetches the
// first time someone picks, pastes or drops a file. With it comes the SDK's upload code.
import type { ReactiveControllerHost } from 'lit';
import { addStyles } from '../add-styles.js';
import { UploadController, type UploadView } from './upload-controller.js';
import { uploadStyles } from './upload-styles.js';

export type { UploadController } from './upload-controller.js';

/** The upload controller of one `<chat-room>`, its styles added to the element. */
export function createUploads(element: ReactiveControllerHost & HTMLElement, view: UploadView): UploadController {
  addStyles(element, uploadStyles);
  return new UploadController(element, view);
}
