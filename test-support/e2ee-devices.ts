// Devices of encrypted rooms for tests: a raw socket in the room and its e2ee session (real MLS),
// recording every message the socket receives.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { ChatError, type E2eeKeysClaimResult, type Message } from '@chat/protocol';
import type { ChatServerOptions, ChatStore } from '@chat/server';
import { emitRequest } from '../packages/client/src/core/transport.js';
import { E2eeSession, type E2eeHost } from '../packages/client/src/e2ee/e2ee-session.js';
import { okData, rawSocket, request, sdkClient, startChat, type RawSocket, type TestChat } from './servers.js';
import { waitFor } from './wait.js';

/** Users are who their token says. */
export const byToken: ChatServerOptions['authenticate'] = ({ auth }) => {
  const id = String((auth as { token?: string }).token);
  return { id, name: id };
};

/** A started chat with a new encrypted room, and the store it was given. */
export interface EncryptedChat extends TestChat {
  store: ChatStore;
  roomId: string;
}

/**
 * A chat server on a store of `makeStore` (users are who their token says; `extra` adds or
 * overrides options), started by `start` (a server with uploads, ...), with a new encrypted room.
 */
export async function encryptedChat(
  makeStore: () => ChatStore,
  extra: ChatServerOptions = {},
  start: (options: ChatServerOptions) => Promise<TestChat> = startChat,
): Promise<EncryptedChat> {
  const store = makeStore();
  const started = await start({ authenticate: byToken, store, ...extra });
  const roomId = `clinic-${randomBytes(4).toString('hex')}`;
  await started.chat.createRoom({ id: roomId, options: { encrypted: true } });
  return { ...started, store, roomId };
}

/** A device of a user in an encrypted room. */
export interface Device {
  /** The device's socket now (`reconnect` gives it a new one). */
  socket: RawSocket;
  session: E2eeSession;
  userId: string;
  /** Every message the device's sockets received, as the server sent them. */
  received: Message[];
  /** Every `message:updated` the device's sockets received (edits, deletes, reactions). */
  updated: Message[];
  /** What the session reported (failed catch-ups, messages refused by a check). */
  reported: unknown[];
  /** The server's answers to the session's `e2ee:keys:claim`s, as it sent them. */
  claims: E2eeKeysClaimResult[];
  /** Server events the session listens to, to attach to a new socket. */
  listeners: Map<string, Set<(payload: never) => void>>;
}

/** A user's id in one test's room: a store shared by a file's tests keeps earlier users' devices. */
export const who = (name: string, roomId: string): string => `${name}.${roomId}`;

// A host on whatever socket the device has now: a device keeps its MLS state across reconnects.
function deviceHost(d: Device): E2eeHost {
  return {
    report: (error) => d.reported.push(error),
    request: async (event, payload) => {
      const answer = await emitRequest(d.socket, 10_000, event, payload);
      if (event === 'e2ee:keys:claim') d.claims.push(answer as E2eeKeysClaimResult);
      return answer;
    },
    listen: (event, handler) => {
      const set = d.listeners.get(event) ?? new Set();
      d.listeners.set(event, set);
      set.add(handler);
      untyped(d.socket).on(event, handler);
      return () => {
        set.delete(handler);
        untyped(d.socket).off(event, handler);
      };
    },
  };
}

// socket.io-client's typed `on` cannot follow a generic event name.
const untyped = (socket: RawSocket) => socket as unknown as { on(e: string, h: unknown): void; off(e: string, h: unknown): void };

/** A device of `who(name, roomId)` (or of `options.userId`) that joins the room and opens its group. */
export async function device(
  url: string,
  name: string,
  roomId: string,
  options: { userId?: string; deviceId?: string; identity?: string } = {},
): Promise<Device> {
  const userId = options.userId ?? who(name, roomId);
  const deviceId = options.deviceId ?? `phone-${randomBytes(4).toString('hex')}`;
  const d = { userId, received: [], updated: [], reported: [], claims: [], listeners: new Map() } as unknown as Device;
  d.socket = await rawSocket(url, { token: userId });
  d.socket.on('message', (m) => d.received.push(m));
  d.socket.on('message:updated', (m) => d.updated.push(m));
  d.session = new E2eeSession(deviceHost(d), options.identity ?? userId, deviceId);
  okData(await request(d.socket, 'room:join', { roomId }));
  await d.session.open(roomId);
  return d;
}

