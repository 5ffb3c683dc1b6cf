// One device's view of one room's MLS group (RFC 9420, through ts-mls): encrypt, decrypt, commit
// and apply commits. Every cryptographic step is ts-mls's; this file only moves bytes around.
// ts-mls's own modules, not its index: the index also loads its @noble provider, whose @noble
// packages are not dependencies of ts-mls 1.6.4 (the SDK's suite, mls-suite.ts, is its default
// WebCrypto provider with the HKDF and HMAC of @noble/hashes, a dependency of the SDK).
import { decodeGroupState, encodeGroupState, type ClientState } from 'ts-mls/clientState.js';
import { defaultClientConfig } from 'ts-mls/clientConfig.js';
import { createCommit } from 'ts-mls/createCommit.js';
import { createApplicationMessage } from 'ts-mls/createMessage.js';
import type { KeyPackage } from 'ts-mls/keyPackage.js';
import { decodeMlsMessage, encodeMlsMessage, type MLSMessage } from 'ts-mls/message.js';
import { decryptSenderData, type PrivateMessage } from 'ts-mls/privateMessage.js';
import { processPrivateMessage } from 'ts-mls/processMessages.js';
import type { Proposal } from 'ts-mls/proposal.js';
import type { RatchetTree } from 'ts-mls/ratchetTree.js';
import type { SecretTree } from 'ts-mls/secretTree.js';
import { emptyPskIndex } from 'ts-mls/pskIndex.js';
import { fromBase64, toBase64 } from './base64.js';
import { mlsSuite } from './mls-suite.js';

/** What a commit made on this device carries: the commit for the group and the welcome for the added devices. */
export interface PreparedCommit {
  /** The epoch the commit was made in (the server accepts it only while the group is at it). */
  epoch: number;
  /** The commit (an MLSMessage, base64) every current member applies. */
  commit: string;
  /** The welcome (an MLSMessage, base64) for the added devices, when some were added. */
  welcome?: string;
  /** The group once the commit is accepted; adopt it with `MlsGroup.adopt`. */
  next: ClientState;
}

function decode(base64: string): MLSMessage {
  const decoded = decodeMlsMessage(fromBase64(base64), 0);
  if (!decoded) throw new Error('This is not an MLS message.');
  return decoded[0];
}

/** An encrypted message or commit read from its base64 once (`readEncrypted`), to learn its epoch and then process it. */
export interface EncryptedMessage {
  /** The epoch it was made in. */
  readonly epoch: number;
  readonly privateMessage: PrivateMessage;
}

/** An encrypted application message or commit, read once; undefined if `encoded` is not one. */
export function readEncrypted(encoded: string): EncryptedMessage | undefined {
  try {
    const message = decode(encoded);
    if (message.wireformat !== 'mls_private_message') return undefined;
    return { epoch: Number(message.privateMessage.epoch), privateMessage: message.privateMessage };
  } catch {
    return undefined;
  }
}

/** An application message's text and the identity of the member whose leaf sent (and signed) it. */
export interface Decrypted {
  plaintext: Uint8Array;
  /** The sender's identity (`deviceIdentity`), from its leaf's credential in the group's tree. */
  sender: string;
}

/** The identity (`userId/deviceId`) of every member's leaf, by leaf index. */
function leafIdentities(state: ClientState): Map<number, string> {
  const out = new Map<number, string>();
  const text = new TextDecoder();
  state.ratchetTree.forEach((node, index) => {
    if (index % 2 === 0 && node?.nodeType === 'leaf' && node.leaf.credential.credentialType === 'basic') {
      out.set(index / 2, text.decode(node.leaf.credential.identity));
    }
  });
  return out;
}

/** The identity of one leaf's credential, if it is a member's basic credential. */
function identityAt(tree: RatchetTree, leaf: number): string | undefined {
  const node = tree[leaf * 2];
  if (node?.nodeType !== 'leaf' || node.leaf.credential.credentialType !== 'basic') return undefined;
  return new TextDecoder().decode(node.leaf.credential.identity);
}

