import type { ChatError, RoomSummary } from '@chat/protocol';
import type { Call } from './calls/call.js';
import type { StatusChoice } from './conversations/user-status.js';
import type { E2eeKeyChange } from './e2ee/key-watch.js';

/** Connection states of a ChatClient. */
export const ConnectionState = {
  CONNECTING: 'connecting',
  CONNECTED: 'connected',
  /** The connection dropped; the client is trying again and will resync its rooms. */
  RECONNECTING: 'reconnecting',
  /** Closed by `close()` or refused by the server (see the `error` event). */
  DISCONNECTED: 'disconnected',
} as const;
export type ConnectionState = (typeof ConnectionState)[keyof typeof ConnectionState];

/** Events of a {@link ChatClient}. */
export interface ChatClientEvents {
  state: (state: ConnectionState) => void;
  /** A refused connection (`UNAUTHENTICATED`...) or a server error without a request to fail. */
  error: (error: ChatError) => void;
  /** Your conversations changed (counts, last message, order); only after `conversations()` was called once. */
  conversations: (list: RoomSummary[]) => void;
  /** The status others see of you changed (`setStatus`, auto-away). */
  status: (status: StatusChoice) => void;
  /** A call rings you, in any room (joined or not): `call.accept()` or `call.decline()`. */
  call: (call: Call) => void;
  /**
   * A member of one of your encrypted rooms has a device key this device had not seen for them
   * (a new device, or someone in between): compare fingerprints again (`client.e2ee.fingerprint`).
   */
  'e2ee:keychange': (change: E2eeKeyChange) => void;
  /**
   * This device was removed by its user (`client.e2ee.removeDevice` on another device, or the host's
   * `chat.removeDevice`), told live or learned from the server's refusal (`E2EE_DEVICE_REMOVED`),
   * or from the device's store at start. Once per client. The device's MLS state is wiped, it
   * stops its encrypted rooms' requests (`client.e2ee.removed` is true), and their messages come
   * as `undecryptable` (those it read before stay); plain rooms go on.
   */
  'e2ee:removed': (event: { deviceId: string }) => void;
}
