// Helpers of the calls tests (not part of the package build: only tests import it).
import type { Call, CallResult, CallSignalData, CallSignalEvent, Message } from '@chat/protocol';
import { okData, request, type RawSocket } from '../../../../../test-support/servers.js';

/** What one socket received of calls: every `call` state and every `call:signal`, in order. */
export interface CallLog {
  calls: Call[];
  signals: CallSignalEvent[];
  messages: Message[];
  /** The latest state seen of a call (by version). */
  latest(callId: string): Call | undefined;
}

/** Starts recording a socket's call events (and room messages, for the history lines). */
export function record(socket: RawSocket): CallLog {
  const log: CallLog = {
    calls: [],
    signals: [],
    messages: [],
    latest: (callId) =>
      log.calls.filter((c) => c.id === callId).reduce<Call | undefined>((a, c) => (a && a.version > c.version ? a : c), undefined),
  };
  socket.on('call', (call) => log.calls.push(call));
  socket.on('call:signal', (event) => log.signals.push(event));
  socket.on('message', (message) => log.messages.push(message));
  return log;
}

/** `call:start`; it must succeed. */
export async function startCall(
  socket: RawSocket,
  roomId: string,
  invite?: string[],
  kind: 'audio' | 'video' = 'video',
): Promise<CallResult> {
  return okData(await request(socket, 'call:start', { roomId, kind, ...(invite && { invite }) }));
}

/** `call:join`; it must succeed. */
export async function joinCall(socket: RawSocket, callId: string): Promise<CallResult> {
  return okData(await request(socket, 'call:join', { callId }));
}

/** An SDP offer of some length. */
export function offer(sdp = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n'): CallSignalData {
  return { description: { type: 'offer', sdp } };
}

/** An ICE candidate. */
export function candidate(n = 1): CallSignalData {
  return {
    candidate: { candidate: `candidate:${n} 1 udp 2122260223 192.168.1.${n} 5000${n % 10} typ host`, sdpMid: '0', sdpMLineIndex: 0 },
  };
}

/** User ids of a call's participants, in join order. */
export function ids(call: Call | undefined): string[] {
  return call?.participants.map((u) => u.id) ?? [];
}
