import { describe, expect, it } from 'vitest';
import { moveIndex, RovingFocus } from './roving-focus.js';

describe('moveIndex: the keys of a list (the log) and of a grid (the emoji choice)', () => {
  it('moves by one in a list with the arrows and Page Up/Down, to the ends with Home/End, never past them', () => {
    expect(moveIndex('ArrowUp', 3, 5)).toBe(2);
    expect(moveIndex('ArrowDown', 3, 5)).toBe(4);
    expect(moveIndex('PageUp', 3, 5)).toBe(2);
    expect(moveIndex('PageDown', 3, 5)).toBe(4);
    expect(moveIndex('Home', 3, 5)).toBe(0);
    expect(moveIndex('End', 1, 5)).toBe(4);
    expect(moveIndex('ArrowUp', 0, 5)).toBe(0);
    expect(moveIndex('ArrowDown', 4, 5)).toBe(4);
  });

  it('leaves other keys alone, Left and Right included in a list (a message may hold text to select)', () => {
    for (const key of ['ArrowLeft', 'ArrowRight', 'Enter', 'Escape', 'a', ' ', 'Tab']) expect(moveIndex(key, 2, 5), key).toBeUndefined();
  });

  it('in a grid, Left/Right move by one and Up/Down by a row', () => {
    expect(moveIndex('ArrowRight', 2, 14, 7)).toBe(3);
    expect(moveIndex('ArrowLeft', 7, 14, 7)).toBe(6);
    expect(moveIndex('ArrowDown', 2, 14, 7)).toBe(9);
    expect(moveIndex('ArrowUp', 9, 14, 7)).toBe(2);
    expect(moveIndex('ArrowUp', 2, 14, 7)).toBe(0);
    expect(moveIndex('ArrowDown', 10, 14, 7)).toBe(13);
    expect(moveIndex('PageDown', 2, 14, 7)).toBeUndefined();
  });
});

describe('RovingFocus: the one tab stop of the log', () => {
  it('is the newest message until the user moves, then stays where they moved while it is shown', () => {
    const roving = new RovingFocus();
    expect(roving.current([])).toBeUndefined();
    expect(roving.current(['a', 'b', 'c'])).toBe('c');
    expect(roving.set('b')).toBe(true);
    expect(roving.set('b')).toBe(false);
    expect(roving.current(['a', 'b', 'c', 'd'])).toBe('b');
    // The message is no longer drawn (another room, a history reset): back to the newest.
    expect(roving.current(['x', 'y'])).toBe('y');
    roving.set(undefined);
    expect(roving.current(['a', 'b', 'c', 'd'])).toBe('d');
  });
});
