// `client.e2ee`: what a client of encrypted rooms offers, and where the client hands it the
// requests and messages of encrypted rooms. Kept small: every page with a ChatClient loads it.
// MLS itself (ts-mls) is in the engine, loaded by the first encrypted room this client joins.
import type { Attachment, E2eeDeviceRemoveResult, Message, RoomJoinResult } from '@chat/protocol';
import type { RequestEvent, RequestPayload, ResponseData, ServerLink } from '../core/transport.js';
import type { E2eeDeviceInfo, E2eeEngine } from './e2ee-engine.js';
import type { SealedUploadOptions } from './file-crypto.js';
import type { E2eeDeviceStore } from './e2ee-store.js';
import type { E2eeKeyChange } from './key-watch.js';
import type { E2eeClientHost } from './e2ee-client-host.js';

/** The `e2ee` option of a ChatClient: encrypted rooms on this device. */
export interface E2eeOptions {
  /**
   * Where the device keeps its keys, groups and the texts it read: `indexedDbE2eeStore()` from
   * `@chat/client/indexeddb` in browsers, so that a reload keeps reading.
   * @default memoryE2eeStore(): a new device with every client
   */
  store?: E2eeDeviceStore;
  /**
   * @internal The clock, in ms, for tests: a key package the server says no welcome will name (its
   * claim's commit lost a race) is forgotten once found so again 10 minutes later.
   * @default Date.now
   */
  now?: () => number;
}

type Raw = ServerLink['request'];

export type { E2eeClientHost };

/** A client's end-to-end encryption: `client.e2ee`. */
export class ChatE2ee {
  readonly #host: E2eeClientHost;
  readonly #options: E2eeOptions;
  readonly #encrypted = new Set<string>();
  readonly #queues = new Map<string, Promise<void>>();
  #engine: Promise<E2eeEngine> | undefined;
  // The client closed: an engine started after that (a join answered late) lets its slot go at once.
  #closed = false;
  #deviceId: string | undefined;
  #removed = false;

  /** @internal Made by ChatClient. */
  constructor(host: E2eeClientHost, options: E2eeOptions) {
    this.#host = {
      ...host,
      deviceRemoved: (deviceId) => {
        if (this.#removed) return;
        this.#removed = true;
        host.deviceRemoved(deviceId);
      },
    };
    this.#options = options;
  }

  /** This device's id in encrypted rooms, once the first one was joined. */
  get deviceId(): string | undefined {
    return this.#deviceId;
  }

  /**
   * True once this device learned that its user removed it (the client's `e2ee:removed`): it
   * reads and sends nothing new in encrypted rooms, and asks the server nothing more for them.
   */
  get removed(): boolean {
    return this.#removed;
  }

