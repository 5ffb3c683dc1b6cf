import type { ChatSocket } from './transport.js';

/** What {@link whenConnected} needs of the client. */
export interface ConnectionWaitHost {
  readonly socket: ChatSocket;
  /** True once the client is closed for good (it will not connect again). */
  closed(): boolean;
  /** Calls `listener` when the client closes for good; returns the unsubscribe. */
  onClosed(listener: () => void): () => void;
  /** What a request waiting for the connection fails with once the client is closed. */
  refusal(): Error;
}

/** Resolves once the socket is connected (at once if it is); rejects if the client closes first. */
export function whenConnected(host: ConnectionWaitHost): Promise<void> {
  if (host.socket.connected) return Promise.resolve();
  if (host.closed()) return Promise.reject(host.refusal());
  return new Promise((resolve, reject) => {
    const stop = () => {
      host.socket.off('connect', onConnect);
      offClosed();
    };
    const onConnect = () => {
      stop();
      resolve();
    };
    const offClosed = host.onClosed(() => {
      stop();
      reject(host.refusal());
    });
    host.socket.on('connect', onConnect);
  });
}
