import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AutoAway, type AwayChannel, type AwayDocument, type AwayEnvironment } from './auto-away.js';

/** A document whose visibility the test sets, and whose listeners it can count. */
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
  fire(type: string): void {
    for (const listener of this.listeners.get(type) ?? []) listener();
  }
  setVisibility(state: 'visible' | 'hidden'): void {
    this.visibilityState = state;
    this.fire('visibilitychange');
  }
  get listenerCount(): number {
    return [...this.listeners.values()].reduce((n, set) => n + set.size, 0);
  }
}

/** BroadcastChannels of one browser: a message reaches every other open channel of the same name, asynchronously. */
class FakeBroadcast {
  readonly #channels = new Set<{ name: string; listeners: Array<(event: { data: unknown }) => void>; closed: boolean }>();
  /** Cuts the channel opened last without a word, as a crashed tab's goes silent. */
  cutLast: () => void = () => undefined;

  open = (name: string): AwayChannel => {
    const channel = { name, listeners: [] as Array<(event: { data: unknown }) => void>, closed: false };
    this.#channels.add(channel);
    this.cutLast = () => {
      channel.closed = true;
      this.#channels.delete(channel);
    };
    return {
      postMessage: (message) => {
        if (channel.closed) throw new Error('closed');
        const data = structuredClone(message);
        for (const other of this.#channels) {
          if (other === channel || other.closed || other.name !== name) continue;
          queueMicrotask(() => {
            if (!other.closed) for (const listener of other.listeners) listener({ data });
          });
        }
      },
      addEventListener: (_type, listener) => channel.listeners.push(listener),
      close: () => {
        channel.closed = true;
        this.#channels.delete(channel);
      },
    };
  };
}

/** One tab: its document, its auto-away and what it told its owner. */
function tab(broadcast: FakeBroadcast | undefined, options: { idleMs?: number; hiddenMs?: number } = {}) {
  const document = new FakeDocument();
  const window = new FakeDocument();
  const told: boolean[] = [];
  const chosen: Array<[string, string | undefined]> = [];
  const env: AwayEnvironment = { document, window, ...(broadcast && { channel: broadcast.open }) };
  const away = new AutoAway(
    env,
    { idleMs: 60_000, hiddenMs: 10_000, ...options },
    {
      inactive: (inactive) => told.push(inactive),
      _chosenElsewhere: (status, text) => chosen.push([status, text]),
    },
  );
  stops.push(() => away.stop());
  return { document, window, away, told, chosen };
}

const stops: Array<() => void> = [];
const SERVER = 'http://chat.example/';

// Lets the fake channels deliver what was posted (microtasks), without moving the clock.
async function deliver(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  while (stops.length > 0) stops.pop()?.();
  vi.useRealTimers();
});

