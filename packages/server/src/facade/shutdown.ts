// Closing a chat server: its sockets first, then what they used, in an order that lets the last announcements go out.
import type { ChatCluster } from '../cluster/chat-cluster.js';
import type { ChatStore } from '../core/chat-store.js';
import type { CapabilityContext } from '../capabilities/capability-context.js';
import type { ChatIO } from '../options.js';
import { closeContext, type ClosingParts } from './context.js';
import type { connectionHandler } from './socket-server.js';

/** What `chat.close()` stops. */
export interface ShutdownParts extends ClosingParts {
  ctx: CapabilityContext;
  /** The namespace's `connection` listener. */
  onConnection: ReturnType<typeof connectionHandler>;
  cluster: ChatCluster | undefined;
  bots: { close(): Promise<void> };
  /** The Socket.IO server and its detach, when the chat server made them (a host's `io` stays open). */
  ownIo: { io: ChatIO; detach: (() => void) | undefined } | undefined;
  /** The store, when the chat server made it (a host's store stays open). */
  ownStore: ChatStore | undefined;
  uploads: { close(): Promise<void> } | undefined;
  budgets: { close(): void };
  /** Closed last: the leaves of the sockets disconnected above are queued by then. */
  webhooks: { close(): void } | undefined;
}

/** Disconnects the chat's sockets and stops its parts and timers; the host's HTTP server stays open. */
export async function shutdown(parts: ShutdownParts): Promise<void> {
  const { ctx, cluster } = parts;
  const nsp = ctx.nsp;
  nsp.off('connection', parts.onConnection);
  // local: with a cluster adapter, the plain form would disconnect every process's sockets.
  nsp.local.disconnectSockets(true);
  // No more clearing of dead processes here: what it clears must still be announced.
  await cluster?.stopping?.();
  await parts.bots.close();
  // Let the removals of those sockets finish and their `left` deltas go out (other
  // processes' clients would otherwise keep them as members).
  await closeContext(ctx, { calls: parts.calls, moderationHub: parts.moderationHub });
  if (parts.ownIo) {
    parts.ownIo.io.engine?.close();
    parts.ownIo.detach?.();
  }
  await parts.ownStore?.close();
  await cluster?.close();
  await parts.uploads?.close();
  parts.budgets.close();
  parts.webhooks?.close();
}
