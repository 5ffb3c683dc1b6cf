import type { ChatStore } from '@chat/server';

/** Holds whatever awaits `wait()` while closed (a store or hook made slow on purpose). */
export class Gate {
  #opened: Promise<void> = Promise.resolve();
  #open: () => void = () => undefined;

  wait(): Promise<void> {
    return this.#opened;
  }

  close(): void {
    this.#opened = new Promise<void>((resolve) => (this.#open = resolve));
  }

  open(): void {
    this.#open();
    this.#opened = Promise.resolve();
  }
}

/**
 * Holds what each store's `changeMessage` answers until `count` changes are stored, then hands
 * them all back at once. Every change is written for real as it comes (concurrently, on the
 * store's own locks); only the answers wait, so the server sees the whole burst in one moment
 * whatever the load: a burst of reactions lands in one coalescing window even when a loaded
 * machine takes longer than a window to store it.
 */
export function answerChangesTogether(stores: ChatStore[], count: number): void {
  const gate = new Gate();
  gate.close();
  let stored = 0;
  for (const store of stores) {
    const change = store.changeMessage.bind(store);
    store.changeMessage = async (...args) => {
      try {
        return await change(...args);
      } finally {
        if (++stored === count) gate.open();
        await gate.wait();
      }
    };
  }
}
