// A device's key packages on the server: it keeps a few there, so that members can add it to a
// room's group while it is away. Each key package is used once (RFC 9420), so none is ever sent twice.
import { ChatError, type E2eeKeysPublishPayload, type E2eeKeysPublishResult } from '@chat/protocol';
import type { RequestPayload, ResponseData } from '../core/transport.js';
import { uuid } from '../core/uuid.js';
import type { DeviceKeep } from './device-keep.js';
import { HeldLiveness } from './key-liveness.js';
import type { MlsDevice } from './mls-device.js';

/** Key packages a device keeps published. */
export const KEY_PACKAGES = 5;

/** Where the batch a device is publishing is kept until the server answers. */
const UNANSWERED = 'publishing';

/** A batch of key packages sent under `batch` whose answer has not come (yet). */
interface Unanswered {
  batch: string;
  keyPackages: string[];
}

type Publish = (payload: E2eeKeysPublishPayload) => Promise<E2eeKeysPublishResult>;
/** The requests a top-up makes. */
type KeyRequest = <E extends 'e2ee:keys:publish' | 'e2ee:keys:held'>(event: E, payload: RequestPayload<E>) => Promise<ResponseData<E>>;
/** After the top-up learned the server's unclaimed count: the check of the key packages the device holds. */
type CheckHeld = (available: number, unanswered: readonly string[]) => Promise<void>;

/** What a device's top-ups need of its session: where a failed check goes, and the clock. */
interface KeyStockHost {
  report(error: unknown): void;
  now?(): number;
}

/**
 * The batch a device sent and has no answer for, in memory and in its keep: until the server
 * answers, nobody knows whether it kept them. Written before the batch's private keys are kept, so
 * that no private key is ever kept for a key package that could reach the server unnoticed.
 */
export class UnansweredBatch {
  readonly #keep: DeviceKeep | undefined;
  #batch: Unanswered | undefined;
  #loaded = false;

  constructor(keep: DeviceKeep | undefined) {
    this.#keep = keep;
  }

