import { builtInError, ClientEvent, type ChatError } from '@chat/protocol';
import type { ServerContext } from '../context.js';

// The admission of a socket's requests, before any handler runs: the ack, the user's budget.

// The user's budget, shared by all of the user's sockets: requests in flight, then the event
// rate. Leaving a joined room is always allowed, even with the most requests in flight, so
// that a limited user can still get out (and the server does less afterwards, not more).
// Sends to a joined room have their own bucket (in the session's send); any other send (a room not
// joined, a malformed payload) is an event like the rest, or it would be free work.
export function admit(ctx: ServerContext, userId: string, rooms: ReadonlySet<string>, event: string, payload: unknown): () => void {
  const roomId = (payload as { roomId?: unknown } | null)?.roomId;
  const inRoom = typeof roomId === 'string' && rooms.has(roomId);
  if (event === ClientEvent.ROOM_LEAVE && inRoom) return () => undefined;
  const budget = ctx.budget(userId);
  // WebRTC signals come in bursts (ICE candidates at call setup) and cost one read each: they
  // have their own bucket and are not counted in flight (a burst would fill the slots).
  if (event === ClientEvent.CALL_SIGNAL) {
    const wait = budget.signals.take();
    if (wait > 0) throw builtInError('RATE_LIMITED', 'You are sending call signals too fast. Please slow down.', { retryAfter: wait });
    return () => undefined;
  }
  const done = budget.begin();
  if (event === ClientEvent.MESSAGE_SEND && inRoom) return done;
  const wait = budget.events.take();
  if (wait > 0) {
    done();
    throw builtInError('RATE_LIMITED', 'You are doing that too often. Please slow down.', { retryAfter: wait });
  }
  return done;
}

// Events refused before any handler (unknown, without an ack) cost an event too, or a flood
// of them would be work that no budget counts. Past the budget, only an ack is answered.
export function refused(ctx: ServerContext, userId: string, ack: ((response: unknown) => void) | undefined): boolean {
  const wait = ctx.budget(userId).events.take();
  if (wait === 0) return false;
  ack?.(errorResponse(builtInError('RATE_LIMITED', 'You are doing that too often. Please slow down.', { retryAfter: wait })));
  return true;
}

export function lastFunction(args: unknown[]): ((response: unknown) => void) | undefined {
  const last = args.at(-1);
  return typeof last === 'function' ? (last as (response: unknown) => void) : undefined;
}

export function errorResponse(error: ChatError): { ok: false; error: ReturnType<ChatError['toJSON']> } {
  return { ok: false, error: error.toJSON() };
}
