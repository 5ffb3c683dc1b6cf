// The context the capabilities work with: the kernel's, and the ports one capability reaches
// another through (the facade builds one object of both). The kernel sees only its own part.
import type { CollapseClaims } from '../core/collapse-claims.js';
import type { MessagePort, WriteGuard } from '../core/message-ports.js';
import type { AwayLookup, Notify } from '../core/notify.js';
import type { CallsPort, FilesPort, ModerationPort, ReactionsPort, ReadsPort, TypingPort } from '../core/ports.js';
import type { ServerContext } from '../kernel/context.js';

/** The kernel's context with the capabilities' ports. */
export interface CapabilityContext extends ServerContext {
  typing: TypingPort;
  /** Sends reaction updates, coalesced per message. */
  reactions: ReactionsPort;
  /** Sends read receipts, coalesced per reader and room. */
  reads: ReadsPort;
  /** The uploads' storage (the `uploads` option): a stored message's files are marked sent. */
  files: FilesPort;
  /** Calls (the `calls` option): their handlers, a room's calls, hang-ups of sockets that go. */
  calls: CallsPort;
  /** Who hears of a stored message while away (the `notify` hook, push): one lookup per message. */
  away: AwayLookup;
  /** The host's `notify` option. */
  notify: Notify | undefined;
  /** A user's status changed in the registry: every room the user is in, on every process, hears of it. */
  userStatusChanged(userId: string): void;
  /** Push collapse windows shared by the cluster's processes (in Redis); absent without a cluster (each process collapses alone). */
  collapse?: CollapseClaims;
  /** The message path (capabilities/messages): every post and change of a message. */
  messages: MessagePort;
  /** Moderation's checks (capabilities/moderation): bans, mutes, frozen rooms, slow mode. */
  guard: WriteGuard;
  /** Standings (roles, bans, mutes) cached per room, the signals that keep them right on every process, slow mode. */
  moderation: ModerationPort;
}
