// The part of a client's end-to-end encryption that holds MLS (ts-mls): loaded by the first
// encrypted room, so that clients of plain rooms never load it. It turns a room's outgoing text
// into ciphertext and incoming ciphertext back into text.
import { builtInError, type Message, type MessageChangeResult, type MessageEditPayload, type MessageSendPayload } from '@chat/protocol';
import type { RequestEvent, RequestPayload, ResponseData, ServerLink } from '../core/transport.js';
import { uuid } from '../core/uuid.js';
import type { E2eeClientHost } from './e2ee-client-host.js';
import { deviceKeep, type DeviceKeep } from './device-keep.js';
import { holdSlot } from './device-slot.js';
import { openFile, uploadSealed } from './file-crypto.js';
import { E2eeSession } from './e2ee-session.js';
import { memoryE2eeStore, type E2eeDeviceStore } from './e2ee-store.js';
import { KeyChangeLog, type SeenKeyChange } from './key-watch.js';
import { fingerprintOf, parseIdentity } from './mls-device.js';
import { socketE2eeHost } from './socket-host.js';

/** One of a user's devices in this device's groups. */
export interface E2eeDeviceInfo {
  /** The device's id (its `client.e2ee.deviceId` on that device). */
  deviceId: string;
  /** SHA-256 of the device's signature key, as 16 groups of 4 hex digits. */
  fingerprint: string;
}

/** What `startEngine` takes of the client's `e2ee` option (`E2eeOptions`). */
interface EngineOptions {
  store?: E2eeDeviceStore;
  /** The clock that dates dead key packages. */
  now?: () => number;
}

/** Starts this user's device: its id and key packages come from `options.store` when an earlier session kept them. */
export async function startEngine(client: E2eeClientHost, options: EngineOptions, userId: string): Promise<E2eeEngine> {
  const { store = memoryE2eeStore(), now } = options;
  // A page of its own in a store the browser's pages share: a device of its own (device-slot.ts).
  const { slot, release } = await holdSlot(store, client.server, userId);
  try {
    return await deviceIn(client, deviceKeep(store, client.server, userId, slot), userId, now, release);
  } catch (error) {
    release();
    throw error;
  }
}

// The device kept in `keep` (a new one if none is), as an engine.
async function deviceIn(
  client: E2eeClientHost,
  keep: DeviceKeep,
  userId: string,
  now: (() => number) | undefined,
  release: () => void,
): Promise<E2eeEngine> {
  const report = (error: unknown) => client.report(error);
  const changes = new KeyChangeLog(keep);
  // Placed after the newest message the client has, kept with the device, then told.
  const keyChanged = (seen: SeenKeyChange) => {
    const change = { ...seen, afterSeq: client.newestSeq(seen.roomId) };
    void changes.add(change).then(() => client.keyChanged(change), report);
  };
  const removed = (id: string) => client.deviceRemoved(id);
  const host = { ...socketE2eeHost(client.socket, client.request, report), keyChanged, removed, now };
  let deviceId = await keep.get('device');
  if (deviceId === undefined) {
    deviceId = uuid();
    await keep.set('device', deviceId);
  }
  // Removed in an earlier session: it stays removed (its user removed it on purpose), asking nothing.
  const gone = (await keep.get('removed')) === deviceId;
  const session = new E2eeSession(host, userId, deviceId, keep, await keep.get('held'), gone);
  if (gone) removed(deviceId);
  return new E2eeEngine(session, changes, release);
}

/** A user's device in its encrypted rooms. */
export class E2eeEngine {
  readonly session: E2eeSession;
  /** The key changes this device saw, per room. */
  readonly changes: KeyChangeLog;

  readonly #release: () => void;

  constructor(session: E2eeSession, changes: KeyChangeLog, release: () => void = () => undefined) {
    this.session = session;
    this.changes = changes;
    this.#release = release;
  }

