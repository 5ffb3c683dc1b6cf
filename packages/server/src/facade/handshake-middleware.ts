import { builtInError, ChatError, type ChatUser } from '@chat/protocol';
import type { DefaultEventsMap, Socket } from 'socket.io';
import type { ChatHandshake } from '../core/handshake.js';
import { checkClientFeatures } from '../kernel/connection/client-features.js';
import { checkUser } from '../auth/check-user.js';
import { comeOnline } from '../capabilities/conversations/index.js';
import type { UserBudgets } from '../limits/user-budgets.js';
import type { CapabilityContext } from '../capabilities/capability-context.js';

/** What the handshake middleware needs of the chat server. */
export interface HandshakeHost {
  ctx: CapabilityContext;
  budgets: UserBudgets;
  ready: Promise<void>;
  authenticate: (handshake: ChatHandshake) => ChatUser | Promise<ChatUser>;
  closed(): boolean;
}

/** What the handshake middleware leaves on the `data` of a socket it let in. */
export interface SignedInData {
  user: ChatUser;
  /** Gives the user's connection slot back (once). */
  releaseSlot: () => void;
  /** Takes the user offline for this socket; set once the user is online. */
  goOffline?: () => void;
}

/**
 * The namespace middleware that signs a socket in: once the server is ready, the client's
 * features, `authenticate`, the user's connection slot and the user online, before the socket
 * can do anything.
 */
export function handshakeMiddleware(
  host: HandshakeHost,
): (socket: Socket<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, SignedInData>, next: (error?: Error) => void) => void {
  const { ctx, budgets, authenticate } = host;
  return (socket, next) => {
    // When sharing `io`, a closed chat server must not keep refusing the host's sockets.
    if (host.closed()) return next();
    const { auth, headers, address } = socket.handshake;
    const handshake: ChatHandshake = { auth: auth ?? {}, headers, address };
    host.ready
      .then(() => {
        adoptCurrentAdapter(socket);
        checkClientFeatures(handshake.auth);
        return authenticate(handshake);
      })
      .then(async (user) => {
        const checked = checkUser(user);
        budgets.connect(checked.id);
        // Released once, when the socket goes, or when the connection closes before it
        // ever connected (a handshake that did not finish).
        let counted = true;
        const release = () => {
          if (counted) budgets.disconnect(checked.id);
          counted = false;
        };
        socket.conn.once('close', release);
        socket.data.releaseSlot = release;
        socket.data.user = checked;
        // Online (on any process) and remembered by the store before the socket can do anything;
        // offline again when it goes, or when the connection closes before it ever connected.
        const goOffline = await comeOnline(ctx, socket.id, checked);
        socket.data.goOffline = goOffline;
        if (socket.conn.readyState === 'open') socket.conn.once('close', goOffline);
        else goOffline();
        next();
      })
      .catch((error: unknown) => {
        const chatError = error instanceof ChatError ? error : builtInError('UNAUTHENTICATED', 'Sign-in failed.', { cause: error });
        if (!(error instanceof ChatError)) ctx.report(chatError, { event: 'connect' });
        next(Object.assign(new Error(chatError.message), { data: chatError.toJSON() }));
      });
  };
}

/**
 * A Socket.IO socket keeps the adapter its namespace had when the socket was made, before any
 * middleware ran. A socket that arrived while the cluster was starting (the app listened
 * before `chat.ready()`) would keep the in-memory adapter: its joins would go there and the
 * cluster's broadcasts would never reach it. It has joined nothing yet, so it can move over.
 */
function adoptCurrentAdapter(socket: { nsp: { adapter: unknown } }): void {
  const held = socket as unknown as { adapter: unknown };
  if (held.adapter !== socket.nsp.adapter) held.adapter = socket.nsp.adapter;
}
