import { builtInError, ChatError, type Call as CallData, type CallSignalEvent } from '@chat/protocol';
import type { Call } from './call.js';
import type { CallRegistry, CallRegistryHost, StartCallOptions } from './call-registry.js';

/** What the client's call router needs from it: what its calls need, and where a failed load is told. */
export interface CallRouterHost extends CallRegistryHost {
  /** The call code could not be loaded while calls were waiting for it (they are dropped). */
  failed(error: ChatError): void;
}

/** One thing the client told its calls while the call code was loading, to tell them once it has. */
type Held = (registry: CallRegistry) => void;

/**
 * The calls of a client, without their code: the call code (./call-registry.ts and what it
 * uses, WebRTC negotiation and media) is a chunk of its own, loaded with `import()` when the
 * first call comes (a `call` event, a join that lists a call going on, `room.startCall()`).
 * Until then a page that never sees a call never loads it. What comes while it loads is held
 * and handed over in order; `calls` lists nothing until it has loaded.
 */
export class CallRouter {
  readonly #host: CallRouterHost;
  #registry: CallRegistry | undefined;
  #loading: Promise<CallRegistry> | undefined;
  #held: Held[] = [];

  constructor(host: CallRouterHost) {
    this.#host = host;
  }

  /** The calls going on that this client knows (none before the call code loaded). */
  get calls(): Call[] {
    return this.#registry?.calls ?? [];
  }

  /** The calls going on in a room. */
  _inRoom(roomId: string): Call[] {
    return this.#registry?._inRoom(roomId) ?? [];
  }

  /** Starts a call in a joined room, loading the call code first if it has not loaded yet. */
  async start(roomId: string, options: StartCallOptions): Promise<Call> {
    const registry = this.#registry ?? (await this.#load());
    return registry.start(roomId, options);
  }

  /** The server's `call` event: loads the call code, unless the call is over already. */
  receive(data: CallData): void {
    if (this.#registry || this.#loading || data.endedAt === undefined) this.#tell((registry) => registry.receive(data));
  }

  /** The server's `call:signal` event: only for a call you are in, so never one before the code loaded. */
  signal(event: CallSignalEvent): void {
    this.#pass((registry) => registry.signal(event));
  }

  /** A room's join answer and the calls it listed: a call going on loads the call code. */
  _roomJoined(roomId: string, calls: readonly CallData[] | undefined): void {
    const tell: Held = (registry) => registry._roomJoined(roomId, calls);
    if (calls?.some((call) => call.endedAt === undefined)) this.#tell(tell);
    else this.#pass(tell);
  }

  /** The room was left, ended, or you were taken out of it. */
  _roomClosed(roomId: string): void {
    this.#pass((registry) => registry._roomClosed(roomId));
  }

  /** The connection dropped. */
  _connectionLost(): void {
    this.#pass((registry) => registry._connectionLost());
  }

  /** The client closes for good. */
  close(): void {
    this.#pass((registry) => registry.close());
  }

  // To the calls, loading their code if needed.
  #tell(held: Held): void {
    if (this.#registry) return held(this.#registry);
    this.#held.push(held);
    this.#load().catch(() => undefined); // told through `failed`
  }

  // To the calls if their code is here or on its way; nothing to tell otherwise (no call known).
  #pass(held: Held): void {
    if (this.#registry) held(this.#registry);
    else if (this.#loading) this.#held.push(held);
  }

  #load(): Promise<CallRegistry> {
    this.#loading ??= import('./call-registry.js').then(
      ({ CallRegistry }) => {
        const registry = new CallRegistry(this.#host);
        this.#registry = registry;
        this.#loading = undefined;
        const held = this.#held;
        this.#held = [];
        for (const tell of held) tell(registry);
        return registry;
      },
      (cause: unknown) => {
        // Tried again by the next call that comes (a chunk a network error kept away may load then).
        this.#loading = undefined;
        const dropped = this.#held.length > 0;
        this.#held = [];
        const error = builtInError('INTERNAL', 'The code for calls could not be loaded, so calls do not work on this page now.', {
          cause,
        });
        if (dropped) this.#host.failed(error);
        throw error;
      },
    );
    return this.#loading;
  }
}