/** The one leaf whose node differs between two secret trees, if exactly one does. */
function movedLeaf(before: SecretTree | undefined, after: SecretTree | undefined): number | undefined {
  if (before === undefined || after === undefined || before.length !== after.length) return undefined;
  let moved: number | undefined;
  for (let node = 0; node < after.length; node++) {
    if (after[node] === before[node]) continue;
    if (moved !== undefined || node % 2 === 1) return undefined;
    moved = node / 2;
  }
  return moved;
}

/**
 * The identity of the member whose leaf sent an application message that moved the group from
 * `before` to `after`, in the tree of the epoch it was sent in. ts-mls took the message's key from
 * the ratchet of the leaf its sender data names (the one node of the secret tree it replaced) and
 * checked its signature with that leaf's key, so the name is the signer's. Should the trees not
 * show exactly one moved leaf, the sender data is decrypted again (ts-mls) to find it.
 */
async function senderOf(before: ClientState, after: ClientState, message: PrivateMessage): Promise<string | undefined> {
  const past = message.epoch < before.groupContext.epoch;
  const then = past ? before.historicalReceiverData.get(message.epoch) : undefined;
  const tree = then?.ratchetTree ?? before.ratchetTree;
  const leaf = past
    ? movedLeaf(then?.secretTree, after.historicalReceiverData.get(message.epoch)?.secretTree)
    : movedLeaf(before.secretTree, after.secretTree);
  if (leaf !== undefined) return identityAt(tree, leaf);
  const data = await decryptSenderData(message, then?.senderDataSecret ?? before.keySchedule.senderDataSecret, await mlsSuite());
  return data ? identityAt(tree, data.leafIndex) : undefined;
}

/** One room's group as this device holds it. The state only changes by `adopt` and the methods that process a message. */
export class MlsGroup {
  #state: ClientState;

  constructor(state: ClientState) {
    this.#state = state;
  }