  async get(): Promise<Unanswered | undefined> {
    if (this.#loaded || !this.#keep) return this.#batch;
    this.#loaded = true;
    const kept = await this.#keep.get(UNANSWERED);
    this.#batch = kept === undefined ? undefined : readBatch(kept);
    return this.#batch;
  }

  async set(batch: Unanswered | undefined): Promise<void> {
    this.#batch = batch;
    this.#loaded = true;
    if (batch === undefined) await this.#keep?.delete(UNANSWERED);
    else await this.#keep?.set(UNANSWERED, JSON.stringify(batch));
  }
}

function readBatch(text: string): Unanswered | undefined {
  try {
    const value = JSON.parse(text) as Partial<Unanswered>;
    if (typeof value.batch === 'string' && Array.isArray(value.keyPackages) && value.keyPackages.every((k) => typeof k === 'string')) {
      return { batch: value.batch, keyPackages: value.keyPackages };
    }
  } catch {
    // unreadable: as if none
  }
  return undefined;
}

/**
 * Tops this device's key packages on the server up to {@link KEY_PACKAGES}. A batch whose answer
 * was lost comes first: the device asks whether the server kept it (by its `batch` id) and, if not,
 * sends the same key packages again under the same id (the server keeps a batch once, also when
 * the first send arrives late), so that the device keeps no private key of a key package the
 * server never had. A key package that reached the server keeps its private key, claimed or not
 * (a welcome may still come). A device that made some before asks the server how many it holds (a
 * publish of none) instead of counting its own. A batch the server refused for good (see `send`:
 * nothing kept) is forgotten, private keys included. Knowing the server's count, `check` may
 * forget held key packages no welcome will name.
 */
async function topUpKeyPackages(
  device: MlsDevice,
  publish: Publish,
  keep: DeviceKeep | undefined,
  unanswered: UnansweredBatch,
  check?: CheckHeld,
): Promise<void> {
  const deviceId = device.deviceId;
  const earlier = await unanswered.get();
  let available = earlier && (await settle(device, publish, keep, unanswered, earlier));
  available ??= device.heldKeyPackages === 0 ? 0 : (await publish({ deviceId, keyPackages: [] })).available;
  await check?.(available, (await unanswered.get())?.keyPackages ?? []);
  const missing = KEY_PACKAGES - available;
  if (missing <= 0) return;
  const keyPackages = await device.newKeyPackages(missing);
  const batch = { batch: uuid(), keyPackages };
  await unanswered.set(batch);
  // Kept before they go out: once the server has them, a welcome may name any of them.
  await keep?.set('held', device.exportHeld());
  await send(device, publish, keep, unanswered, batch);
}

// Sends a batch; answered, it is no longer unanswered; refused for good (its size, a payload this
// server's version does not take, a removed device: an error sending it again would meet too), it
// is forgotten with its private keys. A sign-in to renew (UNAUTHENTICATED) or a retryable error keeps it.
async function send(device: MlsDevice, publish: Publish, keep: DeviceKeep | undefined, unanswered: UnansweredBatch, batch: Unanswered) {
  try {
    const answer = await publish({ deviceId: device.deviceId, keyPackages: batch.keyPackages, batch: batch.batch });
    await unanswered.set(undefined);
    return answer.available;
  } catch (error) {
    if (error instanceof ChatError && !error.retryable && error.code !== 'UNAUTHENTICATED') {
      await keep?.set('held', device.forgetKeyPackages(batch.keyPackages));
      await unanswered.set(undefined);
    }
    throw error;
  }
}

// Whether the server kept a batch whose answer was lost; sent again when it did not. Answers how
// many key packages the server holds, or undefined when a server that keeps no batch ids cannot tell.
async function settle(
  device: MlsDevice,
  publish: Publish,
  keep: DeviceKeep | undefined,
  unanswered: UnansweredBatch,
  batch: Unanswered,
): Promise<number | undefined> {
  const asked = await publish({ deviceId: device.deviceId, keyPackages: [], batch: batch.batch });
  // A server that keeps no batch ids: its private keys stay (a claim of one may come), as they always did.
  if (asked.batch === undefined || asked.batch === batch.batch) {
    await unanswered.set(undefined);
    return asked.available;
  }
  // Never kept: the same key packages again, those whose private keys the device still holds.
  const held = batch.keyPackages.filter((k) => device.holds(k));
  if (held.length === 0) {
    await unanswered.set(undefined);
    return asked.available;
  }
  return send(device, publish, keep, unanswered, { batch: batch.batch, keyPackages: held });
}

/** `run` made to start only once its previous call settled: two top-ups at once would both count the same key packages missing. */
export function serialTopUps(run: () => Promise<void>): () => Promise<void> {
  let last: Promise<void> = Promise.resolve();
  return () => {
    const next = last.then(run);
    last = next.catch(() => undefined);
    return next;
  };
}

/**
 * A device's key packages across its top-ups: the batch whose answer has not come, and which held
 * key packages are dead (see {@link HeldLiveness}).
 */
export class KeyStock {
  readonly #device: MlsDevice;
  readonly #keep: DeviceKeep | undefined;
  readonly #unanswered: UnansweredBatch;
  readonly #liveness: HeldLiveness;
  readonly #report: (error: unknown) => void;
  readonly #request: KeyRequest;

  /** `request`: the session's requests (none once the device knows it was removed). */
  constructor(device: MlsDevice, keep: DeviceKeep | undefined, host: KeyStockHost, request: KeyRequest) {
    this.#request = request;
    this.#device = device;
    this.#keep = keep;
    this.#unanswered = new UnansweredBatch(keep);
    this.#liveness = new HeldLiveness(keep, host.now?.bind(host));
    this.#report = (error) => host.report(error);
  }

  /** Tops up (see {@link topUpKeyPackages}); a held-key check that fails is reported, never failing the top-up. */
  topUp(): Promise<void> {
    const [device, request] = [this.#device, this.#request];
    const publish: Publish = (payload) => request('e2ee:keys:publish', payload);
    // The next top-up checks again; a removed device (its session stopped) is told by the session, not here.
    const check: CheckHeld = (available, unanswered) =>
      this.#liveness
        .check(device, (payload) => request('e2ee:keys:held', payload), available, unanswered)
        .catch((error: unknown) => {
          if (!(error instanceof ChatError && error.code === 'E2EE_DEVICE_REMOVED')) this.#report(error);
        });
    return topUpKeyPackages(device, publish, this.#keep, this.#unanswered, check);
  }
}
