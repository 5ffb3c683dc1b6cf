import { toChatError, type SystemNote } from '@chat/protocol';
import type { CapabilityContext } from '../capability-context.js';
import { talkedMs, type CallState } from '../../core/call-state.js';

/** A line in the room's history: the note clients render, and an English text for the others. */
export interface CallLine {
  system: SystemNote;
  text: string;
}

/** "Ana started a video call". */
export function startedLine(state: CallState): CallLine {
  return {
    system: { type: 'call:started', callId: state.id, kind: state.kind },
    text: `${state.startedBy.name} started ${state.kind === 'video' ? 'a video' : 'an audio'} call`,
  };
}

/** "Call ended, 12 min", or "Missed video call" for a call nobody answered. */
export function endedLine(state: CallState): CallLine {
  const missed = state.answeredAt === undefined;
  const durationMs = talkedMs(state);
  const system: SystemNote = { type: 'call:ended', callId: state.id, kind: state.kind, durationMs };
  if (missed) system.missed = true;
  return { system, text: missed ? `Missed ${state.kind} call` : `Call ended, ${formatDuration(durationMs)}` };
}

/** "45 s", "12 min", "1 h 5 min". */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const rest = minutes % 60;
  return rest === 0 ? `${Math.floor(minutes / 60)} h` : `${Math.floor(minutes / 60)} h ${rest} min`;
}

/**
 * Appends the line through the one message path, as the caller: stored (in an ephemeral room
 * only broadcast), sent to the room, counted in unread and `room:activity` like any message.
 * Its clientId is derived from the call, so a line written twice (two processes racing) is
 * stored once. A failure is reported, never thrown: the call goes on without its line.
 */
export async function postCallLine(ctx: CapabilityContext, state: CallState, line: CallLine): Promise<void> {
  try {
    const room = await ctx.store.getRoom(state.roomId);
    if (!room) return;
    const clientId = `call:${state.id}:${line.system.type === 'call:started' ? 'started' : 'ended'}`;
    const chatContext = { user: state.startedBy, roomId: state.roomId, room };
    await ctx.messages.post(chatContext, clientId, { text: line.text, attachments: [], system: line.system });
  } catch (error) {
    ctx.report(toChatError(error), { event: 'call' });
  }
}
