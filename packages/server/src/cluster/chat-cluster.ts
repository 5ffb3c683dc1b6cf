import type { Namespace } from 'socket.io';
import type { UserRef } from '@chat/protocol';
import type { PresenceRegistry } from '../core/presence-registry.js';
import type { TypingStore } from '../local/typing-store.js';
import type { EphemeralLog } from '../store/ephemeral-log.js';
import type { CallStore } from '../local/call-store.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import type { CollapseClaims } from '../core/collapse-claims.js';

/** What a cluster needs from the chat server it serves. */
export interface ClusterHost {
  nsp: Namespace;
  /** Users whose presence changed without a socket event here (state restored after an outage). */
  presenceChanged(roomId: string, userIds: string[]): void;
  /** Users gone everywhere with a dead process: they leave presence and the typing list. */
  usersGone(roomId: string, userIds: string[]): void;
  /** Users whose last socket anywhere was on a dead process: they are offline now (last seen). */
  usersOffline(users: UserRef[]): void;
  /** Reports a failure through `chat.on('error')`. */
  report(error: unknown, event: string): void;
  /**
   * The link to the other processes was lost and is back: signals they sent meanwhile (a room
   * ended or changed) may be lost, so the host checks its sockets' rooms against the store.
   */
  resync(): void;
}

/** The parts a cluster provides to one chat server. */
export interface ClusterParts {
  presence: PresenceRegistry;
  typing: TypingStore;
  ephemeral: EphemeralLog;
  /** Calls, one truth for every process. Without it, each process keeps its own calls (right for one process only). */
  calls?: CallStore;
  /** Rate limits shared by the processes (a user's message rate, slow mode); absent: each process counts alone. */
  rates?: RateLimiter;
  /** Push collapse windows shared by the processes (one push per user and room and window); absent: each process collapses alone. */
  collapse?: CollapseClaims;
}

/**
 * Scale-out across processes: a Socket.IO adapter for broadcasts plus shared presence, typing
 * and ephemeral seqs. `redisCluster()` from `@chat/server/redis` is the one built in.
 */
export interface ChatCluster {
  /** Connects; called once by `createChatServer` before the first connection is accepted. */
  init(host: ClusterHost): Promise<ClusterParts>;
  /** The Socket.IO adapter constructor to install (after `init`). */
  adapter(): unknown;
  /**
   * The server starts closing: stop work for other processes (clearing dead ones), and resolve
   * once what is under way has been handed to the host. Called before the server's presence
   * deltas close; `close()` follows.
   */
  stopping?(): Promise<void>;
  /** Stops heartbeats and closes what the cluster opened. */
  close(): Promise<void>;
}
