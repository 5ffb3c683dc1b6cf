import type { AuditEntry, MemberRole, UserRef } from '@chat/protocol';
import type { CapabilityContext } from '../capability-context.js';
import type { AuditPage, ReportPage } from '../../core/moderation-records.js';
import { moderate, ModerationVerb, setRole } from './actions.js';
import { auditLog, listReports, type LogPageOptions } from './audit-log.js';

/** What `chat.ban` and `chat.mute` take (`chat.kick`, `unban` and `unmute` take `reason` and `by`). */
export interface ModerationOptions {
  /** When the ban or mute ends (ISO 8601 or a Date, in the future, at most ten years away); absent: until lifted. */
  until?: string | Date;
  /** Why: shown to the user (kick, ban) and kept in the audit log. */
  reason?: string;
  /** Who the audit log names (a moderator your own tool acts for). @default { id: 'server', name: 'Server' } */
  by?: UserRef;
}

/**
 * The server API of moderation, as `ChatServer` offers it: the host's code is trusted (no rank
 * check), every action is checked for shape and kept in the audit log.
 */
export class ModerationApi {
  constructor(
    private readonly ctx: CapabilityContext,
    private readonly ready: () => Promise<void>,
  ) {}

  async act(verb: ModerationVerb, roomId: string, userId: string, options: ModerationOptions = {}): Promise<AuditEntry> {
    await this.ready();
    const { by, ...rest } = options;
    return moderate(this.ctx, verb, { roomId, userId, ...rest }, by ? { by } : {});
  }

  async setRole(roomId: string, userId: string, role: MemberRole, options: { by?: UserRef } = {}): Promise<AuditEntry> {
    await this.ready();
    return setRole(this.ctx, roomId, userId, role, options.by ? { by: options.by } : {});
  }

  async auditLog(roomId: string, options: LogPageOptions = {}): Promise<AuditPage> {
    await this.ready();
    return auditLog(this.ctx, roomId, options, {});
  }

  async reports(roomId: string, options: LogPageOptions = {}): Promise<ReportPage> {
    await this.ready();
    return listReports(this.ctx, roomId, options, {});
  }
}

export { ModerationVerb };