  /**
   * One fingerprint for all of a user's devices, as this device sees them in its encrypted rooms
   * (undefined before one of them is shared): compare it with the one their app shows you.
   * @example const theirs = await client.e2ee.fingerprint(member.id);
   */
  async fingerprint(userId: string): Promise<string | undefined> {
    return (await this.#engine)?.fingerprint(userId);
  }

  /**
   * The key changes this device saw in an encrypted room (`e2ee:keychange`), oldest first: kept with
   * the device (the last 50 per room; across reloads with `indexedDbE2eeStore()`), so that a log can
   * show them again where they came (`afterSeq`).
   */
  async keyChanges(roomId: string): Promise<E2eeKeyChange[]> {
    return (await this.#engine)?.changes.list(roomId) ?? [];
  }

  /** A user's devices in this device's encrypted rooms, each with its own fingerprint. */
  async devices(userId: string): Promise<E2eeDeviceInfo[]> {
    return (await this.#engine)?.devices(userId) ?? [];
  }

  /**
   * Removes one of this user's own devices (a lost phone) from every encrypted room; the other
   * devices stay. The server refuses the device from then on and cuts its connections, and asks
   * a member's device in each room to commit its removal: from that commit on, the device can
   * read nothing new. Resolves with how many rooms' groups held it. `FORBIDDEN` for a device that
   * is not this user's. Remove a device from another one: this device's own connection is cut.
   * @example await client.e2ee.removeDevice(lost.deviceId) // lost: from client.e2ee.devices(me.id)
   */
  removeDevice(deviceId: string): Promise<E2eeDeviceRemoveResult> {
    return this.#host.request('e2ee:device:remove', { deviceId });
  }

  /**
   * The bytes of a file of an encrypted room (an attachment with `e2ee`, as messages show it):
   * downloaded, checked against the SHA-256 its message gave, decrypted. Rejects with
   * `VALIDATION_FAILED` when the file was changed, or the attachment is not encrypted. Needs an
   * encrypted room joined first (where such attachments come from).
   * @example const blob = await client.e2ee.openFile(message.attachments[0]); img.src = URL.createObjectURL(blob);
   */
  openFile(attachment: Attachment, options: { signal?: AbortSignal } = {}): Promise<Blob> {
    return this.#started().then((engine) => engine.openFile(attachment, options.signal));
  }

  /**
   * @internal An upload for an encrypted room: the file encrypted under a fresh key, uploaded by
   * `upload` as `application/octet-stream` named `file`; the attachment keeps the real name, type
   * and size and the key, which go only inside the message's ciphertext. Other rooms: `upload` as is.
   */
  _upload<O extends SealedUploadOptions>(
    file: Blob,
    options: O,
    upload: (file: Blob, options: O) => Promise<Attachment>,
  ): Promise<Attachment> {
    return options.roomId !== undefined && this.#encrypted.has(options.roomId)
      ? this.#started().then((engine) => engine.uploadSealed(file, options, upload))
      : upload(file, options);
  }

  /** @internal A request of the client's rooms: sends of encrypted rooms are encrypted, and messages in answers decrypted. */
  async _request<E extends RequestEvent>(event: E, payload: RequestPayload<E>, raw: Raw): Promise<ResponseData<E>> {
    const roomId = (payload as { roomId?: unknown }).roomId;
    const encrypted = typeof roomId === 'string' && this.#encrypted.has(roomId);
    if ((event === 'message:send' || event === 'message:edit') && encrypted) return (await this.#started()).request(event, payload, raw);
    const answer = await raw(event, payload);
    const room = event === 'room:join' ? (answer as RoomJoinResult) : undefined;
    if (room?.room.options.encrypted === true) {
      this.#encrypted.add(room.room.id);
      this.#engine ??= this.#start(room.self.id);
      await (await this.#engine).open(room.room.id);
    }
    return encrypted || room?.room.options.encrypted === true ? (await this.#started()).readAnswer(answer) : answer;
  }

  /**
   * @internal Messages of a room, in the order they came: those of an encrypted room are handed
   * on once decrypted, after every earlier one of the room.
   */
  _inbound(roomId: string, messages: Message[], deliver: (messages: Message[]) => void): void {
    const previous = this.#queues.get(roomId);
    if (!this.#encrypted.has(roomId) && !previous) return deliver(messages);
    const next = (previous ?? Promise.resolve())
      .then(async () => deliver(await (await this.#started()).read(messages)))
      .catch((error: unknown) => this.#host.report(error));
    this.#queues.set(roomId, next);
    void next.then(() => this.#queues.get(roomId) === next && this.#queues.delete(roomId));
  }

  /** @internal The client closed: the device stops listening and lets its slot of the store go. */
  _close(): void {
    this.#closed = true;
    void this.#engine?.then(
      (engine) => engine.close(),
      () => undefined,
    );
  }

  async #start(userId: string): Promise<E2eeEngine> {
    const { startEngine } = await import('./e2ee-engine.js');
    const engine = await startEngine(this.#host, this.#options, userId);
    if (this.#closed) engine.close();
    this.#deviceId = engine.deviceId;
    return engine;
  }

  #started(): Promise<E2eeEngine> {
    return this.#engine ?? Promise.reject(new Error('No encrypted room was joined yet.'));
  }
}
