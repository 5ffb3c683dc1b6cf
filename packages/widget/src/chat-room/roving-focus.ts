/**
 * Where a key moves focus in a list of `count` items laid out in `columns` (1 for a list):
 * arrows by one item (Up/Down by a row), Home/End to the ends, and in a list Page Up/Down by one
 * item as the WAI-ARIA feed pattern has it. Undefined for any other key.
 */
export function moveIndex(key: string, index: number, count: number, columns = 1): number | undefined {
  let to: number;
  if (key === 'Home') to = 0;
  else if (key === 'End') to = count - 1;
  else if (key === 'ArrowUp' || (key === 'PageUp' && columns === 1)) to = index - columns;
  else if (key === 'ArrowDown' || (key === 'PageDown' && columns === 1)) to = index + columns;
  else if (columns > 1 && key === 'ArrowLeft') to = index - 1;
  else if (columns > 1 && key === 'ArrowRight') to = index + 1;
  else return undefined;
  return Math.max(0, Math.min(count - 1, to));
}

/** Moves focus among `items` by `event`'s key (see {@link moveIndex}; Left and Right swap right to left); true when it did. */
export function moveFocus(event: KeyboardEvent, items: readonly HTMLElement[], columns = 1): boolean {
  const target = event.target as HTMLElement;
  const index = items.indexOf(target);
  // Right to left, the item after this one is on its left.
  const key =
    getComputedStyle(target).direction === 'rtl'
      ? event.key.replace(/Left|Right/u, (side) => (side === 'Left' ? 'Right' : 'Left'))
      : event.key;
  const to = index < 0 ? undefined : moveIndex(key, index, items.length, columns);
  if (to === undefined || event.altKey) return false;
  event.preventDefault();
  items[to]?.focus();
  return true;
}

/**
 * The one tab stop of a list (roving tabindex): the item the user last moved to while it is
 * shown, otherwise the last one (in the log, the newest message).
 */
export class RovingFocus {
  #id: string | undefined;

  /** The item that gets `tabindex="0"` among the ids shown now. */
  current(ids: readonly string[]): string | undefined {
    return this.#id !== undefined && ids.includes(this.#id) ? this.#id : ids.at(-1);
  }

  /** Remembers `id` as the tab stop; true when it changed. */
  set(id: string | undefined): boolean {
    if (id === this.#id) return false;
    this.#id = id;
    return true;
  }
}
