// One device's part in the encrypted rooms it joined: it keeps each room's MLS group in step with
// the server (the delivery service), adds and removes devices when the server asks, and turns
// text into ciphertext and back. One operation per room at a time: MLS state only moves forward.
import { ChatError, builtInError, type E2eeSyncResult, type Message, type ServerToClientEvents } from '@chat/protocol';
import { guardedKeep, wipeSecrets, type GuardedKeep } from './device-wipe.js';
import { forged, impostor, removedError, wipeFailed } from './e2ee-errors.js';
import { ConnectionLostError, type RequestEvent, type RequestPayload, type ResponseData } from '../core/transport.js';
import { uuid } from '../core/uuid.js';
import type { DeviceKeep } from './device-keep.js';
import { GroupKeep } from './group-keep.js';
import { syncGroup } from './group-sync.js';
import { keyChanges, type SeenKeyChange } from './key-watch.js';
import { KeyStock, serialTopUps } from './key-publish.js';
import { MlsDevice, deviceIdentity, fingerprintOf, parseIdentity } from './mls-device.js';
import { warmUpMls } from './mls-warm-up.js';
import { keyPackageIdentity, readEncrypted, type MlsGroup } from './mls-group.js';
import { openPlaintext, sealPlaintext, type SealedContent } from './sealed-text.js';

type E2eeServerEvent = 'e2ee:commit' | 'e2ee:welcome' | 'e2ee:pending' | 'e2ee:removed' | 'e2ee:keys:low';
type E2eeRequest = 'e2ee:keys:publish' | 'e2ee:keys:held' | 'e2ee:keys:claim' | 'e2ee:commit' | 'e2ee:sync';

/** What a session needs of the client: requests, and the server's e2ee events. */
export interface E2eeHost {
  request<E extends RequestEvent>(event: E, payload: RequestPayload<E>): Promise<ResponseData<E>>;
  /** Calls `handler` on every `event` until the returned function is called. */
  listen<E extends E2eeServerEvent>(event: E, handler: (payload: Parameters<ServerToClientEvents[E]>[0]) => void): () => void;
  /** A catch-up the server asked for failed (removed from the room, refused...): the next event or `open` tries again. One cut by a lost connection is not reported: the re-join opens the room again. */
  report(error: unknown): void;
  /** A member's devices have a key this device had not seen for them (not called the first time a user is seen). */
  keyChanged?(change: SeenKeyChange): void;
  /** This device was removed by its user (told by the server, or refused with `E2EE_DEVICE_REMOVED`): called once. */
  removed?(deviceId: string): void;
  /** The clock, in ms: when a held key package found dead is forgotten (tests move it). @default Date.now */
  now?(): number;
}

/** The `message:send` fields of an encrypted message. */
export interface SealedText {
  text: '';
  ciphertext: string;
  epoch: number;
  /** The device that encrypted it (the server refuses a device its user removed). */
  deviceId: string;
}

/** What a device read of a message: its content as of the edit made at `at` (none: as sent). */
interface Opened {
  at?: string;
  content: SealedContent;
}

/** Attempts of one membership commit before it waits for the next change (each lost race rebases first). */
const COMMIT_ATTEMPTS = 5;

/** This device in its encrypted rooms. */
export class E2eeSession {
  readonly device: MlsDevice;
  readonly #host: E2eeHost;
  readonly #groups = new Map<string, MlsGroup>();
  readonly #queues = new Map<string, Promise<unknown>>();
  // What this device decrypted, by message id, with the edit it is the text of (its `editedAt`):
  // a ciphertext opens once (its key is deleted).
  readonly #opened = new Map<string, Opened>();
  readonly #stop: Array<() => void>;
  // Writes of MLS secrets stop there once the device knows it was removed.
  readonly #keep: GuardedKeep | undefined;
  // Each room's group in the keep: the whole state after a change, one ratchet after a message.
  readonly #groupKeep: GroupKeep | undefined;
  // Rooms whose kept group state was looked for already.
  readonly #loaded = new Set<string>();
  // What this device is sending, by clientId, and editing, by message id: MLS does not let a
  // sender open its own message.
  readonly #sending = new Map<string, SealedContent>();
  readonly #editing = new Map<string, SealedContent>();
  #published: Promise<void> | undefined;
  // Key-package top-ups, one after another; the batch whose answer was lost, settled by the next one.
  readonly #topUp = serialTopUps(() => this.#publish());
  readonly #keys: KeyStock;
  #removed: Promise<void> | undefined;