/** The device comes back on a new socket (to `url`), joins the room again and catches up with its MLS state. */
export async function reconnect(d: Device, url: string, roomId: string): Promise<void> {
  d.socket.disconnect();
  d.socket = await rawSocket(url, { token: d.userId });
  d.socket.on('message', (m) => d.received.push(m));
  d.socket.on('message:updated', (m) => d.updated.push(m));
  for (const [event, handlers] of d.listeners) for (const handler of handlers) untyped(d.socket).on(event, handler);
  okData(await request(d.socket, 'room:join', { roomId }));
  await d.session.open(roomId);
}

/** An MLS commit that changes no member (a key update) made by the device and taken by the server. */
export async function updateCommit(d: Device, roomId: string): Promise<void> {
  const group = d.session.group(roomId)!;
  const prepared = await group.prepareCommit({});
  okData(
    await request(d.socket, 'e2ee:commit', {
      roomId,
      deviceId: d.session.device.deviceId,
      epoch: prepared.epoch,
      commit: prepared.commit,
    }),
  );
  group.adopt(prepared.next);
}

/** Sends `text` encrypted from a device (catching up and encrypting again on `E2EE_STALE_EPOCH`). */
export async function sendSealed(from: Device, roomId: string, text: string): Promise<Message> {
  const clientId = randomBytes(8).toString('hex');
  return from.session.send(roomId, text, async (sealed) => {
    const answer = await request(from.socket, 'message:send', { roomId, clientId, ...sealed });
    if (!answer.ok) throw ChatError.fromData(answer.error);
    return answer.data.message;
  });
}

/**
 * Edits a message of the device's user encrypted, sealed as an edit of `sealedFor` (the message
 * itself unless a test replays it as another's), catching up on `E2EE_STALE_EPOCH`.
 */
export async function editSealed(from: Device, roomId: string, messageId: string, text: string, sealedFor = messageId): Promise<Message> {
  return from.session.send(
    roomId,
    text,
    async (sealed) => {
      const answer = await request(from.socket, 'message:edit', { roomId, messageId, ...sealed });
      if (!answer.ok) throw ChatError.fromData(answer.error);
      return answer.data.message;
    },
    sealedFor,
  );
}

/** The first `message:updated` of this message, edited, a device receives. */
export async function editReceivedBy(device: Device, id: string): Promise<Message> {
  return waitFor(() => {
    const found = device.updated.find((m) => m.id === id && m.editedAt !== undefined);
    expect(found).toBeDefined();
    return found!;
  });
}

/** The first message with this id a device receives. */
export async function receivedBy(device: Device, id: string): Promise<Message> {
  return waitFor(() => {
    const found = device.received.find((m) => m.id === id);
    expect(found).toBeDefined();
    return found!;
  });
}

/** Waits until the device is in the room's group. */
export const inGroup = (d: Device, roomId: string): Promise<void> => waitFor(() => expect(d.session.epoch(roomId)).toBeDefined());

/** Waits until every device is at the same epoch, and answers it. */
export async function sameEpoch(devices: readonly Device[], roomId: string): Promise<number> {
  return waitFor(() => {
    const epochs = new Set(devices.map((d) => d.session.epoch(roomId)));
    expect([...epochs]).toHaveLength(1);
    const [epoch] = epochs;
    expect(epoch).toBeDefined();
    return epoch!;
  });
}

/** The group's devices as the server says, by user id (sorted). */
export async function groupUsers(from: Device, roomId: string): Promise<string[]> {
  const state = okData(await request(from.socket, 'e2ee:sync', { roomId, deviceId: from.session.device.deviceId }));
  return state.devices.map((d) => d.userId).sort();
}

/** The group's devices as the server says, as `user/device` (sorted). */
export async function groupDeviceIds(from: Device, roomId: string): Promise<string[]> {
  const state = okData(await request(from.socket, 'e2ee:sync', { roomId, deviceId: from.session.device.deviceId }));
  return state.devices.map((d) => `${d.userId}/${d.deviceId}`).sort();
}

/** A device as `groupDeviceIds` names it. */
export const deviceName = (d: Device): string => `${d.userId}/${d.session.device.deviceId}`;

/** Ana and Bob on SDK clients with e2ee, in the encrypted room, each knowing the other's devices; `tag` makes their ids. */
export async function anaAndBob(url: string, roomId: string) {
  const tag = randomBytes(4).toString('hex');
  const ana = sdkClient(url, { auth: { token: `ana-${tag}` }, e2ee: {} });
  const bob = sdkClient(url, { auth: { token: `bob-${tag}` }, e2ee: {} });
  const anaRoom = await ana.join(roomId);
  const bobRoom = await bob.join(roomId);
  await waitFor(async () => expect(await ana.e2ee!.fingerprint(`bob-${tag}`)).toBeDefined());
  return { tag, ana, bob, anaRoom, bobRoom };
}