  /** Stops listening to the server and, once the work under way has written its state, lets the device's slot go. */
  close(): void {
    this.session.close();
    void this.session.settled().finally(this.#release);
  }

  get deviceId(): string {
    return this.session.device.deviceId;
  }

  /** An encrypted room's file, downloaded, checked and decrypted (in the engine's chunk: no chunk of its own). */
  readonly openFile = openFile;
  /** Encrypts a file for an encrypted room and uploads the ciphertext. */
  readonly uploadSealed = uploadSealed;

  /** Joins (or catches up with) the room's group. */
  open(roomId: string): Promise<void> {
    return this.session.open(roomId);
  }

  /** A `message:send` or `message:edit` of an encrypted room, encrypted; resolves with the stored message, its text shown. */
  async request<E extends RequestEvent>(event: E, payload: RequestPayload<E>, raw: ServerLink['request']): Promise<ResponseData<E>> {
    if (event === 'message:edit') {
      const post = (sealed: MessageEditPayload) => raw('message:edit', sealed);
      return (await this.edit(payload as MessageEditPayload, post)) as ResponseData<E>;
    }
    const post = (sealed: MessageSendPayload) => raw('message:send', sealed);
    return (await this.send(payload as MessageSendPayload, post)) as ResponseData<E>;
  }

  /** `message` and `messages` of an answer, read. */
  async readAnswer<T>(answer: T): Promise<T> {
    if (typeof answer !== 'object' || answer === null) return answer;
    const out: Record<string, unknown> = { ...(answer as Record<string, unknown>) };
    const { message, messages } = out as { message?: Message; messages?: Message[] };
    if (message?.ciphertext !== undefined) out.message = (await this.read([message]))[0];
    if (Array.isArray(messages)) out.messages = await this.read(messages);
    return out as T;
  }

  /** Sends `payload` encrypted through `post`; resolves with the stored message, its text shown. */
  async send(
    payload: MessageSendPayload,
    post: (payload: MessageSendPayload) => Promise<{ message: Message }>,
  ): Promise<{ message: Message }> {
    // The files (with their keys) go inside the ciphertext with the text: the server sees neither.
    const { text, attachments = [], ...rest } = payload;
    const content = { text, attachments };
    this.session.sending(payload.clientId, content);
    try {
      // The stored names of its files go in clear (never their keys, names or types): the server
      // keeps them as sent, and removes them with the message.
      const uploads = attachments.flatMap((a) => uploadName(a.url));
      const declared = uploads.length > 0 ? { uploads } : {};
      const answer = await this.session.send(payload.roomId, content, (sealed) => post({ ...rest, ...sealed, ...declared }));
      await this.session.sent(answer.message, content);
      return { ...answer, message: { ...answer.message, ...content } };
    } finally {
      this.session.sending(payload.clientId, undefined);
    }
  }

  /**
   * Sends an edit encrypted (sealed for its message, so that it cannot pass as another's) through
   * `post`; the message keeps its files. Resolves with the message after the edit, its text shown.
   */
  async edit(
    payload: MessageEditPayload,
    post: (payload: MessageEditPayload) => Promise<MessageChangeResult>,
  ): Promise<MessageChangeResult> {
    const { roomId, messageId, text } = payload;
    const before = await this.session.known(roomId, messageId);
    if (before === undefined) {
      throw builtInError('FORBIDDEN', 'This device cannot read this message (it was sent before the device joined), so it cannot edit it.');
    }
    const content = { text, attachments: before.attachments };
    this.session.editing(messageId, content);
    try {
      const answer = await this.session.send(roomId, content, (sealed) => post({ ...payload, ...sealed }), messageId);
      await this.session.sent(answer.message, content);
      return { ...answer, message: { ...answer.message, ...content } };
    } finally {
      this.session.editing(messageId, undefined);
    }
  }

  /** Each message with its text, or marked `undecryptable`; messages without ciphertext as they are. */
  async read(messages: readonly Message[]): Promise<Message[]> {
    const out: Message[] = [];
    for (const message of messages) {
      if (message.ciphertext === undefined || message.deletedAt !== undefined) {
        out.push(message);
        continue;
      }
      const content = await this.session.readContent(message);
      out.push(content === undefined ? { ...message, text: '', undecryptable: true } : { ...message, ...content });
    }
    return out;
  }

  /** The user's devices in this device's groups. */
  async devices(userId: string): Promise<E2eeDeviceInfo[]> {
    const out = new Map<string, string>();
    for (const roomId of this.session.roomIds()) {
      for (const { identity, key } of this.session.memberKeys(roomId)) {
        const who = parseIdentity(identity);
        if (who?.userId === userId && !out.has(who.deviceId)) out.set(who.deviceId, await fingerprintOf(key));
      }
    }
    return [...out].map(([deviceId, fingerprint]) => ({ deviceId, fingerprint })).sort((a, b) => a.deviceId.localeCompare(b.deviceId));
  }

  /** One fingerprint for all the user's devices: SHA-256 of their sorted fingerprints; undefined when none is known. */
  async fingerprint(userId: string): Promise<string | undefined> {
    const fingerprints = (await this.devices(userId)).map((d) => d.fingerprint).sort();
    if (fingerprints.length === 0) return undefined;
    return fingerprintOf(new TextEncoder().encode(fingerprints.join('\n')));
  }
}

/** The stored name an upload's URL ends with (`<id>.bin`), as `uploads` takes it; none when it is no such name. */
function uploadName(url: string): string[] {
  const last = url.split(/[?#]/u)[0]?.split('/').at(-1) ?? '';
  return /^[A-Za-z0-9._:@-]{1,64}$/u.test(last) ? [last] : [];
}
