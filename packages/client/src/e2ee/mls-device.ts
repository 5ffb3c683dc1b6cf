// A device's MLS identity: its key packages (public ones go to the server, private ones stay here),
// the groups it creates and the groups it joins from a welcome.
import { createGroup, joinGroup } from 'ts-mls/clientState.js';
import { defaultCapabilities } from 'ts-mls/defaultCapabilities.js';
import { generateKeyPackage, type KeyPackage, type PrivateKeyPackage } from 'ts-mls/keyPackage.js';
import { defaultLifetime } from 'ts-mls/lifetime.js';
import { decodeMlsMessage, encodeMlsMessage } from 'ts-mls/message.js';
import { emptyPskIndex } from 'ts-mls/pskIndex.js';
import { fromBase64, toBase64 } from './base64.js';
import { MlsGroup, welcomeOf } from './mls-group.js';
import { mlsSuite } from './mls-suite.js';

/** A member's MLS identity (its basic credential): the user id and the device id, as JSON. */
export function deviceIdentity(userId: string, deviceId: string): string {
  return JSON.stringify([userId, deviceId]);
}

/** The user and device of an identity made by `deviceIdentity`, or undefined for any other. */
export function parseIdentity(identity: string): { userId: string; deviceId: string } | undefined {
  try {
    const value: unknown = JSON.parse(identity);
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return { userId: value[0], deviceId: value[1] };
    }
  } catch {
    // not one of ours
  }
  return undefined;
}

interface HeldKeyPackage {
  publicPackage: KeyPackage;
  privatePackage: PrivateKeyPackage;
}

/** One device: its identity and the private halves of the key packages it has published. */
export class MlsDevice {
  readonly userId: string;
  readonly deviceId: string;
  readonly #held = new Map<string, HeldKeyPackage>();

  /** `held`: what `exportHeld()` gave in an earlier session of this device. */
  constructor(userId: string, deviceId: string, held?: string) {
    this.userId = userId;
    this.deviceId = deviceId;
    if (held !== undefined) for (const [encoded, held1] of importHeld(held)) this.#held.set(encoded, held1);
  }

  /** The key packages this device holds, public and private, as text for a device store. */
  exportHeld(): string {
    const out: Record<string, [string, string, string]> = {};
    for (const [encoded, { privatePackage: p }] of this.#held) {
      out[encoded] = [toBase64(p.initPrivateKey), toBase64(p.hpkePrivateKey), toBase64(p.signaturePrivateKey)];
    }
    return JSON.stringify(out);
  }

  /** This device's identity in every group. */
  get identity(): string {
    return deviceIdentity(this.userId, this.deviceId);
  }

  async #keyPackage(): Promise<HeldKeyPackage> {
    const credential = { credentialType: 'basic' as const, identity: new TextEncoder().encode(this.identity) };
    return generateKeyPackage(credential, defaultCapabilities(), defaultLifetime, [], await mlsSuite());
  }

  /** Makes `count` key packages, keeps their private keys, and returns the public ones (base64 MLSMessages) to publish. */
  async newKeyPackages(count: number): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      const held = await this.#keyPackage();
      const encoded = toBase64(encodeMlsMessage({ version: 'mls10', wireformat: 'mls_key_package', keyPackage: held.publicPackage }));
      this.#held.set(encoded, held);
      out.push(encoded);
    }
    return out;
  }

  /** Forgets key packages the server refused or no welcome will name; answers `exportHeld()`. */
  forgetKeyPackages(encoded: readonly string[]): string {
    for (const one of encoded) this.#held.delete(one);
    return this.exportHeld();
  }

  /** Whether this device holds the private keys of a key package (as published). */
  holds(keyPackage: string): boolean {
    return this.#held.has(keyPackage);
  }

  /** The key packages (as published) this device holds the private keys of, oldest first. */
  heldList(): string[] {
    return [...this.#held.keys()];
  }

  /** How many published key packages this device still holds the private keys of. */
  get heldKeyPackages(): number {
    return this.#held.size;
  }

  /** A new group of this device alone, at epoch 0. */
  async createGroup(groupId: string): Promise<MlsGroup> {
    const own = await this.#keyPackage();
    const state = await createGroup(new TextEncoder().encode(groupId), own.publicPackage, own.privatePackage, [], await mlsSuite());
    return new MlsGroup(state);
  }

  /**
   * Joins a group from a welcome made for one of this device's key packages (`keyPackage`, as
   * published). The key package's private keys are used once and forgotten.
   */
  async join(welcome: string, keyPackage: string): Promise<MlsGroup> {
    const held = this.#held.get(keyPackage);
    if (!held) throw new Error('This device does not hold the key package the welcome was made for.');
    const state = await joinGroup(welcomeOf(welcome), held.publicPackage, held.privatePackage, emptyPskIndex, await mlsSuite());
    this.#held.delete(keyPackage);
    return new MlsGroup(state);
  }
}

// The key packages kept by `exportHeld`; entries that do not decode are left out.
function importHeld(text: string): Array<[string, HeldKeyPackage]> {
  const out: Array<[string, HeldKeyPackage]> = [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return out;
  }
  if (typeof value !== 'object' || value === null) return out;
  for (const [encoded, keys] of Object.entries(value as Record<string, unknown>)) {
    if (!Array.isArray(keys) || keys.length !== 3 || !keys.every((k) => typeof k === 'string')) continue;
    try {
      const message = decodeMlsMessage(fromBase64(encoded), 0)?.[0];
      if (message?.wireformat !== 'mls_key_package') continue;
      const [initPrivateKey, hpkePrivateKey, signaturePrivateKey] = keys.map((k: string) => fromBase64(k)) as [
        Uint8Array,
        Uint8Array,
        Uint8Array,
      ];
      out.push([encoded, { publicPackage: message.keyPackage, privatePackage: { initPrivateKey, hpkePrivateKey, signaturePrivateKey } }]);
    } catch {
      // not one of ours
    }
  }
  return out;
}

/** A fingerprint of a signature public key to compare out of band: SHA-256, as 16 groups of 4 hex digits. */
export async function fingerprintOf(signatureKey: Uint8Array): Promise<string> {
  const digest = await (await mlsSuite()).hash.digest(signatureKey);
  const hex = [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
  return hex.match(/.{4}/gu)?.join(' ') ?? hex;
}
