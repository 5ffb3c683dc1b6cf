// How a device keeps its rooms' MLS groups in its device keep. The whole group state (about 42 KB
// in a room of 100 devices, milliseconds to encode) is written when the group changes in any way
// but its secret tree: a commit, a join, a message of an earlier epoch. An application message
// moves one node of the secret tree (its sender's ratchet, in ts-mls a new node object in a copied
// array), so encrypting or decrypting one writes that node alone (under a hundred bytes), awaited
// before the ciphertext goes out or the text shows, as the whole state was before.
//
// A kept state carries a random tag and each node record the tag of the state it amends: a node
// record written before the latest whole state is ignored, so a record can never move a newer
// state back. Loading reads the state and the leaves' records and applies the matching ones: the
// device continues at the ratchet generations it reached, and never uses one twice.
//
// A `groups` record lists the rooms whose group is kept (written before a room's first state), so
// that a device its user removed wipes all of them, not only the rooms it opened since it started.
import type { ClientState } from 'ts-mls/clientState.js';
import { encode } from 'ts-mls/codec/tlsEncoder.js';
import { decodeSecretTreeNode, secretTreeNodeEncoder, type SecretTreeNode } from 'ts-mls/secretTree.js';
import { uuid } from '../core/uuid.js';
import { fromBase64, toBase64 } from './base64.js';
import type { DeviceKeep } from './device-keep.js';
import { MlsGroup } from './mls-group.js';

/** Nodes moved since the last write past which the whole state is written instead (a message moves one). */
const MAX_NODE_RECORDS = 4;
/** The prefix of a kept state with a tag (`v2:<tag>:<state>`); a state kept before tags is base64 alone. */
const TAGGED = 'v2:';

const encodeNode = encode(secretTreeNodeEncoder);
/** The record listing the rooms whose group is kept (a JSON array of room ids). */
const INDEX = 'groups';
const stateKey = (roomId: string) => `group:${roomId}`;
const nodeKey = (roomId: string, node: number) => `ratchet:${roomId}:${node}`;

/** What was last written for a room: the state, and the tag its node records carry. */
interface Written {
  state: ClientState;
  tag: string;
}

/**
 * The leaf nodes of the secret tree that moved from `before` to `after`, when nothing else did;
 * undefined when anything else changed (or too many nodes moved): the whole state must be written.
 */
function movedLeaves(before: ClientState, after: ClientState): number[] | undefined {
  const keys = Object.keys(after) as Array<keyof ClientState>;
  if (keys.length !== Object.keys(before).length) return undefined;
  for (const key of keys) if (key !== 'secretTree' && after[key] !== before[key]) return undefined;
  if (after.secretTree.length !== before.secretTree.length) return undefined;
  const moved: number[] = [];
  for (let node = 0; node < after.secretTree.length; node++) {
    if (after.secretTree[node] === before.secretTree[node]) continue;
    if (node % 2 === 1 || moved.length === MAX_NODE_RECORDS) return undefined;
    moved.push(node);
  }
  return moved;
}

/** A kept node record for the state tagged `tag`, or undefined when it is another state's or unreadable. */
function nodeOf(record: string | undefined, tag: string): SecretTreeNode | undefined {
  if (record === undefined || !record.startsWith(`${tag}:`)) return undefined;
  try {
    return decodeSecretTreeNode(fromBase64(record.slice(tag.length + 1)), 0)?.[0];
  } catch {
    return undefined;
  }
}

/** The room ids of a kept index; none when it is missing or unreadable. */
function roomsOf(record: string | undefined): string[] {
  try {
    const rooms: unknown = record === undefined ? [] : JSON.parse(record);
    return Array.isArray(rooms) ? rooms.filter((room): room is string => typeof room === 'string') : [];
  } catch {
    return [];
  }
}

/** A device's rooms' groups in its keep: loaded once per room, written after every change. */
export class GroupKeep {
  readonly #keep: DeviceKeep;
  readonly #written = new Map<string, Written>();
  // The kept index, read once; its writes one at a time (rooms' saves run side by side).
  #rooms: Promise<Set<string>> | undefined;
  #indexing: Promise<unknown> = Promise.resolve();

  constructor(keep: DeviceKeep) {
    this.#keep = keep;
  }

