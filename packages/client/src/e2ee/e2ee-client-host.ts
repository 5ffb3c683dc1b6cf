// What a client's end-to-end encryption needs of its ChatClient (the facade and the engine share it).
import type { ChatSocket, ServerLink } from '../core/transport.js';
import type { E2eeKeyChange } from './key-watch.js';

/** What a client's e2ee needs of its client. */
export interface E2eeClientHost {
  socket: ChatSocket;
  /** The client's requests (they wait for the connection). */
  request: ServerLink['request'];
  /** Work done in the background failed. */
  report(error: unknown): void;
  /** The server's URL (what the store keeps is kept per server and user). */
  server: string;
  keyChanged(change: E2eeKeyChange): void;
  /** This device was removed by its user (`e2ee:removed`): called once per client. */
  deviceRemoved(deviceId: string): void;
  /** The seq of the newest message the client has of a room (0: none): where a key change is placed. */
  newestSeq(roomId: string): number;
}
