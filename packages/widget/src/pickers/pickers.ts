// The chunk of the composer's suggestions (chat-room.pickers.js): the `@` people and `/` commands
// lists, fetched the first time the text has an `@` or starts with `/`.
import { addStyles } from '../add-styles.js';
import { CommandPicker } from './command-picker.js';
import { MentionPicker } from './mention-picker.js';
import { pickerStyles } from './picker-styles.js';

/** The two suggestion lists of one `<chat-room>`. */
export interface Pickers {
  mention: MentionPicker;
  commands: CommandPicker;
}

/** The elements given the lists' styles: the room's and a thread's composer each have their lists, one stylesheet. */
const styled = new WeakSet<HTMLElement>();

/** The suggestion lists of `element`, its styles added (once); `changed` draws them again. */
export function createPickers(element: HTMLElement, changed: () => void): Pickers {
  if (!styled.has(element)) addStyles(element, pickerStyles);
  styled.add(element);
  return { mention: new MentionPicker(changed), commands: new CommandPicker(changed) };
}
