// `client.e2ee`: what a client of encrypted rooms offers, and where the client hands it the
// requests and messages of encrypted rooms. MLS itself (ts-mls) is in the engine, loaded by the
// first encrypted room this client joins.
import type { Message, MessageSendPayload, RoomJoinResult } from '@chat/protocol';
import type { ChatSocket, RequestEvent, RequestPayload, ResponseData, ServerLink } from '../core/transport.js';
import type { E2eeDeviceInfo, E2eeEngine, EngineHost } from './e2ee-engine.js';
import { socketE2eeHost } from './socket-host.js';
import { memoryE2eeStore, type E2eeDeviceStore } from './e2ee-store.js';
import type { E2eeKeyChange } from './key-watch.js';

/** The `e2ee` option of a ChatClient: encrypted rooms on this device. */
export interface E2eeOptions {
  /**
   * Where the device keeps its keys, groups and the texts it read: `indexedDbE2eeStore()` from
   * `@chat/client/indexeddb` in browsers, so that a reload keeps reading.
   * @default memoryE2eeStore(): a new device with every client
   */
  store?: E2eeDeviceStore;
}

/** What ChatE2ee needs of its client. */
export type ChatE2eeHost = Omit<EngineHost, 'keyChanged'> & {
  keyChanged: EngineHost['keyChanged'];
  /** The server's URL (what the store keeps is kept per server and user). */
  server: string;
};

type Raw = ServerLink['request'];

/** A client's `e2ee` on its socket and requests; key changes are told by `emitter` as `e2ee:keychange`. */
export function chatE2ee(
  client: { socket: ChatSocket; request: Raw; report: (error: unknown) => void; server: string },
  emitter: { emit(event: 'e2ee:keychange', change: E2eeKeyChange): boolean },
  options: E2eeOptions,
): ChatE2ee {
  const host = socketE2eeHost(client.socket, client.request, client.report);
  return new ChatE2ee({ ...host, server: client.server, keyChanged: (change) => emitter.emit('e2ee:keychange', change) }, options);
}

/** A client's end-to-end encryption: `client.e2ee`. */
export class ChatE2ee {
  readonly #host: ChatE2eeHost;
  readonly #store: E2eeDeviceStore;
  readonly #encrypted = new Set<string>();
  readonly #queues = new Map<string, Promise<void>>();
  #engine: Promise<E2eeEngine> | undefined;
  #deviceId: string | undefined;

  /** @internal Made by ChatClient. */
  constructor(host: ChatE2eeHost, options: E2eeOptions) {
    this.#host = host;
    this.#store = options.store ?? memoryE2eeStore();
  }

  /** This device's id in encrypted rooms, once the first one was joined. */
  get deviceId(): string | undefined {
    return this.#deviceId;
  }

  /**
   * One fingerprint for all of a user's devices, as this device sees them in its encrypted rooms
   * (undefined before one of them is shared): compare it with the one their app shows you.
   * @example const mine = await client.e2ee.fingerprint(client.user.id);
   */
  async fingerprint(userId: string): Promise<string | undefined> {
    return this.#engine ? (await this.#engine).fingerprint(userId) : undefined;
  }

  /** A user's devices in this device's encrypted rooms, each with its own fingerprint. */
  async devices(userId: string): Promise<E2eeDeviceInfo[]> {
    return this.#engine ? (await this.#engine).devices(userId) : [];
  }

  /** @internal Whether the room is known to be encrypted. */
  _isEncrypted(roomId: string): boolean {
    return this.#encrypted.has(roomId);
  }

  /** @internal A request of the client's rooms: sends of encrypted rooms are encrypted, and messages in answers decrypted. */
  async _request<E extends RequestEvent>(event: E, payload: RequestPayload<E>, raw: Raw): Promise<ResponseData<E>> {
    const roomId = (payload as { roomId?: unknown }).roomId;
    if (event === 'message:send' && typeof roomId === 'string' && this.#encrypted.has(roomId)) {
      const engine = await this.#started();
      const post = (sealed: MessageSendPayload) => raw('message:send', sealed);
      return (await engine.send(payload as MessageSendPayload, post)) as ResponseData<E>;
    }
    const answer = await raw(event, payload);
    if (event === 'room:join') await this.#joined(answer as RoomJoinResult);
    if (typeof roomId !== 'string' || !this.#encrypted.has(roomId)) return answer;
    return (await this.#readAnswer(roomId, answer)) as ResponseData<E>;
  }

  /**
   * @internal Messages of a room, in the order they came: those of an encrypted room are handed
   * on once decrypted, after every earlier one of the room.
   */
  _inbound(roomId: string, messages: Message[], deliver: (messages: Message[]) => void): void {
    if (!this.#encrypted.has(roomId) && !this.#queues.has(roomId)) {
      deliver(messages);
      return;
    }
    const previous = this.#queues.get(roomId) ?? Promise.resolve();
    const next = previous
      .then(async () => deliver(await (await this.#started()).read(messages)))
      .catch((error: unknown) => this.#host.report(error));
    this.#queues.set(roomId, next);
    void next.then(() => {
      if (this.#queues.get(roomId) === next) this.#queues.delete(roomId);
    });
  }

  async #joined(result: RoomJoinResult): Promise<void> {
    if (result.room.options.encrypted !== true) return;
    this.#encrypted.add(result.room.id);
    this.#engine ??= this.#start(result.self.id);
    await (await this.#engine).open(result.room.id);
  }

  async #start(userId: string): Promise<E2eeEngine> {
    const { startEngine } = await import('./e2ee-engine.js');
    const engine = await startEngine(this.#host, this.#store, this.#host.server, userId);
    this.#deviceId = engine.deviceId;
    return engine;
  }

  #started(): Promise<E2eeEngine> {
    if (!this.#engine) return Promise.reject(new Error('No encrypted room was joined yet.'));
    return this.#engine;
  }

  // `message` and `messages` of an answer, read.
  async #readAnswer(roomId: string, answer: unknown): Promise<unknown> {
    if (typeof answer !== 'object' || answer === null) return answer;
    const engine = await this.#started();
    const out: Record<string, unknown> = { ...(answer as Record<string, unknown>) };
    const { message, messages } = out as { message?: Message; messages?: Message[] };
    if (message?.roomId === roomId && message.ciphertext !== undefined) out.message = (await engine.read([message]))[0];
    if (Array.isArray(messages)) out.messages = await engine.read(messages);
    return out;
  }
}
