// The context the capabilities work with: the kernel's, and the ports one capability reaches
// another through (the facade builds one object of both). The kernel sees only its own part.
import type { MessagePort, WriteGuard } from '../core/message-ports.js';
import type { CallsPort, CommandList, FilesPort, ModerationPort, ReactionsPort, ReadsPort, TypingPort } from '../core/ports.js';
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
  /** The slash commands of this process (`chat.command`). */
  commands: CommandList;
  /** The message path (capabilities/messages): every post and change of a message. */
  messages: MessagePort;
  /** Moderation's checks (capabilities/moderation): bans, mutes, frozen rooms, slow mode. */
  guard: WriteGuard;
  /** Standings (roles, bans, mutes) cached per room, the signals that keep them right on every process, slow mode. */
  moderation: ModerationPort;
}
