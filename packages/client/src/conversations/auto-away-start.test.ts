import { describe, expect, it, vi } from 'vitest';
import type { AwayChannel, AwayDocument } from './auto-away.js';
import { deferAutoAway } from './auto-away-start.js';

/** A document whose visibility the test sets, and whose listeners it counts. */
class FakeDocument implements AwayDocument {
  visibilityState: 'visible' | 'hidden' = 'visible';
  readonly listeners = new Map<string, Set<() => void>>();

  addEventListener(type: string, listener: () => void): void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener);
  }
  removeEventListener(type: string, listener: () => void): void {
    this.listeners.get(type)?.delete(listener);
  }
  get listenerCount(): number {
    return [...this.listeners.values()].reduce((n, set) => n + set.size, 0);
  }
}

/** A client's auto-away handle over a fake page, and what it did: channels opened, messages posted, hooks called. */
function handle() {
  const document = new FakeDocument();
  const opened: string[] = [];
  const posted: unknown[] = [];
  const channel = (name: string): AwayChannel => {
    opened.push(name);
    return { postMessage: (m) => posted.push(m), addEventListener: () => undefined, close: () => undefined };
  };
  const inactive = vi.fn<(inactive: boolean) => void>();
  const away = deferAutoAway({ hiddenMs: 0, environment: { document, channel } }, { inactive, _chosenElsewhere: () => undefined });
  return { away: away!, document, opened, posted, inactive };
}

describe('auto-away, loaded when the user is first known', () => {
  it("watches nothing before `identify`; then loads, watches the page and joins the user's tabs once", async () => {
    const { away, document, opened } = handle();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(document.listenerCount).toBe(0);
    away.identify('https://chat.example', 'ana');
    away.identify('https://chat.example', 'ana');
    await vi.waitFor(() => expect(opened).toEqual(['chat-away:https://chat.example#ana']));
    expect(document.listenerCount).toBeGreaterThan(0);
  });

  it('a status chosen before it loaded is what it tells the other tabs', async () => {
    const { away, posted } = handle();
    away.chose('busy', 'En consulta');
    away.identify('https://chat.example', 'ana');
    await vi.waitFor(() =>
      expect(posted).toContainEqual(
        expect.objectContaining({ kind: 'state', chosen: expect.objectContaining({ status: 'busy', text: 'En consulta' }) }),
      ),
    );
  });

  it('stopped while loading, it never starts: no listener left, no channel opened', async () => {
    const { away, document, opened, inactive } = handle();
    away.identify('https://chat.example', 'ana');
    away.stop();
    // Long enough for the module to have loaded (it is imported already by the tests above).
    await import('./auto-away.js');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(document.listenerCount).toBe(0);
    expect(opened).toEqual([]);
    expect(inactive).not.toHaveBeenCalled();
  });

  it('is none when the option is `false`', () => {
    expect(deferAutoAway(false, { inactive: () => undefined, _chosenElsewhere: () => undefined })).toBeUndefined();
  });
});