  /**
   * `keep`: where the device's key packages, groups and read texts are kept across sessions
   * (none: in memory only). `held`: the key packages an earlier session of the device kept.
   * `removed`: an earlier session learned that the device was removed (it asks the server nothing).
   */
  constructor(host: E2eeHost, userId: string, deviceId: string, keep?: DeviceKeep, held?: string, removed = false) {
    this.#host = host;
    this.#keep = keep && guardedKeep(keep);
    this.#groupKeep = this.#keep && new GroupKeep(this.#keep);
    this.device = new MlsDevice(userId, deviceId, held);
    this.#keys = new KeyStock(this.device, this.#keep, host, (event, payload) => this.#request(event, payload));
    // Removed in an earlier session: what that one could not wipe (a store that failed) goes now.
    if (removed) this.#removed = this.#wipe([]);
    const again = (roomId: string) => {
      if (this.#removed) return;
      void this.#serial(roomId, () => this.#catchUp(roomId)).catch((error: unknown) => {
        // Cut by a lost connection: not reported, the re-join's `open` catches up again.
        if (!this.#removed && !(error instanceof ConnectionLostError)) host.report(error);
      });
    };
    this.#stop = [
      // Told live (the server cuts the device's sockets next): it stops at once.
      host.listen('e2ee:removed', (e) => {
        if (e.deviceId === deviceId) void this.#forget().catch((error: unknown) => host.report(error));
      }),
      host.listen('e2ee:commit', (e) => again(e.roomId)),
      // A device not in the group waits for its welcome (the others add it), unless the group started afresh.
      host.listen('e2ee:pending', (e) => {
        if (this.#groups.has(e.roomId) || e.reset === true) again(e.roomId);
      }),
      host.listen('e2ee:welcome', (e) => {
        if (e.deviceId === deviceId) again(e.roomId);
      }),
      // A claim (of a commit that may lose its race) left few key packages: top up (failed: the next open does).
      host.listen('e2ee:keys:low', (e) => {
        if (e.deviceId === deviceId && !this.#removed) this.#topUp().catch(() => undefined);
      }),
    ];
  }

  /** Whether this device knows it was removed by its user: then it asks the server nothing more. */
  get removed(): boolean {
    return this.#removed !== undefined;
  }

  /** Stops listening to the server. */
  close(): void {
    for (const stop of this.#stop) stop();
  }

  /** Settles once the work under way in every room (and what was queued behind it) is done. */
  async settled(): Promise<void> {
    let queued: Array<Promise<unknown>>;
    do {
      queued = [...this.#queues.values()];
      await Promise.all(queued); // each queue's tail never rejects (see #serial)
    } while ([...this.#queues.values()].some((q) => !queued.includes(q)));
  }

  /** The room's MLS group on this device, undefined before it is in the group. */
  group(roomId: string): MlsGroup | undefined {
    return this.#groups.get(roomId);
  }

  /** The group's epoch on this device, undefined before it is in the group. */
  epoch(roomId: string): number | undefined {
    return this.#groups.get(roomId)?.epoch;
  }

  /**
   * Tops up this device's key packages on the server (once per session; a welcome tops up again), then brings the room's group up to
   * date. A removed device does neither (it forgets what it kept of the room's group instead).
   */
  async open(roomId: string): Promise<void> {
    try {
      if (this.#removed) throw removedError(this.device.deviceId);
      this.#published ??= this.#topUp();
      await this.#published;
      await this.#serial(roomId, async () => {
        await this.#load(roomId);
        await this.#catchUp(roomId);
      });
      if (this.#groups.has(roomId)) void warmUpMls(); // once per page, after joining (not competing with it)
    } catch (error) {
      if (!this.#removed) throw error;
      await this.#removed;
      await this.#groupKeep?.forget(roomId).catch((failed: unknown) => this.#host.report(wipeFailed(this.device.deviceId, failed)));
    }
  }

  /** The `message:send` (or, with `edit`, `message:edit`) fields of an encrypted message: '' as text, the ciphertext and its epoch. */
  async seal(roomId: string, content: SealedContent, edit?: string): Promise<SealedText> {
    return this.#serial(roomId, async () => {
      if (this.#removed) throw removedError(this.device.deviceId);
      await this.#load(roomId);
      const group = this.#groups.get(roomId) ?? (await this.#catchUp(roomId), this.#groups.get(roomId));
      if (!group) {
        throw builtInError('FORBIDDEN', 'This device has not joined the encrypted group of this room yet: wait for a member to add it.');
      }
      const epoch = group.epoch;
      const ciphertext = await group.encrypt(sealPlaintext(this.device.userId, content, edit));
      // Kept before it goes out: a key used twice would weaken the encryption.
      await this.#save(roomId);
      return { text: '', ciphertext, epoch, deviceId: this.device.deviceId };
    });
  }

  /** The content of a message of this device's that `send` is sending (its clientId), so that it shows before the ack. */
  sending(clientId: string, content: SealedContent | undefined): void {
    if (content === undefined) this.#sending.delete(clientId);
    else this.#sending.set(clientId, content);
  }

  /** The new content of a message this device is editing (its id), so that it shows before the ack. */
  editing(messageId: string, content: SealedContent | undefined): void {
    if (content === undefined) this.#editing.delete(messageId);
    else this.#editing.set(messageId, content);
  }

  /** Keeps the content of a message (or edit) this device sent or read (it cannot decrypt its own messages, nor any twice). */
  async sent(message: Message, content: SealedContent): Promise<void> {
    const opened: Opened = { ...(message.editedAt !== undefined && { at: message.editedAt }), content };
    this.#opened.set(message.id, opened);
    await this.#keep?.set(`open:${message.roomId}:${message.id}`, JSON.stringify(opened));
  }

  /** The latest content of a message this device sent or read (whatever edit it was), if any. */
  async known(roomId: string, messageId: string): Promise<SealedContent | undefined> {
    return (await this.#kept(roomId, messageId))?.content;
  }

  /**
   * Encrypts `content` (with `edit`: as an edit of that message) and hands it to `post` (which
   * sends `message:send` or `message:edit`); when the server answers `E2EE_STALE_EPOCH` (a commit
   * came first), catches up and encrypts again, a few times.
   */
  async send<T>(roomId: string, content: SealedContent | string, post: (sealed: SealedText) => Promise<T>, edit?: string): Promise<T> {
    const sealed = typeof content === 'string' ? { text: content, attachments: [] } : content;
    for (let attempt = 1; ; attempt++) {
      try {
        return await post(await this.seal(roomId, sealed, edit));
      } catch (error) {
        // Refused as a removed device (it missed the server's word): the same as being told.
        if (error instanceof ChatError && error.code === 'E2EE_DEVICE_REMOVED') await this.#forget();
        if (!(error instanceof ChatError) || error.code !== 'E2EE_STALE_EPOCH' || attempt >= COMMIT_ATTEMPTS) throw error;
        await this.#serial(roomId, () => this.#catchUp(roomId));
      }
    }
  }

  /**
   * The content of an encrypted message (as its latest edit left it), or undefined when this
   * device cannot read it: sent before it joined, altered, replayed (also as an edit of another
   * message), or claiming a sender other than the one the server names.
   */
  async readContent(message: Message): Promise<SealedContent | undefined> {
    if (message.ciphertext === undefined) return { text: message.text, attachments: message.attachments };
    const at = message.editedAt;
    const known = this.#opened.get(message.id);
    if (known !== undefined && known.at === at) return known.content;
    const ciphertext = message.ciphertext;
    return this.#serial(message.roomId, async () => {
      const mine = message.user.id === this.device.userId;
      const own =
        at !== undefined
          ? mine
            ? this.#editing.get(message.id)
            : undefined
          : message.clientId !== undefined && mine
            ? this.#sending.get(message.clientId)
            : undefined;
      if (own !== undefined) return own;
      const kept = await this.#kept(message.roomId, message.id);
      if (kept !== undefined && kept.at === at) return kept.content;
      await this.#load(message.roomId);
      let group = this.#groups.get(message.roomId);
      // Read once: its epoch decides whether to catch up first, then it is decrypted as read.
      const encrypted = readEncrypted(ciphertext);
      const epoch = encrypted?.epoch;
      try {
        if (!group || (epoch !== undefined && epoch > group.epoch)) {
          await this.#catchUp(message.roomId);
          group = this.#groups.get(message.roomId);
        }
        if (!group) return undefined;
        const { plaintext, sender } = await group.decryptFrom(encrypted ?? ciphertext);
        // The MLS sender (whose leaf signed it) must be the user the server names, or the words are someone else's.
        const signer = parseIdentity(sender);
        if (signer?.userId !== message.user.id) {
          this.#host.report(forged(message, signer?.userId));
          return undefined;
        }
        // An edit must say which message it replaces: one of another message's, replayed, is refused.
        const content = openPlaintext(plaintext, message.user.id, at === undefined ? undefined : message.id);
        await this.#save(message.roomId);
        if (content !== undefined) await this.sent(message, content);
        return content;
      } catch {
        return undefined;
      }
    });
  }

  /** The text of an encrypted message (see `readContent`), or undefined when this device cannot read it. */
  async read(message: Message): Promise<string | undefined> {
    return (await this.readContent(message))?.text;
  }

  /** The fingerprints of a user's devices in a room's group, as this device sees them. */
  async fingerprints(roomId: string, userId: string): Promise<string[]> {
    const group = this.#groups.get(roomId);
    if (!group) return [];
    const keys = group.members().flatMap((identity) => {
      const key = parseIdentity(identity)?.userId === userId ? group.signatureKey(identity) : undefined;
      return key ? [key] : [];
    });
    return Promise.all(keys.map((key) => fingerprintOf(key)));
  }

  /** The rooms whose group this device holds now. */
  roomIds(): string[] {
    return [...this.#groups.keys()];
  }

  /** Every member of the room's group with its signature key. */
  memberKeys(roomId: string): Array<{ identity: string; key: Uint8Array }> {
    const group = this.#groups.get(roomId);
    if (!group) return [];
    return group.members().flatMap((identity) => {
      const key = group.signatureKey(identity);
      return key ? [{ identity, key }] : [];
    });
  }

  // What this device read of a message, from memory or an earlier session (`text:` is the text
  // alone, as sessions before edits and files kept it).
  async #kept(roomId: string, messageId: string): Promise<Opened | undefined> {
    const known = this.#opened.get(messageId);
    if (known !== undefined || !this.#keep) return known;
    const kept = await this.#keep.get(`open:${roomId}:${messageId}`);
    let opened: Opened | undefined;
    if (kept !== undefined) opened = JSON.parse(kept) as Opened;
    else {
      const text = await this.#keep.get(`text:${roomId}:${messageId}`);
      if (text !== undefined) opened = { content: { text, attachments: [] } };
    }
    if (opened !== undefined) this.#opened.set(messageId, opened);
    return opened;
  }

  // Failed (offline, its answer lost, refused): the next open tries again.
  async #publish(): Promise<void> {
    await this.#keys.topUp().catch((error: unknown) => {
      this.#published = undefined;
      throw error;
    });
  }

  // The room's group as an earlier session kept it, once per session.
  async #load(roomId: string): Promise<void> {
    if (this.#loaded.has(roomId) || !this.#groupKeep || this.#removed) return;
    this.#loaded.add(roomId);
    // Unreadable: undefined, and the device is added again as a new member would be.
    const kept = await this.#groupKeep.load(roomId);
    if (kept !== undefined && !this.#groups.has(roomId)) this.#hold(roomId, kept);
  }

  // Keeps the room's group (after every change: a key is used once) and tells key changes.
  async #save(roomId: string, membersChanged = false): Promise<void> {
    const group = this.#groups.get(roomId);
    if (!group || this.#removed) return;
    await this.#groupKeep?.save(roomId, group);
    if (!membersChanged || !this.#keep) return;
    for (const change of await keyChanges(this.#keep, roomId, group)) this.#host.keyChanged?.(change);
  }

  // Holds a room's group in memory; a device that knows it was removed holds none (a join or
  // commit in flight when it learned it ends there).
  #hold(roomId: string, group: MlsGroup): void {
    if (this.#removed) throw removedError(this.device.deviceId);
    this.#groups.set(roomId, group);
  }

  #serial<T>(roomId: string, work: () => Promise<T>): Promise<T> {
    const run = (this.#queues.get(roomId) ?? Promise.resolve()).then(work, work);
    this.#queues.set(
      roomId,
      run.catch(() => undefined),
    );
    return run;
  }

  // Brings the group this device holds up to date; one it no longer belongs to is forgotten.
  async #sync(roomId: string): Promise<E2eeSyncResult> {
    const ask = (payload: RequestPayload<'e2ee:sync'>) => this.#request('e2ee:sync', payload);
    const { answer, left } = await syncGroup(ask, roomId, this.device, this.#groups.get(roomId), () => this.#save(roomId, true));
    if (left) await this.#drop(roomId);
    return answer;
  }

  // Forgets a group this device was removed from: its keys open nothing said since, and the next
  // welcome (if its user is added again) starts a new one. What it read stays readable.
  async #drop(roomId: string): Promise<void> {
    this.#groups.delete(roomId);
    await this.#groupKeep?.forget(roomId);
  }

  // Every e2ee request of this device: none once it knows it was removed, and a refusal saying so stops it.
  async #request<E extends E2eeRequest>(event: E, payload: RequestPayload<E>): Promise<ResponseData<E>> {
    if (this.#removed) throw removedError(this.device.deviceId);
    try {
      return await this.#host.request(event, payload);
    } catch (error) {
      if (error instanceof ChatError && error.code === 'E2EE_DEVICE_REMOVED') await this.#forget();
      throw error;
    }
  }

  // The device was removed by its user: it stops writing MLS secrets, keeps the removal, wipes its
  // MLS state (every group it holds or kept, and the private keys of its key packages: they open
  // nothing any more, and whoever takes the device should find none), and tells the client, once.
  // What it read stays. A wipe that fails is reported; the next start finishes it.
  #forget(): Promise<void> {
    this.#removed ??= (async () => {
      this.#keep?.stop();
      const rooms = new Set([...this.#groups.keys(), ...this.#loaded]);
      this.#groups.clear();
      await this.#keep?.set('removed', this.device.deviceId).catch((error: unknown) => this.#host.report(error));
      await this.#wipe(rooms);
      this.#host.removed?.(this.device.deviceId);
    })();
    return this.#removed;
  }

  async #wipe(rooms: Iterable<string>): Promise<void> {
    this.#keep?.stop();
    if (!this.#keep || !this.#groupKeep) return;
    await wipeSecrets(this.#keep, this.#groupKeep, rooms).catch((error: unknown) =>
      this.#host.report(wipeFailed(this.device.deviceId, error)),
    );
  }

  // Joins (from a welcome) or creates the group, applies missed commits, then does what the server asks.
  async #catchUp(roomId: string): Promise<void> {
    for (let attempt = 0; attempt < COMMIT_ATTEMPTS; attempt++) {
      let state = await this.#sync(roomId);
      if (!this.#groups.has(roomId) && state.welcome) {
        this.#hold(roomId, await this.device.join(state.welcome.welcome, state.welcome.keyPackage));
        await this.#keep?.set('held', this.device.exportHeld());
        // That used a key package: top up now (members can keep adding an open client), waited for by
        // nothing; failed, `#publish` cleared `#published` and the next `open` tops up again.
        if (!this.#removed) this.#topUp().catch(() => undefined);
        await this.#save(roomId, true);
        state = await this.#sync(roomId);
      }
      if (!this.#groups.has(roomId) && state.epoch > 0) return; // a member will add this device (e2ee:pending)
      const self = deviceIdentity(this.device.userId, this.device.deviceId);
      // This device is being removed: the remaining members commit that, not it.
      if (state.pending.remove.some((d) => deviceIdentity(d.userId, d.deviceId) === self)) return;
      const add = state.pending.add.filter((d) => deviceIdentity(d.userId, d.deviceId) !== self);
      if (this.#groups.has(roomId) && add.length === 0 && state.pending.remove.length === 0) return;
      // Committed: the server may ask for more; stale: rebase and try again; idle: nothing to commit.
      const users = add.map((d) => d.userId);
      if ((await this.#commit(roomId, users, state)) === 'idle') return;
    }
  }

  // One commit that creates the group (epoch 0, under a new id) or adds and removes devices; stale if
  // another came first. A creation adds nobody: devices racing to create (a group that started
  // afresh wakes every waiting one) claim no key packages for a commit that loses; the winner adds them next.
  async #commit(roomId: string, addUsers: string[], state: E2eeSyncResult): Promise<'committed' | 'stale' | 'idle'> {
    const held = this.#groups.get(roomId);
    const offered =
      addUsers.length === 0 || !held
        ? []
        : (await this.#request('e2ee:keys:claim', { roomId, deviceId: this.device.deviceId, userIds: [...new Set(addUsers)] })).keyPackages;
    // A key package goes in only under the identity of the user who published it (as the server names them).
    const genuine = offered.filter((k) => keyPackageIdentity(k.keyPackage) === deviceIdentity(k.userId, k.deviceId));
    if (genuine.length < offered.length) this.#host.report(impostor(roomId, offered.length - genuine.length));
    // Never this device itself (an older server offers its own key package to the group it creates).
    const self = deviceIdentity(this.device.userId, this.device.deviceId);
    const claimed = genuine.filter((k) => deviceIdentity(k.userId, k.deviceId) !== self);
    const removed = state.pending.remove;
    if (held && claimed.length === 0 && removed.length === 0) return 'idle';
    const group = held ?? (await this.device.createGroup(uuid()));
    const prepared = await group.prepareCommit({
      add: claimed.map((k) => k.keyPackage),
      remove: removed.map((d) => deviceIdentity(d.userId, d.deviceId)),
    });
    try {
      await this.#request('e2ee:commit', {
        roomId,
        deviceId: this.device.deviceId,
        epoch: prepared.epoch,
        commit: prepared.commit,
        ...(prepared.welcome !== undefined && { welcome: prepared.welcome, added: claimed }),
        ...(removed.length > 0 && { removed }),
        group: group.id,
      });
    } catch (error) {
      if (error instanceof ChatError && error.code === 'E2EE_STALE_EPOCH') return 'stale';
      throw error;
    }
    group.adopt(prepared.next);
    this.#hold(roomId, group);
    await this.#save(roomId, true);
    return 'committed';
  }
}