  /** The group's id (its MLS group id): a UUID, or the room's id for a group created before ids. */
  get id(): string {
    return new TextDecoder().decode(this.#state.groupContext.groupId);
  }

  /** The group's epoch as this device has it. */
  get epoch(): number {
    return Number(this.#state.groupContext.epoch);
  }

  /** The group state (to store it). */
  get state(): ClientState {
    return this.#state;
  }

  /** The group state as base64 (RFC 9420's encoding, by ts-mls), to keep it in a device store. */
  encode(): string {
    return toBase64(encodeGroupState(this.#state));
  }

  /** A group kept by `encode()`; throws if `encoded` is not one. */
  static decode(encoded: string): MlsGroup {
    const decoded = decodeGroupState(fromBase64(encoded), 0);
    if (!decoded) throw new Error('This is not a kept MLS group state.');
    return new MlsGroup({ ...decoded[0], clientConfig: defaultClientConfig });
  }

  /** Every member's identity, `userId/deviceId`. */
  members(): string[] {
    return [...leafIdentities(this.#state).values()];
  }

  /** The member's signature public key (what a fingerprint is made of), if the identity is in the group. */
  signatureKey(identity: string): Uint8Array | undefined {
    const text = new TextDecoder();
    for (let index = 0; index < this.#state.ratchetTree.length; index += 2) {
      const node = this.#state.ratchetTree[index];
      if (node?.nodeType !== 'leaf' || node.leaf.credential.credentialType !== 'basic') continue;
      if (text.decode(node.leaf.credential.identity) === identity) return node.leaf.signaturePublicKey;
    }
    return undefined;
  }

  /** Encrypts an application message for the group at its current epoch; the ciphertext is base64. */
  async encrypt(plaintext: Uint8Array): Promise<string> {
    const result = await createApplicationMessage(this.#state, plaintext, await mlsSuite());
    this.#state = result.newState;
    return toBase64(encodeMlsMessage({ version: 'mls10', wireformat: 'mls_private_message', privateMessage: result.privateMessage }));
  }

  /**
   * Decrypts an application message. Throws when it is not one, was altered, was already read
   * (a replay: its key is gone), or was sent in an epoch this device was not in.
   */
  async decrypt(ciphertext: string): Promise<Uint8Array> {
    return (await this.decryptFrom(ciphertext)).plaintext;
  }

  /**
   * Decrypts an application message and names its MLS sender: the credential of the leaf its
   * sender data points to, in the tree of the epoch it was sent in. ts-mls verifies the message's
   * signature with that same leaf's key, so the name is the signer's. Throws as `decrypt` does.
   * Takes the base64 or what `readEncrypted` read from it (a reader that looked at its epoch first
   * does not decode it twice).
   */
  async decryptFrom(ciphertext: string | EncryptedMessage): Promise<Decrypted> {
    const read = typeof ciphertext === 'string' ? readEncrypted(ciphertext) : ciphertext;
    if (read?.privateMessage.contentType !== 'application') throw new Error('This is not an encrypted application message.');
    const before = this.#state;
    const result = await processPrivateMessage(before, read.privateMessage, emptyPskIndex, await mlsSuite());
    if (result.kind !== 'applicationMessage') throw new Error('This is not an encrypted application message.');
    this.#state = result.newState;
    const sender = await senderOf(before, result.newState, read.privateMessage);
    if (sender === undefined) throw new Error('The sender of this message is not a member of the group.');
    return { plaintext: result.message, sender };
  }

  /** Applies a commit another member made (in this device's epoch). */
  async applyCommit(commit: string): Promise<void> {
    const message = decode(commit);
    if (message.wireformat !== 'mls_private_message' || message.privateMessage.contentType !== 'commit') {
      throw new Error('This is not an MLS commit.');
    }
    const result = await processPrivateMessage(this.#state, message.privateMessage, emptyPskIndex, await mlsSuite());
    if (result.kind !== 'newState') throw new Error('This is not an MLS commit.');
    this.#state = result.newState;
  }

  /**
   * Makes a commit that adds these key packages (base64 MLSMessages) and removes these identities.
   * The group does not change until `adopt(prepared.next)`: the server may refuse the commit.
   */
  async prepareCommit(change: { add?: readonly string[]; remove?: readonly string[] }): Promise<PreparedCommit> {
    const proposals: Proposal[] = [];
    for (const encoded of change.add ?? []) proposals.push({ proposalType: 'add', add: { keyPackage: keyPackageOf(encoded) } });
    const leaves = leafIdentities(this.#state);
    for (const identity of change.remove ?? []) {
      for (const [leaf, who] of leaves) if (who === identity) proposals.push({ proposalType: 'remove', remove: { removed: leaf } });
    }
    const result = await createCommit(
      { state: this.#state, cipherSuite: await mlsSuite() },
      { extraProposals: proposals, ratchetTreeExtension: true },
    );
    return {
      epoch: this.epoch,
      commit: toBase64(encodeMlsMessage(result.commit)),
      ...(result.welcome && {
        welcome: toBase64(encodeMlsMessage({ version: 'mls10', wireformat: 'mls_welcome', welcome: result.welcome })),
      }),
      next: result.newState,
    };
  }

  /** Takes the state of an accepted commit. */
  adopt(next: ClientState): void {
    this.#state = next;
  }
}

/** The key package inside a base64 MLSMessage (`mls_key_package`). */
function keyPackageOf(encoded: string): KeyPackage {
  const message = decode(encoded);
  if (message.wireformat !== 'mls_key_package') throw new Error('This is not an MLS key package.');
  return message.keyPackage;
}

/** The identity (`deviceIdentity`) a key package's credential claims, or undefined if it is not a key package of ours. */
export function keyPackageIdentity(encoded: string): string | undefined {
  try {
    const credential = keyPackageOf(encoded).leafNode.credential;
    return credential.credentialType === 'basic' ? new TextDecoder().decode(credential.identity) : undefined;
  } catch {
    return undefined;
  }
}

/** The welcome inside a base64 MLSMessage (`mls_welcome`). */
export function welcomeOf(encoded: string): Extract<MLSMessage, { wireformat: 'mls_welcome' }>['welcome'] {
  const message = decode(encoded);
  if (message.wireformat !== 'mls_welcome') throw new Error('This is not an MLS welcome.');
  return message.welcome;
}
