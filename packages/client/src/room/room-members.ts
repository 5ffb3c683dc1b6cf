import type { Member, PresenceDelta, RoomJoinResult } from '@chat/protocol';
import type { PresenceChange } from '../core/room-types.js';
import type { ServerLink } from '../core/transport.js';
import type { RoomReads } from './read-state.js';
import { RoomOccupancy } from './room-occupancy.js';
import type { RoomSync } from './room-sync.js';

/** The room events the members tell (some of `ChatRoomEvents`): the room's emitter is one. */
export interface MembersEmitter {
  emit(event: 'presence', change: PresenceChange): boolean;
  emit(event: 'updated'): boolean;
}

/** Who is in a room: the join's list, presence deltas, a large room's pages, and what read receipts count. */
export class RoomMembers {
  readonly map = new Map<string, Member>();
  readonly _occupancy: RoomOccupancy;
  readonly #sync: RoomSync;
  readonly #reads: RoomReads;
  readonly #emitter: MembersEmitter;

  constructor(link: ServerLink, sync: RoomSync, reads: RoomReads, emitter: MembersEmitter) {
    this.#sync = sync;
    this.#reads = reads;
    this.#emitter = emitter;
    this._occupancy = new RoomOccupancy(link, sync.id, this.map, (m) => reads.know(m));
  }

  get list(): Member[] {
    return [...this.map.values()];
  }

  /** A join answer (after its calls); returns what to tell once its messages are added: a re-join's presence. */
  joined(result: RoomJoinResult, wasIn: boolean): (() => void) | undefined {
    // The server's marks: newer than ours when another device read meanwhile.
    const reads = result.reads ?? [];
    this.#reads.joined(result.readSeq ?? 0, reads, result.self.id);
    const before = new Map(this.map);
    this.map.clear();
    for (const m of result.members) {
      this.map.set(m.id, m);
      this.#reads.know(m);
    }
    this._occupancy.joined(result);
    this.#count(result.members, reads.length === 0);
    if (!wasIn) return undefined;
    return () => {
      const joined = result.members.filter((m) => !before.has(m.id));
      const left = [...before.values()].filter((m) => !this.map.has(m.id));
      if (joined.length > 0 || left.length > 0)
        this.#emitter.emit('presence', { joined, left, updated: [], members: this.list, memberCount: this._occupancy.count });
    };
  }

  /**
   * A presence delta. One that comes while a join is under way waits for its answer: it may tell
   * of a member who came or went after the answer's members and marks were read.
   *
   * Held deltas are applied after the answer, in the order they came, as if they came after it;
   * the answer may be older or newer than each. A delta names its members as they were when it
   * went out, and a later change goes out in a later delta: an older held one may undo the answer
   * for a moment (the `left` of someone back since, an older status in `updated`) until that later
   * delta comes; a newer one tells what the answer missed (who came, and who left: they stay gone).
   * Counts keep the newest by `countAt`, as always. Skipped, as the answer covers them: a large
   * room's held delta whose count was read before the answer's (`countAt` not above
   * `memberCountAt`; the server takes a delta's changes before it reads its count, so the answer's
   * count and page have them, and they would list members past the page), and in any delta
   * yourself where no page of a large room listed you (see #apply).
   */
  receive(delta: PresenceDelta): void {
    const held = (answer: RoomJoinResult): void => {
      if (!((delta.countAt ?? NaN) <= (answer.memberCountAt ?? NaN))) this.#apply(delta);
    };
    if (!this.#sync._afterJoin(held)) this.#apply(delta);
  }

  #apply(delta: PresenceDelta): void {
    const occupancy = this._occupancy.delta(delta);
    if (occupancy._becameSmall) this.#reload();
    const joined: Member[] = [];
    const left: Member[] = [];
    const updated: Member[] = [];
    for (const member of [...delta.joined, ...delta.updated]) {
      if (member.id === this.#sync.self?.id) {
        // Your own status, set here or on another device, as the others see it.
        this.#sync.self = member;
        // You are here (the answer's `self` and count say so) and, in a large room, listed where
        // a page listed you: its first page need not. A delta that names you as come (your own
        // join, held or not, another tab's) does not put you past the page. A small room's list is
        // whole: you are in it (after an older held `left` of yours too).
        if (this._occupancy.large && !this.map.has(member.id) && delta.joined.includes(member)) continue;
      }
      if (!this.map.has(member.id)) joined.push(member);
      else updated.push(member);
      this.map.set(member.id, member);
      this.#reads.know(member);
    }
    for (const id of delta.left) {
      const member = this.map.get(id);
      if (member && this.map.delete(id)) left.push(member);
    }
    this.#count(delta.joined, false);
    if (joined.length === 0 && left.length === 0 && updated.length === 0 && !occupancy._countChanged) return;
    this.#emitter.emit('presence', { joined, left, updated, members: this.list, memberCount: this._occupancy.count });
    this.#emitter.emit('updated');
  }

  // Members present are stored members: counted for read receipts (see RoomReads). A join answer
  // without marks while others are here is a room too big for receipts (a small room's answer
  // lists every other member's mark).
  #count(present: readonly Member[], noMarks: boolean): void {
    if (this.#sync.room?.options.ephemeral === true) return;
    const selfId = this.#sync.self?.id;
    if (noMarks && present.some((m) => m.id !== selfId)) this.#reads._noReceipts();
    this.#reads.present(this._occupancy.count);
    for (const m of present) this.#reads.member(m.id);
  }

  // A large room became small: its list is read whole once, then kept by deltas as before.
  #reload(): void {
    this._occupancy
      .loadAll()
      .then(() => {
        if (!this.#sync._isClosed()) this.#emitter.emit('updated');
      })
      .catch(() => {
        // The next join (or the next change to large) reads the list again.
      });
  }
}

/** Loads the next page of a large room's members (see `ChatRoom.loadMembers`); a page that added any is told as `updated`. */
export async function loadMembers(members: RoomMembers, emitter: MembersEmitter, limit: number | undefined): Promise<Member[]> {
  const added = await members._occupancy._loadMore(limit);
  if (added.length > 0) emitter.emit('updated');
  return added;
}
