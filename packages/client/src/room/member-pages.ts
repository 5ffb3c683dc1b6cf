// Reading a large room's members page by page (see docs/protocol.md, "Large rooms"), loaded by the
// first page asked for: a room's first view needs only the join's page and its count.
import { MEMBERS_PAGE_LIMIT, type Member } from '@chat/protocol';
import type { ServerLink } from '../core/transport.js';

/** What paging reads and writes of a room (its RoomOccupancy's). */
export interface MemberPaging {
  readonly _link: ServerLink;
  readonly _roomId: string;
  /** The room's list of members, which the pages are merged into. */
  readonly _members: Map<string, Member>;
  _learned(member: Member): void;
  /** A page's count: it has no `countAt`, so it only fills in before any count is known. */
  _noteCount(count: number): void;
}

const page = (paging: MemberPaging, limit: number, after: string | undefined) =>
  paging._link.request('room:members', { roomId: paging._roomId, limit, ...(after !== undefined && { after }) });

/** Merges members into the list; returns those it did not hold. */
function merge(paging: MemberPaging, members: Member[]): Member[] {
  const added: Member[] = [];
  for (const m of members) {
    if (!paging._members.has(m.id)) added.push(m);
    paging._members.set(m.id, m);
    paging._learned(m);
  }
  return added;
}

/** Reads the page after `cursor` into the list: the members it added, and the next cursor (null at the end). */
export async function readPage(
  paging: MemberPaging,
  cursor: string | undefined,
  limit = MEMBERS_PAGE_LIMIT,
): Promise<{ added: Member[]; next: string | null }> {
  const result = await page(paging, limit, cursor);
  paging._noteCount(result.count);
  return { added: merge(paging, result.members), next: result.next ?? null };
}

/** Reads every page again (a room that is small again: its list must be whole); whoever is not listed has left. */
export async function readAll(paging: MemberPaging): Promise<Member[]> {
  const seen = new Set<string>();
  const added: Member[] = [];
  let after: string | undefined;
  do {
    const result = await page(paging, MEMBERS_PAGE_LIMIT, after);
    for (const m of result.members) seen.add(m.id);
    added.push(...merge(paging, result.members));
    after = result.next;
    if (result.next === undefined) {
      for (const id of [...paging._members.keys()]) if (!seen.has(id)) paging._members.delete(id);
    }
  } while (after !== undefined);
  return added;
}

/** Pages the whole list from the start with a cursor of its own, merging each page into the list. */
export async function* pagesOf(paging: MemberPaging, limit = MEMBERS_PAGE_LIMIT): AsyncGenerator<Member[], void, undefined> {
  let after: string | undefined;
  do {
    const result = await page(paging, limit, after);
    merge(paging, result.members);
    paging._noteCount(result.count);
    yield result.members;
    after = result.next;
  } while (after !== undefined);
}
