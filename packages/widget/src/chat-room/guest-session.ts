// The guest key kept for the tab, so a reload is the same guest. Storage can be off (sandboxed
// frames, privacy modes): then a reload is a new guest.

/** The stored value, if storage works and has one. */
export function readSession(key: string): string | undefined {
  try {
    return sessionStorage.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Stores the value if storage works. */
export function writeSession(key: string, value: string): void {
  try {
    sessionStorage.setItem(key, value);
  } catch {
    /* not available */
  }
}
