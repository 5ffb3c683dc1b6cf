// A part of the widget that is a file of its own (chat-room.<name>.js next to chat-room.min.js),
// fetched the first time it is used: what a page loads up front is what every visitor needs.
import { ChatError } from '@chat/client';

/** What a lazy part tells the element it belongs to. */
export interface LazyPartHost {
  /** The part has loaded: draw again. */
  requestUpdate(): void;
  /** It could not be loaded (fires `chat-error`). */
  fail(error: ChatError): void;
}

/**
 * Loads a module once, on the first `load()`, and keeps it. A failed load is reported once, with
 * the file to serve, and tried again on the next `load()` (the next click).
 */
export class LazyPart<M> {
  #module: M | undefined;
  #loading: Promise<M | undefined> | undefined;

  /**
   * @param what - What could not be loaded, for the error ("Sending files").
   * @param file - The file it is, next to chat-room.min.js ("chat-room.uploads.js").
   */
  constructor(
    private readonly host: LazyPartHost,
    private readonly importer: () => Promise<M>,
    private readonly what: string,
    private readonly file: string,
  ) {}

  /** The module, once loaded. */
  get module(): M | undefined {
    return this.#module;
  }

  /** The module, loaded now if it was not. */
  load(): Promise<M | undefined> {
    this.#loading ??= this.importer().then(
      (module) => {
        this.#module = module;
        this.host.requestUpdate();
        return module;
      },
      (error: unknown) => {
        this.#loading = undefined;
        const message = `${this.what} could not be loaded (${this.file} must be served next to chat-room.min.js).`;
        this.host.fail(new ChatError('INTERNAL', message, { cause: error }));
        return undefined;
      },
    );
    return this.#loading;
  }

  /** Runs `action` with the module, loading it first if needed. */
  use(action: (module: M) => void): void {
    const ready = this.#module;
    if (ready) action(ready);
    else void this.load().then((module) => module && action(module));
  }
}
