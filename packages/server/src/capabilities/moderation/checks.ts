import { builtInError, ChatError, type ChatUser, type Room } from '@chat/protocol';
import type { CapabilityContext } from '../capability-context.js';
import type { WriteKind } from '../../core/message-ports.js';
import { inForce, isAdmin, Rank, untilText, userRank } from './roles.js';

export type { WriteKind } from '../../core/message-ports.js';

const FROZEN: Record<WriteKind, string> = {
  send: 'This room is frozen: only moderators can write in it now.',
  edit: 'This room is frozen: messages cannot be edited now.',
  react: 'This room is frozen: reactions are off for now.',
  typing: 'This room is frozen: only moderators can write in it now.',
  call: 'This room is frozen: calls cannot be started or joined now.',
  command: 'This room is frozen: commands cannot be run now.',
};

/**
 * A join: `BANNED` (with `until`) for a user banned from the room. Read from the store, not the
 * cache: a ban made a moment ago on another process holds at once. Admins are never banned.
 */
export async function checkJoin(ctx: CapabilityContext, room: Room, user: ChatUser): Promise<void> {
  if (isAdmin(user)) return;
  const standing = await ctx.store.getStanding(room.id, user.id);
  if (inForce(standing?.ban)) throw banned(standing.ban);
}

/** A request about a room from someone not in it (REST, a change): `BANNED` for a user banned from it. */
export async function checkNotBanned(ctx: CapabilityContext, room: Room, user: ChatUser): Promise<void> {
  if (isAdmin(user)) return;
  const standing = await ctx.moderation.standings.of(room.id, user.id);
  if (inForce(standing?.ban)) throw banned(standing.ban);
}

/**
 * A member writing (a message, an edit, a reaction, a typing signal, a call's start): `BANNED`, `MUTED` (with
 * `until`), `FORBIDDEN` in a frozen room for everyone below moderator, and for messages slow mode
 * (`RATE_LIMITED` with `retryAfter`, one message per `slowModeMs` per member; moderators are
 * exempt). The host's own sends (`chat.sendMessage`) are not checked: the host is trusted.
 */
export async function checkWrite(ctx: CapabilityContext, room: Room, user: ChatUser, kind: WriteKind): Promise<void> {
  if (isAdmin(user)) return;
  const standing = await ctx.moderation.standings.of(room.id, user.id);
  if (inForce(standing?.ban)) throw banned(standing.ban);
  if (inForce(standing?.mute)) {
    const options = standing.mute.until === undefined ? {} : { until: standing.mute.until };
    const why = standing.mute.reason ? ` (${standing.mute.reason})` : '';
    throw builtInError(
      'MUTED',
      `You are muted in this room${untilText(standing.mute)}${why}: you can read but not write or react.`,
      options,
    );
  }
  const rank = userRank(room, user, standing);
  if (rank >= Rank.MODERATOR) return;
  if (room.options.frozen === true) throw builtInError('FORBIDDEN', FROZEN[kind]);
  const slowMs = room.options.slowModeMs ?? 0;
  if (kind === 'send' && slowMs > 0) {
    const wait = await ctx.moderation.rates.take(`slow:${room.id}:${user.id}`, 1, 1000 / slowMs);
    if (wait > 0) {
      throw builtInError('RATE_LIMITED', `Slow mode is on: one message every ${seconds(slowMs)}. You can send again in ${seconds(wait)}.`, {
        retryAfter: wait,
      });
    }
  }
}

function banned(ban: { until?: string }): ChatError {
  return builtInError('BANNED', `You are banned from this room${untilText(ban)}.`, ban.until === undefined ? {} : { until: ban.until });
}

function seconds(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return s === 1 ? '1 second' : `${s} seconds`;
}
