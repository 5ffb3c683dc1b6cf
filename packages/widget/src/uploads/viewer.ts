// The chunk of the full-size image view (chat-room.viewer.js), fetched by the first click on an image.
import type { ReactiveControllerHost } from 'lit';
import { addStyles } from '../add-styles.js';
import { ImageViewer } from './image-viewer.js';
import { viewerStyles } from './viewer-styles.js';

export type { ImageViewer } from './image-viewer.js';

/** The image viewer of one `<chat-room>`, its styles added to the element. */
export function createViewer(element: ReactiveControllerHost & HTMLElement & { readonly renderRoot: ParentNode }): ImageViewer {
  addStyles(element, viewerStyles);
  return new ImageViewer(element);
}