  /** The room's group as kept (the whole state with its node records applied); undefined if none or unreadable. */
  async load(roomId: string): Promise<MlsGroup | undefined> {
    const kept = await this.#keep.get(stateKey(roomId));
    if (kept === undefined) return undefined;
    try {
      if (!kept.startsWith(TAGGED)) return MlsGroup.decode(kept);
      const end = kept.indexOf(':', TAGGED.length);
      const tag = kept.slice(TAGGED.length, end);
      const state = MlsGroup.decode(kept.slice(end + 1)).state;
      const leaves = state.secretTree.flatMap((_, node) => (node % 2 === 0 ? [node] : []));
      const records = await Promise.all(leaves.map((node) => this.#keep.get(nodeKey(roomId, node))));
      const secretTree = state.secretTree.slice();
      leaves.forEach((node, i) => {
        const moved = nodeOf(records[i], tag);
        if (moved !== undefined) secretTree[node] = moved;
      });
      const loaded = { ...state, secretTree };
      this.#written.set(roomId, { state: loaded, tag });
      return new MlsGroup(loaded);
    } catch {
      return undefined;
    }
  }

  /** Deletes what is kept of the room's group: its state and its ratchets (their keys open nothing any more). */
  async forget(roomId: string): Promise<void> {
    this.#written.delete(roomId);
    const kept = await this.#keep.get(stateKey(roomId));
    if (kept !== undefined) await this.#forgetState(roomId, kept);
    await this.#index((rooms) => rooms.delete(roomId));
  }

  async #forgetState(roomId: string, kept: string): Promise<void> {
    let nodes = 0;
    try {
      const end = kept.indexOf(':', TAGGED.length);
      if (kept.startsWith(TAGGED)) nodes = MlsGroup.decode(kept.slice(end + 1)).state.secretTree.length;
    } catch {
      // Unreadable: its ratchets, if any, carry a tag no state has; they are never read.
    }
    for (let node = 0; node < nodes; node += 2) await this.#keep.delete(nodeKey(roomId, node));
    await this.#keep.delete(stateKey(roomId));
  }

  /**
   * Deletes every group kept: the rooms of the index and `rooms` (kept before the index existed),
   * then the index. Stops at the first delete that fails (it throws): calling it again goes on.
   */
  async forgetAll(rooms: Iterable<string> = []): Promise<void> {
    const all = new Set([...(await this.#indexed()), ...rooms]);
    for (const roomId of all) await this.forget(roomId);
    await this.#keep.delete(INDEX);
    this.#rooms = undefined;
  }

  /** Writes what changed in the room's group since the last write: its moved ratchets, or the whole state. */
  async save(roomId: string, group: MlsGroup): Promise<void> {
    const state = group.state;
    const last = this.#written.get(roomId);
    if (last?.state === state) return;
    const moved = last && movedLeaves(last.state, state);
    if (last && moved) {
      for (const node of moved) {
        const record = state.secretTree[node];
        if (record) await this.#keep.set(nodeKey(roomId, node), `${last.tag}:${toBase64(encodeNode(record))}`);
      }
      this.#written.set(roomId, { state, tag: last.tag });
      return;
    }
    const tag = uuid();
    // Listed before it is written: a listed room without a group costs nothing, a group not listed stays.
    await this.#index((rooms) => {
      if (rooms.has(roomId)) return false;
      rooms.add(roomId);
      return true;
    });
    await this.#keep.set(stateKey(roomId), `${TAGGED}${tag}:${group.encode()}`);
    this.#written.set(roomId, { state, tag });
  }

  #indexed(): Promise<Set<string>> {
    this.#rooms ??= this.#keep.get(INDEX).then((record) => new Set(roomsOf(record)));
    // A failed read is tried again next time.
    this.#rooms.catch(() => (this.#rooms = undefined));
    return this.#rooms;
  }

  // Changes the index (`change` answers whether it did) and writes it, after the changes before.
  #index(change: (rooms: Set<string>) => boolean): Promise<void> {
    const run = this.#indexing.then(async () => {
      const rooms = await this.#indexed();
      if (change(rooms)) await this.#keep.set(INDEX, JSON.stringify([...rooms]));
    });
    // Not written: read again before the next change.
    this.#indexing = run.catch(() => (this.#rooms = undefined));
    return run;
  }
}
