import { builtInError } from '@chat/protocol';
import type { ChatUser, IceServer } from '@chat/protocol';

/**
 * The ICE servers given to a user's `RTCPeerConnection`: a list, or a function of the user for
 * time-limited TURN credentials (called at each `call:start` and `call:join`).
 */
export type IceServersOption = IceServer[] | ((user: ChatUser) => IceServer[] | Promise<IceServer[]>);

/**
 * The `calls` option of `createChatServer`: audio and video calls between the members of a
 * room, signalled over the chat connection (media flows peer to peer). Without it, every call
 * event answers `FORBIDDEN`.
 * @example calls: { iceServers: [{ urls: 'stun:stun.example.com:3478' }] }
 */
export interface CallOptions {
  /**
   * STUN and TURN servers for the browsers, handed out in the answers to `call:start` and
   * `call:join`. A function of the user can mint short-lived TURN credentials (docs/calls.md).
   * @default []
   */
  iceServers?: IceServersOption;
  /** How long invited users' devices ring before the call counts as missed for them, in ms. @default 30000 */
  ringTimeoutMs?: number;
}

const ICE_SHAPE = 'calls.iceServers must be a list of { urls, username?, credential? } (urls a string or a list of strings).';

/** {@link CallOptions} checked, with defaults. */
export interface CallSettings {
  iceServers: IceServersOption;
  ringTimeoutMs: number;
}

/** Checks the option once, at `createChatServer`: a wrong one throws there, not at the first call. */
export function callSettings(options: CallOptions): CallSettings {
  const ringTimeoutMs = options.ringTimeoutMs ?? 30_000;
  if (!Number.isFinite(ringTimeoutMs) || ringTimeoutMs <= 0) {
    throw new TypeError('calls.ringTimeoutMs must be a positive number of milliseconds.');
  }
  const iceServers = options.iceServers ?? [];
  if (typeof iceServers !== 'function' && !validIceServers(iceServers)) throw new TypeError(ICE_SHAPE);
  return { iceServers, ringTimeoutMs };
}

/** The ICE servers for this user; a function that throws or answers nonsense fails the request with `INTERNAL`. */
export async function iceServersFor(settings: CallSettings, user: ChatUser): Promise<IceServer[]> {
  const { iceServers } = settings;
  if (typeof iceServers !== 'function') return iceServers;
  let servers: IceServer[];
  try {
    servers = await iceServers(user);
  } catch (error) {
    throw builtInError('INTERNAL', 'The server could not get the connection details for the call. Try again.', { cause: error });
  }
  if (!validIceServers(servers)) {
    throw builtInError('INTERNAL', 'The server could not get the connection details for the call. Try again.', {
      cause: new Error(`The calls.iceServers function answered something else. ${ICE_SHAPE}`),
    });
  }
  return servers;
}

function validIceServers(servers: unknown): servers is IceServer[] {
  return (
    Array.isArray(servers) &&
    servers.every((s: unknown) => {
      if (typeof s !== 'object' || s === null) return false;
      const { urls, username, credential } = s as Record<string, unknown>;
      const validUrls = typeof urls === 'string' || (Array.isArray(urls) && urls.length > 0 && urls.every((u) => typeof u === 'string'));
      return (
        validUrls &&
        (username === undefined || typeof username === 'string') &&
        (credential === undefined || typeof credential === 'string')
      );
    })
  );
}
