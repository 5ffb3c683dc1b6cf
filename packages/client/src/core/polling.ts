// HTTP long-polling, and WebTransport: the transports a client loads only when it needs them
// (core/transports.ts), so that a page whose WebSocket opens never fetches them.
import { NodeWebSocket, NodeXHR, WebTransport, type ManagerOptions } from 'socket.io-client';
import type { ChatSocket } from './transport.js';

/** A transport as socket.io-client takes it (engine.io-client's `TransportCtor`). */
type TransportClass = Exclude<NonNullable<ManagerOptions['transports']>[number], string>;

// `NodeXHR` and `NodeWebSocket` are socket.io-client's own defaults: Node's in Node, the
// browser's XMLHttpRequest and WebSocket in a browser build (engine.io-client's `browser` map).
const BY_NAME: Record<string, TransportClass> = { polling: NodeXHR, websocket: NodeWebSocket, webtransport: WebTransport };

/** Long-polling first, upgraded to WebSocket where it can be: socket.io-client's default order. */
export function withPolling(): TransportClass[] {
  return [NodeXHR, NodeWebSocket];
}

/** Gives the socket the transports `names` lists (known names: core/transports.ts checked), in that order, and connects it if `connect`. */
export function connectNamed(socket: ChatSocket, names: string[], connect: boolean): void {
  socket.io.opts.transports = names.map((name) => BY_NAME[name] as TransportClass);
  if (connect) socket.connect();
}
