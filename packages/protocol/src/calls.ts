import type { UserRef } from './user.js';

/** What a call carries. */
export const CallKind = {
  AUDIO: 'audio',
  VIDEO: 'video',
} as const;
export type CallKind = (typeof CallKind)[keyof typeof CallKind];

/** A call in a room, as every member of the room and every invited user's sockets see it (server event `call`). */
export interface Call {
  id: string;
  roomId: string;
  kind: CallKind;
  startedBy: UserRef;
  /** Who is in the call now (media flows between them). */
  participants: UserRef[];
  /** Invited, not yet answered: their devices ring. */
  ringing: UserRef[];
  /** ISO 8601. */
  startedAt: string;
  /** ISO 8601; set once the call has ended (the last `call` event of a call has it). */
  endedAt?: string;
  /**
   * Grows by one with each change of the call. Events of one call sent by different server
   * processes may arrive out of order: of two states of a call, keep the one with the higher version.
   */
  version: number;
}

/** An ICE server for `RTCPeerConnection` (the server's `calls.iceServers`). */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** What travels in `call:signal`: a session description (offer or answer) or an ICE candidate. */
export type CallSignalData =
  | { description: { type: 'offer' | 'answer'; sdp: string } }
  | { candidate: { candidate: string; sdpMid?: string | null; sdpMLineIndex?: number | null; usernameFragment?: string | null } };

/** `call:start`: starts a call in a joined room, ringing the invited members (all other members of a direct room when absent). */
export interface CallStartPayload {
  roomId: string;
  kind: CallKind;
  /** User ids to ring; members of the room. */
  invite?: string[];
}
/** `call:join`, `call:decline`, `call:leave`. */
export interface CallIdPayload {
  callId: string;
}
/** The answer to `call:start` and `call:join` (and `call:decline`, `call:leave`, without `iceServers`). */
export interface CallResult {
  call: Call;
  /** For `RTCPeerConnection({ iceServers })`: from the server's options, per user. */
  iceServers?: IceServer[];
}
/** `call:signal`: delivered only to the sockets of `to`, a participant of the same call; never stored. */
export interface CallSignalPayload {
  callId: string;
  /** The participant's user id. */
  to: string;
  data: CallSignalData;
}
/** Server -> client `call:signal`. */
export interface CallSignalEvent {
  callId: string;
  from: string;
  data: CallSignalData;
}

/** A line the server puts in a room's history for something that happened (not typed by a person). */
export type SystemNote =
  | { type: 'call:started'; callId: string; kind: CallKind }
  | {
      type: 'call:ended';
      callId: string;
      kind: CallKind;
      /** From the moment a second person joined to the end; 0 for a missed call. */
      durationMs: number;
      /** Set when nobody answered (or the caller hung up first): "Missed video call". */
      missed?: true;
    };
