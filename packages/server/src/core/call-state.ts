import { builtInError } from '@chat/protocol';
import type { Call, CallKind, UserRef } from '@chat/protocol';

/** A person in a call, and the one socket (on one process) their media and signals go to. */
export interface CallParticipant {
  user: UserRef;
  socketId: string;
  /** The server process that holds the socket ('local' without a cluster). */
  process: string;
  /** ISO 8601. */
  joinedAt: string;
}

/** A call as the server keeps it: the wire `Call` plus who was rung and the sockets of its participants. */
export interface CallState {
  id: string;
  roomId: string;
  kind: CallKind;
  startedBy: UserRef;
  /** ISO 8601. */
  startedAt: string;
  /** In join order. */
  participants: CallParticipant[];
  ringing: UserRef[];
  /** Every user ever rung: their other tabs hear the call's changes (to stop ringing). */
  invited: string[];
  /** ISO 8601: when a second person joined (a call never answered is a missed call). */
  answeredAt?: string;
  /** ISO 8601. */
  endedAt?: string;
  /** Grows by one with each change. */
  version: number;
}

/** What changed: the call after it, and whether this change ended it. */
export interface CallStep {
  state: CallState;
  ended: boolean;
}

/** The wire form of a call (no sockets, no processes). */
export function publicCall(state: CallState): Call {
  const call: Call = {
    id: state.id,
    roomId: state.roomId,
    kind: state.kind,
    startedBy: state.startedBy,
    participants: state.participants.map((p) => p.user),
    ringing: state.ringing,
    startedAt: state.startedAt,
    version: state.version,
  };
  if (state.endedAt !== undefined) call.endedAt = state.endedAt;
  return call;
}

/** A new call with its caller in it (from `socketId`) and `ring` ringing. */
export function newCall(input: { id: string; roomId: string; kind: CallKind; caller: CallParticipant; ring: UserRef[] }): CallState {
  return {
    id: input.id,
    roomId: input.roomId,
    kind: input.kind,
    startedBy: input.caller.user,
    startedAt: input.caller.joinedAt,
    participants: [input.caller],
    ringing: input.ring,
    invited: input.ring.map((u) => u.id),
    version: 1,
  };
}

/**
 * `call:join`: the user enters the call from this socket (stops ringing). Joining again from the
 * same socket changes nothing; from another socket of the user it is refused, since a person is
 * in a call from one place (their peers hold one connection to them).
 */
export function join(state: CallState, participant: CallParticipant, maxParticipants: number): CallStep | undefined {
  const userId = participant.user.id;
  const present = state.participants.find((p) => p.user.id === userId);
  if (present) {
    if (present.socketId === participant.socketId) return undefined;
    throw builtInError('FORBIDDEN', 'You are already in this call on another tab or device. Hang up there first.');
  }
  if (state.participants.length >= maxParticipants) {
    throw builtInError(
      'FORBIDDEN',
      `This call is full: a call can have at most ${maxParticipants} people, since each one sends media to every other. ` +
        'For bigger calls the host can put a media server behind the same signalling (docs/calls.md, "Bigger calls: an SFU").',
    );
  }
  const next = step(state, {
    participants: [...state.participants, participant],
    ringing: state.ringing.filter((u) => u.id !== userId),
  });
  if (next.answeredAt === undefined && userId !== state.startedBy.id) next.answeredAt = participant.joinedAt;
  return { state: next, ended: false };
}

/**
 * `call:decline`: a ringing user stops ringing. When nobody rings any more and at most one person
 * is in the call, it ends. A user who is not ringing (another tab declined already) changes nothing.
 */
export function decline(state: CallState, userId: string, now: string): CallStep | undefined {
  if (!state.ringing.some((u) => u.id === userId)) return undefined;
  return settle(step(state, { ringing: state.ringing.filter((u) => u.id !== userId) }), now);
}

/**
 * Hanging up (`call:leave`, the socket gone, the room left): the user leaves. A call left with at
 * most one person in it ends: hanging up ends a two-person call, and leaves bigger ones.
 * `socketId` limits it to the user's participation from that socket.
 */
export function leave(state: CallState, userId: string, now: string, socketId?: string): CallStep | undefined {
  const present = state.participants.find((p) => p.user.id === userId);
  if (!present || (socketId !== undefined && present.socketId !== socketId)) return undefined;
  const next = step(state, { participants: state.participants.filter((p) => p !== present) });
  return next.participants.length <= 1 ? end(next, now) : { state: next, ended: false };
}

/**
 * The ring timeout: whoever still rings is dropped (a missed call for them). A call that nobody
 * joined ends then, as missed.
 */
export function ringOut(state: CallState, now: string): CallStep | undefined {
  if (state.ringing.length === 0 && state.participants.length > 1) return undefined;
  return settle(step(state, { ringing: [] }), now);
}

/**
 * Participants whose server process died leave (the cluster found the process silent). The
 * same rule as hanging up applies: a call left with at most one person ends.
 */
export function dropProcesses(state: CallState, dead: ReadonlySet<string>, now: string): CallStep | undefined {
  if (dead.size === 0 || !state.participants.some((p) => dead.has(p.process))) return undefined;
  const next = step(state, { participants: state.participants.filter((p) => !dead.has(p.process)) });
  return next.participants.length <= 1 ? end(next, now) : { state: next, ended: false };
}

/** Ends the call now, whoever is in it (its room ended). */
export function end(state: CallState, now: string): CallStep {
  return { state: { ...step(state, { ringing: [] }), endedAt: now }, ended: true };
}

/** How long people talked: from the second person joining to the end (0 when nobody answered). */
export function talkedMs(state: CallState): number {
  if (state.answeredAt === undefined || state.endedAt === undefined) return 0;
  return Math.max(0, Date.parse(state.endedAt) - Date.parse(state.answeredAt));
}

// After ringing changed: nobody rings and at most one person is in: the call is over.
function settle(state: CallState, now: string): CallStep {
  return state.ringing.length === 0 && state.participants.length <= 1 ? end(state, now) : { state, ended: false };
}

function step(state: CallState, change: Partial<Pick<CallState, 'participants' | 'ringing'>>): CallState {
  return { ...state, ...change, version: state.version + 1 };
}
