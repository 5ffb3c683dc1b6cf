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
 * A socket on a connection socket.io-client shares with another client (the same server, another
 * namespace) keeps that connection's transports: it is only connected, unless `autoConnect` is false.
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
  const autoConnect = opts.autoConnect ?? true;
  const timeout = opts.timeout;
  const wire = (wiring: (socket: ChatSocket, host: TransportHost) => () => void) => (socket: ChatSocket, host: TransportHost) => {
    if (socket.io.opts === opts) return wiring(socket, host);
    if (autoConnect && !socket.active) socket.connect();
    return () => {};
  };
  if (given?.every((t) => t === 'websocket')) {
    opts.transports = given.map(() => NodeWebSocket);
    return wire(() => () => {});
  }
  if (given && typeof given[0] !== 'string') return wire(() => () => {});
  const unknown = given?.find((name) => !['polling', 'websocket', 'webtransport'].includes(name as string));
  if (unknown !== undefined)
    throw builtInError(
      'VALIDATION_FAILED',
      `socketOptions.transports names "${String(unknown)}": use "websocket", "polling" or "webtransport".`,
    );
  // Until the chunk is here, a socket that connects anyway (shared with another client) has a transport it knows.
  opts.transports = [NodeWebSocket];
  if (given) {
    opts.autoConnect = false;
    return wire((socket, host) => {
      let stopped = false;
      // A page on another origin does not wait long for the file: a request that never settles would hold the chat.
      const late = new Promise<never>((_, reject) => byOrigin && setTimeout(reject, WEBSOCKET_FALLBACK_MS));
      Promise.race([loadPolling(), late])
        .then((chunk) => stopped || chunk.connectNamed(socket, given as string[], autoConnect))
        .catch((error: unknown) => {
          if (!byOrigin) return host._error(unloaded(error));
          // Its files are not served to this page (no CORS headers, say): WebSocket, as a chat is better than none.
          if (autoConnect && !stopped) socket.connect();
        });
      return () => {
        stopped = true;
      };
    });
  }
  // socket.io-client's timeout (20 s, or none with `false`) comes back once a WebSocket opened or long-polling is first.
  opts.timeout = typeof timeout === 'number' ? Math.min(timeout, WEBSOCKET_FALLBACK_MS) : WEBSOCKET_FALLBACK_MS;
  return wire((socket, host) => fallBack(socket, host, timeout ?? 20_000));
}

function loadPolling(): Promise<typeof import('./polling.js')> {
  return import('./polling.js');
}

/**
 * WebSocket first: until one opens, a failed or slow try loads long-polling and puts it first.
 * Once one opened, a later failure is the network's or the server's: nothing changes. Where
 * long-polling cannot be loaded, that is said once, and WebSocket is tried on, with the full timeout.
 */
function fallBack(socket: ChatSocket, host: TransportHost, timeout: number | false): () => void {
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
        if (stopped) return;
        stop();
        host._error(unloaded(error));
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
