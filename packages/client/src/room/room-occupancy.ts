import { MEMBERS_PAGE_LIMIT, type Member, type PresenceDelta, type RoomJoinResult } from '@chat/protocol';
import type { ServerLink } from '../core/transport.js';

/** What a presence delta changed in the count and the mode of the room. */
export interface OccupancyChange {
  /** The count others see moved. */
  _countChanged: boolean;
  /** The room was large and is small again: its whole list should be read once. */
  _becameSmall: boolean;
}

/**
 * How many members a room has and, in a large room (see docs/protocol.md, "Large rooms"), how
 * far its list has been read. A small room's count is its list's length; a large room's is the
 * server's exact count, the newest by `countAt`, and its list is what was paged in plus the
 * few changes its presence deltas name.
 */
export class RoomOccupancy {
  #large = false;
  #count = 0;
  #countAt = Number.NEGATIVE_INFINITY;
  /** The next page's cursor: undefined for the first page, null when every page was read. */
  #cursor: string | undefined | null = null;
  #loading: Promise<Member[]> | undefined;

  readonly #link: ServerLink;

  readonly #roomId: string;

  readonly #members: Map<string, Member>;

  readonly #learned: (member: Member) => void;

  constructor(
    link: ServerLink,

    roomId: string,

    members: Map<string, Member>,

    learned: (member: Member) => void,
  ) {
    this.#link = link;

    this.#roomId = roomId;

    this.#members = members;

    this.#learned = learned;
  }

  get large(): boolean {
    return this.#large;
  }

  get count(): number {
    return this.#large ? this.#count : this.#members.size;
  }

  /** More of a large room's list can be read with {@link _loadMore}. */
  get hasMore(): boolean {
    return this.#large && this.#cursor !== null;
  }

  /** A join's answer (its `members` already in the map). */
  joined(result: RoomJoinResult): void {
    this.#large = result.large === true;
    this.#count = result.memberCount ?? result.members.length;
    this.#countAt = result.memberCountAt ?? Number.NEGATIVE_INFINITY;
    this.#cursor = this.#large ? (result.membersNext ?? null) : null;
  }

  /** A presence delta, before its members are applied. */
  delta(delta: PresenceDelta): OccupancyChange {
    const before = this.count;
    if (delta.count === undefined) {
      const becameSmall = this.#large;
      this.#large = false;
      this.#cursor = null;
      return { _countChanged: becameSmall, _becameSmall: becameSmall };
    }
    if (!this.#large) {
      // Grown large: the list held is whole now, but it will no longer be kept whole; page it
      // again from the start to refresh it.
      this.#large = true;
      this.#cursor = undefined;
    }
    const at = delta.countAt ?? Number.POSITIVE_INFINITY;
    if (at >= this.#countAt) {
      this.#count = delta.count;
      this.#countAt = at;
    }
    return { _countChanged: this.#count !== before, _becameSmall: false };
  }

  /** Reads the next page into the list; resolves with the members it added (empty at the end). */
  _loadMore(limit: number = MEMBERS_PAGE_LIMIT): Promise<Member[]> {
    if (this.#loading) return this.#loading;
    if (this.#cursor === null) return Promise.resolve([]);
    const loading = this.#page(this.#cursor, limit).finally(() => (this.#loading = undefined));
    this.#loading = loading;
    return loading;
  }

  /** Reads every page again (a room that is small again: its list must be whole). */
  async loadAll(): Promise<Member[]> {
    const seen = new Set<string>();
    const added: Member[] = [];
    let after: string | undefined;
    do {
      const page = await this.#link.request('room:members', {
        roomId: this.#roomId,
        limit: MEMBERS_PAGE_LIMIT,
        ...(after !== undefined && { after }),
      });
      for (const m of page.members) seen.add(m.id);
      added.push(...this.#merge(page.members));
      after = page.next;
      if (page.next === undefined) {
        // Whoever was not listed has left.
        for (const id of [...this.#members.keys()]) if (!seen.has(id)) this.#members.delete(id);
      }
    } while (after !== undefined);
    return added;
  }

  /** Pages the whole list from the start with a cursor of its own, merging each page into the list. */
  async *pages(limit: number = MEMBERS_PAGE_LIMIT): AsyncGenerator<Member[], void, undefined> {
    let after: string | undefined;
    do {
      const page = await this.#link.request('room:members', { roomId: this.#roomId, limit, ...(after !== undefined && { after }) });
      this.#merge(page.members);
      this.#noteCount(page.count);
      yield page.members;
      after = page.next;
    } while (after !== undefined);
  }

  async #page(cursor: string | undefined, limit: number): Promise<Member[]> {
    const page = await this.#link.request('room:members', { roomId: this.#roomId, limit, ...(cursor !== undefined && { after: cursor }) });
    // A join or delta while the page was on its way may have reset the cursor: keep theirs.
    if (this.#cursor === cursor) this.#cursor = page.next ?? null;
    this.#noteCount(page.count);
    return this.#merge(page.members);
  }

  // A page's count has no `countAt`: it only fills in before any count is known.
  #noteCount(count: number): void {
    if (this.#large && this.#countAt === Number.NEGATIVE_INFINITY) this.#count = count;
  }

  #merge(members: Member[]): Member[] {
    const added: Member[] = [];
    for (const m of members) {
      if (!this.#members.has(m.id)) added.push(m);
      this.#members.set(m.id, m);
      this.#learned(m);
    }
    return added;
  }
}
