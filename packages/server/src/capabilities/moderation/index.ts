// Moderation: kicks, bans, mutes, roles, frozen rooms and slow mode, reports and the audit log,
// over sockets and REST, and the checks (`WriteGuard`) every path that admits a member asks.
import type { Capability } from '../../core/capability.js';
import type { WriteGuard } from '../../core/message-ports.js';
import type { CapabilityContext } from '../capability-context.js';
import { checkJoin, checkNotBanned, checkWrite } from './checks.js';
import { auditDelete, roleForDelete, roleIn } from './message-moderation.js';
import { moderationHandlers } from './moderation-events.js';
import { inForce, isAdmin } from './roles.js';
import { isModerationRoute, moderationRoute } from './moderation-rest.js';

/** The moderation capability: its client events and REST routes (roles decide, as on sockets). */
export function moderationCapability(ctx: () => CapabilityContext): Capability {
  return {
    name: 'moderation',
    socketHandlers: (caller) => moderationHandlers(ctx(), caller),
    // The audit log, reports and moderation actions: `GET /rooms/:id/audit|reports`, `POST /rooms/:id/moderation/:action`.
    routes: ['GET', 'POST'].map((method) => ({
      prefix: 'rooms' as const,
      method,
      match: (segments: string[]) => isModerationRoute(method, segments),
      handle: (req) => moderationRoute(ctx(), req),
    })),
  };
}

/** Moderation's checks, as the socket session, REST and the other capabilities reach them (`ctx.guard`). */
export function writeGuard(ctx: () => CapabilityContext): WriteGuard {
  return {
    join: (room, user) => checkJoin(ctx(), room, user),
    notBanned: (room, user) => checkNotBanned(ctx(), room, user),
    bannedBy: (user, ban) => !isAdmin(user) && inForce(ban),
    write: (room, user, kind) => checkWrite(ctx(), room, user, kind),
    roleForDelete: (room, user, message) => roleForDelete(ctx(), room, user, message),
    roleIn: (room, user) => roleIn(ctx(), room, user),
    auditDelete: (message, actor) => auditDelete(ctx(), message, actor),
  };
}

export { ModerationHub } from './moderation-hub.js';
export { SERVER_ACTOR, auditRoomUpdate } from './actions.js';
export { ModerationApi, ModerationVerb } from './moderation-api.js';
export type { ModerationOptions } from './moderation-api.js';
export type { LogPageOptions } from './audit-log.js';
