import type { ChatStrings } from '../i18n/strings.js';
import type { PanelStrings } from './panel-strings.js';

/** The texts the panels draw: the element's, and those of their chunk. */
export type PanelText = ChatStrings & PanelStrings;
