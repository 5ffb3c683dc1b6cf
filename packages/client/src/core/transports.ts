// How a client reaches its server: over WebSocket, and over HTTP long-polling only where a
// WebSocket cannot open (a proxy that refuses or holds it). Long-polling is a chunk of its own
// (./polling.ts), loaded then: most pages never fetch it.
import { builtInError, type ChatError } from '@chat/protocol';
import { NodeWebSocket, type Manager, type ManagerOptions } from 'socket.io-client';
import type { ChatSocket } from './transport.js';

/**
 * How long the first WebSocket may take to open before long-polling is tried: a proxy that holds
 * WebSockets says nothing, so waiting for an error would mean socket.io's 20 s.
 */
const WEBSOCKET_FALLBACK_MS = 2500;

/** What {@link chooseTransports} tells its client. */
export interface TransportHost {
  /** Long-polling could not be loaded (its chunk is not served). */
  _error(error: ChatError): void;
}

/**
 * Sets `opts.transports` before the socket is made, and returns what wires it once it is (and
 * gives back a function that stops that):
 * - none given, on a page of another origin than the server (`crossOrigin`): as names
 *   `['polling', 'websocket']` are (below), or WebSocket alone where long-polling cannot be loaded
 *   (or takes longer than {@link WEBSOCKET_FALLBACK_MS} to);
 * - none given otherwise: WebSocket alone, and long-polling (then WebSocket as its upgrade) once a first
 *   WebSocket failed or took longer than {@link WEBSOCKET_FALLBACK_MS} to open;
 * - names given (`['polling', 'websocket']`): those, in that order; unless they are all
 *   `websocket`, the socket connects once the chunk is loaded (unless `autoConnect` is false);
 *   a name socket.io-client does not know throws `VALIDATION_FAILED`;
 * - classes given: those, as socket.io-client takes them.
 */
export function chooseTransports(
  opts: Partial<ManagerOptions>,
  crossOrigin: boolean,
): (socket: ChatSocket, host: TransportHost) => () => void {
  // A page on another origin than its server starts on long-polling, as socket.io-client does: a
  // browser checks such a page's requests against the server's CORS settings, not its WebSockets,
  // and a server that does not allow the page must not half work for it.
  const byOrigin = !opts.transports && crossOrigin;
  const given = opts.transports ?? (crossOrigin ? ['polling', 'websocket'] : undefined);
  const none = () => () => {};
  if (given?.every((t) => t === 'websocket')) {
    opts.transports = given.map(() => NodeWebSocket);
    return none;
  }
  if (given && typeof given[0] !== 'string') return none;
  const unknown = given?.find((name) => !['polling', 'websocket', 'webtransport'].includes(name as string));
  if (unknown !== undefined)
    throw builtInError(
      'VALIDATION_FAILED',
      `socketOptions.transports names "${String(unknown)}": use "websocket", "polling" or "webtransport".`,
    );
  if (given) {
    const autoConnect = opts.autoConnect ?? true;
    opts.autoConnect = false;
    return (socket, host) => {
      let stopped = false;
      // A page on another origin does not wait long for the file: a request that never settles would hold the chat.
      const late = new Promise<never>((_, reject) => byOrigin && setTimeout(reject, WEBSOCKET_FALLBACK_MS));
      Promise.race([loadPolling(), late])
        .then((chunk) => stopped || chunk.connectNamed(socket, given as string[], autoConnect))
        .catch((error: unknown) => {
          if (!byOrigin) return host._error(unloaded(error));
          // Its files are not served to this page (no CORS headers, say): WebSocket, as a chat is better than none.
          socket.io.opts.transports = [NodeWebSocket];
          if (autoConnect && !stopped) socket.connect();
        });
      return () => {
        stopped = true;
      };
    };
  }
  opts.transports = [NodeWebSocket];
  const timeout = opts.timeout ?? 20_000;
  opts.timeout = Math.min(timeout, WEBSOCKET_FALLBACK_MS);
  return (socket, host) => fallBack(socket, host, timeout);
}

function loadPolling(): Promise<typeof import('./polling.js')> {
  return import('./polling.js');
}

/**
 * WebSocket first: until one opens, a failed or slow try loads long-polling and puts it first.
 * Once one opened, a later failure is the network's or the server's: nothing changes.
 */
function fallBack(socket: ChatSocket, host: TransportHost, timeout: number): () => void {
  const manager: Manager = socket.io;
  let loading = false;
  let stopped = false;
  const stop = () => {
    stopped = true;
    manager.timeout(timeout);
    manager.off('open', stop);
    manager.off('error', failed);
  };
  const failed = () => {
    if (loading) return;
    loading = true;
    loadPolling().then(
      ({ withPolling }) => {
        if (stopped) return; // a WebSocket opened meanwhile, or the client closed
        stop();
        manager.opts.transports = withPolling();
        // socket.io tries again by itself, unless told not to: then one more try, on long-polling.
        if (!manager.reconnection() && socket.active && !socket.connected) socket.connect();
      },
      (error: unknown) => {
        loading = false; // the next failed try loads it again
        if (!stopped) host._error(unloaded(error));
      },
    );
  };
  manager.on('open', stop);
  manager.on('error', failed);
  return stop;
}

function unloaded(cause: unknown): ChatError {
  return builtInError('INTERNAL', 'Long-polling could not be loaded (the file of the client that has it was not served).', { cause });
}
