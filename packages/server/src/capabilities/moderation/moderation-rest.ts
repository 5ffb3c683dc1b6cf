import { builtInError, parsePayload, type ChatUser } from '@chat/protocol';
import { checkNotBanned } from './checks.js';
import { publicRoom } from '../../core/public-room.js';
import type { CapabilityContext } from '../capability-context.js';
import { moderate, moderateRoom, ModerationVerb, roomFor, setRole, type ModerationRequest } from './actions.js';
import { auditLog, listReports } from './audit-log.js';

/** What a moderation REST route needs of the request. */
export interface ModerationRestRequest {
  method: string;
  /** Path segments after the mount: `rooms`, the room id, then the route's own. */
  segments: string[];
  query: URLSearchParams;
  user: ChatUser;
  body: () => Promise<unknown>;
}

const VERBS = new Set<string>(Object.values(ModerationVerb));

/** Whether a REST path is one of moderation's: `/rooms/:id/audit`, `/rooms/:id/reports`, `/rooms/:id/moderation/:action`. */
export function isModerationRoute(method: string | undefined, s: string[]): boolean {
  if (method === 'GET') return s.length === 3 && (s[2] === 'audit' || s[2] === 'reports');
  return method === 'POST' && s.length === 4 && s[2] === 'moderation';
}

/**
 * The moderation routes (the caller's rank decides, as on sockets; the host's server code calls
 * them as a user with the `admin` role):
 * - `GET /rooms/:id/audit?limit&before` -> `{ entries, hasMore }`; `GET /rooms/:id/reports` -> `{ reports, hasMore }`
 * - `POST /rooms/:id/moderation/kick | ban | unban | mute | unmute` `{ userId, until?, reason? }` -> `{ entry }`
 * - `POST /rooms/:id/moderation/role` `{ userId, role }` -> `{ entry }`
 * - `POST /rooms/:id/moderation/room` `{ frozen?, slowModeMs? }` -> `{ room }`
 */
export async function moderationRoute(ctx: CapabilityContext, req: ModerationRestRequest): Promise<{ status: number; body: unknown }> {
  const roomId = parsePayload(ctx.schemas.roomId, req.segments[1]);
  // A user banned from the room is told so first, as on every other route of the room.
  await checkNotBanned(ctx, await roomFor(ctx, roomId), req.user);
  const what = req.segments[2] === 'moderation' ? (req.segments[3] as string) : (req.segments[2] as string);
  if (req.method === 'GET') {
    const options = {
      ...(req.query.has('limit') && { limit: limitParam(req.query.get('limit') as string) }),
      ...(req.query.get('before') && { before: req.query.get('before') as string }),
    };
    const reader = { user: req.user };
    const page = what === 'audit' ? await auditLog(ctx, roomId, options, reader) : await listReports(ctx, roomId, options, reader);
    return { status: 200, body: page };
  }
  const body = await req.body();
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw builtInError('VALIDATION_FAILED', 'The body must be a JSON object such as { "userId": "..." }.');
  }
  const fields = body as Record<string, unknown>;
  if (what === 'room') {
    const room = await moderateRoom(ctx, { ...fields, roomId }, req.user);
    return { status: 200, body: { room: publicRoom(room) } };
  }
  if (what === 'role') {
    const entry = await setRole(ctx, roomId, fields['userId'] as string, fields['role'] as never, { user: req.user });
    return { status: 200, body: { entry } };
  }
  if (!VERBS.has(what)) {
    throw builtInError('ROOM_NOT_FOUND', `There is no moderation action "${what}": use kick, ban, unban, mute, unmute, role or room.`);
  }
  const request = { roomId, userId: fields['userId'], until: fields['until'], reason: fields['reason'] } as ModerationRequest;
  const entry = await moderate(ctx, what as ModerationVerb, request, { user: req.user });
  return { status: 200, body: { entry } };
}

function limitParam(value: string): number {
  if (!/^\d{1,3}$/u.test(value)) throw builtInError('VALIDATION_FAILED', 'limit must be a whole number from 1 to 100.');
  return Number(value);
}
