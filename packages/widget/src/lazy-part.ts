// A part of the widget that is a file of its own (chat-room.<name>.js next to chat-room.min.js),
// fetched the first time it is used: what a page loads up front is what every visitor needs.
import { ChatError } from '@chat/client';

/** What a lazy part tells the element it belongs to. */
export interface LazyPartHost {
  /** The part has loaded: draw again. */
  requestUpdate(): void;
  /** It could not be loaded (fires `chat-error`, and shows why). */
  fail(error: ChatError): void;
  /** It loaded after all, on a later try: what `fail` showed can go. */
  recovered?(error: ChatError): void;
}

/** After a failed load, uses within this time do not fetch again (a list asked for at every key). */
const RETRY_AFTER_MS = 10_000;

/**
 * Loads a module once, on the first `load()`, and keeps it. A failed load is reported once, with
 * the file to serve; a use at least 10 s later tries again (the file may be served by then), and a
 * load that then works takes back what the failure showed.
 */
export class LazyPart<M> {
  #module: M | undefined;
  #loading: Promise<M | undefined> | undefined;
  /** The failure reported, until a load works. */
  #failure: ChatError | undefined;
  #failedAt = 0;

  readonly #host: LazyPartHost;
  readonly #importer: () => Promise<M>;
  readonly #what: string;
  readonly #file: string;

  /**
   * @param what - What could not be loaded, for the error ("Sending files").
   * @param file - The file it is, next to chat-room.min.js ("chat-room.uploads.js").
   */
  constructor(host: LazyPartHost, importer: () => Promise<M>, what: string, file: string) {
    this.#host = host;
    this.#importer = importer;
    this.#what = what;
    this.#file = file;
  }

  /** The module, once loaded. */
  get module(): M | undefined {
    return this.#module;
  }

  /** The module, loaded now if it was not (undefined if it cannot be, or failed less than 10 s ago). */
  load(): Promise<M | undefined> {
    if (!this.#loading && this.#failure && Date.now() - this.#failedAt < RETRY_AFTER_MS) return Promise.resolve(undefined);
    this.#loading ??= this.#importer().then(
      (module) => {
        this.#module = module;
        if (this.#failure) this.#host.recovered?.(this.#failure);
        this.#failure = undefined;
        this.#host.requestUpdate();
        return module;
      },
      (error: unknown) => {
        this.#loading = undefined;
        this.#failedAt = Date.now();
        if (!this.#failure) {
          const message = `${this.#what} could not be loaded (${this.#file} must be served next to chat-room.min.js).`;
          this.#failure = new ChatError('INTERNAL', message, { cause: error });
          this.#host.fail(this.#failure);
        }
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
