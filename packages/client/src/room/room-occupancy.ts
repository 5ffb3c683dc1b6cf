import type { Member, PresenceDelta, RoomJoinResult } from '@chat/protocol';
import type { ServerLink } from '../core/transport.js';
import type { MemberPaging } from './member-pages.js';

// Paging a large room's list is loaded by its first page (member-pages.ts), not with the room: a
// failed load rejects that page (nothing changes) and the next one tries again.
const loadPaging = () => import('./member-pages.js');

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
  #countAt = -Infinity;
  /** The next page's cursor: undefined for the first page, null when every page was read. */
  #cursor: string | undefined | null = null;
  #loading: Promise<Member[]> | undefined;
  readonly #members: Map<string, Member>;

  /** What the pages read and write (member-pages.ts). */
  readonly #paging: MemberPaging;

  constructor(
    link: ServerLink,

    roomId: string,

    members: Map<string, Member>,

    learned: (member: Member) => void,
  ) {
    this.#members = members;
    this.#paging = {
      _link: link,
      _roomId: roomId,
      _members: members,
      _learned: learned,
      _noteCount: (count) => {
        if (this.#large && this.#countAt === -Infinity) this.#count = count;
      },
    };
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
    this.#countAt = result.memberCountAt ?? -Infinity;
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
    const at = delta.countAt ?? Infinity;
    if (at >= this.#countAt) {
      this.#count = delta.count;
      this.#countAt = at;
    }
    return { _countChanged: this.#count !== before, _becameSmall: false };
  }

  /** Reads the next page into the list; resolves with the members it added (empty at the end). */
  _loadMore(limit?: number): Promise<Member[]> {
    if (this.#loading) return this.#loading;
    const cursor = this.#cursor;
    if (cursor === null) return Promise.resolve([]);
    const loading = loadPaging()
      .then((m) => m.readPage(this.#paging, cursor, limit))
      .then(({ added, next }) => {
        // A join or delta while the page was on its way may have reset the cursor: keep theirs.
        if (this.#cursor === cursor) this.#cursor = next;
        return added;
      })
      .finally(() => (this.#loading = undefined));
    this.#loading = loading;
    return loading;
  }

  /** Reads every page again (a room that is small again: its list must be whole). */
  async loadAll(): Promise<Member[]> {
    return (await loadPaging()).readAll(this.#paging);
  }

  /** Pages the whole list from the start with a cursor of its own, merging each page into the list. */
  async *pages(limit?: number): AsyncGenerator<Member[], void, undefined> {
    yield* (await loadPaging()).pagesOf(this.#paging, limit);
  }
}
