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