describe('auto-away in one tab', () => {
  it('goes inactive after idleMs without input, and active again at the next input', () => {
    const { document, told, away } = tab(undefined);
    vi.advanceTimersByTime(59_000);
    document.fire('pointermove'); // input postpones it
    vi.advanceTimersByTime(59_000);
    expect(told).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(told).toEqual([true]);
    expect(away.inactive).toBe(true);
    document.fire('keydown');
    expect(told).toEqual([true, false]);
    // And idle again a full idleMs after that input, not before.
    vi.advanceTimersByTime(59_999);
    expect(told).toEqual([true, false]);
    vi.advanceTimersByTime(1);
    expect(told).toEqual([true, false, true]);
  });

  it('goes inactive once hidden for hiddenMs (a quick look at another tab is not away), active when shown again', () => {
    const { document, told } = tab(undefined);
    document.setVisibility('hidden');
    vi.advanceTimersByTime(5_000);
    document.setVisibility('visible');
    document.setVisibility('hidden');
    vi.advanceTimersByTime(9_999);
    expect(told).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(told).toEqual([true]);
    document.setVisibility('visible');
    expect(told).toEqual([true, false]);
  });

  it('a tab opened hidden is inactive after hiddenMs', () => {
    const document = new FakeDocument();
    document.visibilityState = 'hidden';
    const told: boolean[] = [];
    const away = new AutoAway(
      { document },
      { idleMs: 60_000, hiddenMs: 10_000 },
      { inactive: (i) => told.push(i), _chosenElsewhere: () => undefined },
    );
    stops.push(() => away.stop());
    vi.advanceTimersByTime(10_000);
    expect(told).toEqual([true]);
  });

  it('stop() removes every listener and timer', () => {
    const { document, window, away, told } = tab(undefined);
    expect(document.listenerCount).toBeGreaterThan(0);
    away.stop();
    expect(document.listenerCount).toBe(0);
    expect(window.listenerCount).toBe(0);
    vi.advanceTimersByTime(600_000);
    expect(told).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('auto-away across the tabs of one user', () => {
  it('the user is inactive only when every tab is; each tab says so', async () => {
    const broadcast = new FakeBroadcast();
    const a = tab(broadcast);
    const b = tab(broadcast);
    a.away.identify(SERVER, 'ana');
    b.away.identify(SERVER, 'ana');
    await deliver();

    // A is hidden long enough, B is in use: nobody is away.
    a.document.setVisibility('hidden');
    vi.advanceTimersByTime(10_000);
    await deliver();
    expect(a.told).toEqual([]);
    expect(b.told).toEqual([]);

    // B goes idle too: both tabs see the user inactive.
    vi.advanceTimersByTime(50_000);
    await deliver();
    expect(b.told).toEqual([true]);
    expect(a.told).toEqual([true]);

    // Back in A: both see the user active again.
    a.document.setVisibility('visible');
    await deliver();
    expect(a.told).toEqual([true, false]);
    expect(b.told).toEqual([true, false]);
  });

  it('tabs of another user, or of another server, do not count', async () => {
    const broadcast = new FakeBroadcast();
    const ana = tab(broadcast);
    const luis = tab(broadcast);
    const elsewhere = tab(broadcast);
    ana.away.identify(SERVER, 'ana');
    luis.away.identify(SERVER, 'luis');
    elsewhere.away.identify('http://other.example/', 'ana');
    await deliver();
    ana.document.setVisibility('hidden');
    vi.advanceTimersByTime(10_000);
    await deliver();
    expect(ana.told).toEqual([true]);
  });

  it('a tab not yet identified decides alone', async () => {
    const broadcast = new FakeBroadcast();
    const a = tab(broadcast);
    const b = tab(broadcast);
    b.away.identify(SERVER, 'ana');
    await deliver();
    a.document.setVisibility('hidden');
    vi.advanceTimersByTime(10_000);
    await deliver();
    expect(a.told).toEqual([true]);
    expect(b.told).toEqual([]);
  });

  it('a closed tab says goodbye; a crashed one is forgotten after a few missed heartbeats', async () => {
    const broadcast = new FakeBroadcast();
    const a = tab(broadcast);
    const closing = tab(broadcast);
    a.away.identify(SERVER, 'ana');
    closing.away.identify(SERVER, 'ana');
    await deliver();
    a.document.setVisibility('hidden');
    vi.advanceTimersByTime(10_000);
    await deliver();
    expect(a.told).toEqual([]); // the other tab is in use
    closing.window.fire('pagehide');
    closing.away.stop();
    await deliver();
    expect(a.told).toEqual([true]);

    // A tab that stops talking without a goodbye (its process was killed).
    const b = tab(broadcast);
    const crashed = tab(broadcast);
    b.away.identify(SERVER, 'eva');
    crashed.away.identify(SERVER, 'eva');
    const crash = broadcast.cutLast;
    await deliver();
    b.document.setVisibility('hidden');
    vi.advanceTimersByTime(10_000);
    await deliver();
    expect(b.told).toEqual([]);
    crash();
    // Heartbeats every 30 s (idleMs / 2); forgotten after three missed.
    for (let i = 0; i < 4 && b.told.length === 0; i++) {
      vi.advanceTimersByTime(30_000);
      await deliver();
    }
    expect(b.told).toEqual([true]);
  });

  it('a status chosen in one tab reaches the others, and a tab opened later learns it', async () => {
    const broadcast = new FakeBroadcast();
    const a = tab(broadcast);
    const b = tab(broadcast);
    a.away.identify(SERVER, 'ana');
    b.away.identify(SERVER, 'ana');
    await deliver();
    a.away.chose('busy', 'In a consultation');
    await deliver();
    expect(b.chosen).toEqual([['busy', 'In a consultation']]);
    expect(a.chosen).toEqual([]);

    const later = tab(broadcast);
    later.away.identify(SERVER, 'ana');
    await deliver();
    expect(later.chosen.at(-1)).toEqual(['busy', 'In a consultation']);

    // The latest choice wins: an older one heard later is ignored.
    vi.advanceTimersByTime(1_000);
    b.away.chose('online', undefined);
    await deliver();
    expect(a.chosen).toEqual([['online', undefined]]);
    expect(later.chosen.at(-1)).toEqual(['online', undefined]);
  });

  it('ignores messages that are not its own kind', async () => {
    const broadcast = new FakeBroadcast();
    const a = tab(broadcast);
    a.away.identify(SERVER, 'ana');
    const stranger = broadcast.open(`chat-away:${SERVER}#ana`);
    stranger.postMessage('hello');
    stranger.postMessage({ kind: 'state', tab: 7, active: true });
    stranger.postMessage({ kind: 'chose', tab: 'x', chosen: { status: 'sleeping', at: Date.now() + 1 } });
    await deliver();
    a.document.setVisibility('hidden');
    vi.advanceTimersByTime(10_000);
    await deliver();
    expect(a.told).toEqual([true]);
    expect(a.chosen).toEqual([]);
    stranger.close();
  });
});
