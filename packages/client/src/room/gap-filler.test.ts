import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Message, MessageHistoryPayload, MessageHistoryResult } from '@chat/protocol';
import { RoomState } from '../core/room-state.js';
import { ConnectionLostError, type RequestEvent, type RequestPayload, type ResponseData, type ServerLink } from '../core/transport.js';
import { GapFiller } from './gap-filler.js';
import { CopyKind, MessageLog } from './message-log.js';

// The gap filler alone, over a real MessageLog and a fake server: when it starts a clock and
// when it asks the server for a hole (gap-fill.integration.test.ts and
// reconnect.integration.test.ts hold the same against a real server). Fake timers: one `tick()`
// is one turn of the filler's clock, whatever its length.

function message(seq: number): Message {
  return {
    id: `m${seq}`,
    roomId: 'r',
    seq,
    clientId: `c${seq}`,
    user: { id: 'bot', name: 'Bot' },
    text: `#${seq}`,
    attachments: [],
    createdAt: new Date(seq * 1000).toISOString(),
    rev: 0,
  };
}

/**
 * The server side of the link: holds the room's messages `stored` (their seqs) and answers
 * `message:history` after a seq with at most `pageSize` of them. `hold()` keeps the answers
 * back until released; `failures` answers fail (a lost connection) first.
 */
class FakeLink implements ServerLink {
  connected = true;
  socketId: string | undefined = 'socket-1';
  failures = 0;
  readonly asked: { event: RequestEvent; payload: unknown }[] = [];
  stored: readonly number[];
  #gate: Promise<void> = Promise.resolve();
  readonly #pageSize: number;

  constructor(stored: readonly number[], pageSize: number) {
    this.stored = stored;
    this.#pageSize = pageSize;
  }

  /** The `after` of each history request, in order. */
  get afters(): (number | undefined)[] {
    return this.asked.map(({ payload }) => (payload as MessageHistoryPayload).after);
  }

  hold(): () => void {
    let release!: () => void;
    this.#gate = new Promise((resolve) => (release = resolve));
    return () => release();
  }

  async request<E extends RequestEvent>(event: E, payload: RequestPayload<E>): Promise<ResponseData<E>> {
    this.asked.push({ event, payload });
    await this.#gate;
    if (this.failures > 0) {
      this.failures--;
      throw new ConnectionLostError('The connection was lost before the server answered.');
    }
    const after = (payload as MessageHistoryPayload).after ?? 0;
    const rest = this.stored.filter((seq) => seq > after);
    const page: MessageHistoryResult = { messages: rest.slice(0, this.#pageSize).map(message), hasMore: rest.length > this.#pageSize };
    return page as ResponseData<E>;
  }
}

/**
 * A room as RoomSync wires its filler: its first page is `joined` (seqs), every message added
 * (live, or fetched) goes through the log and then `watch()`.
 */
function room(
  joined: number[],
  stored: number[],
  { pageSize = 100, state = RoomState.JOINED, ephemeral = false }: { pageSize?: number; state?: RoomState; ephemeral?: boolean } = {},
) {
  const log = new MessageLog('r');
  const link = new FakeLink(stored, pageSize);
  const fetched: number[][] = [];
  const skipped: { after: number; resumedAt: number }[] = [];
  const current = { state };
  const add = (messages: readonly Message[]) => {
    log.apply(messages, CopyKind.PAGE);
    gaps.watch();
  };
  const gaps: GapFiller = new GapFiller({
    roomId: 'r',
    log,
    link,
    state: () => current.state,
    fetched: (messages) => {
      fetched.push(messages.map((m) => m.seq));
      add(messages);
    },
    skipped: (after, resumedAt) => skipped.push({ after, resumedAt }),
  });
  const page = joined.map(message);
  log.begin(page, ephemeral);
  add(page);
  return {
    log,
    link,
    gaps,
    fetched,
    skipped,
    seqs: () => log.messages.map((m) => m.seq),
    /** Live messages (`message` events), in the order given. */
    receive: (...seqs: number[]) => add(seqs.map(message)),
    set state(next: RoomState) {
      current.state = next;
    },
  };
}

/** One turn of the filler's clock: its pending timers fire, and what they asked is answered. */
async function tick(turns = 1): Promise<void> {
  for (let turn = 0; turn < turns; turn++) {
    await vi.runOnlyPendingTimersAsync();
    await vi.advanceTimersByTimeAsync(0);
  }
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('GapFiller, with no hole', () => {
  it('starts no clock and asks nothing while the seqs follow on', async () => {
    const r = room([1, 2], [1, 2, 3, 4]);
    r.receive(3);
    r.receive(4);
    expect(vi.getTimerCount()).toBe(0);
    await tick(3);
    expect(r.link.asked).toEqual([]);
  });

  it('starts no clock in a room joined empty', async () => {
    const r = room([], []);
    r.gaps.watch();
    expect(vi.getTimerCount()).toBe(0);
    await tick(3);
    expect(r.link.asked).toEqual([]);
  });

  it('asks nothing once the missing message came after all (a late broadcast)', async () => {
    const r = room([1], [1, 2, 3]);
    r.receive(3);
    r.receive(2);
    await tick(3);
    expect(r.link.asked).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
    expect(r.seqs()).toEqual([1, 2, 3]);
  });
});

describe('GapFiller, a hole that lasts', () => {
  it('is fetched once, not at once, however many messages arrive meanwhile', async () => {
    const r = room([1], [1, 2, 3, 4, 5]);
    r.receive(3);
    r.receive(4);
    r.receive(5);
    expect(r.link.asked).toEqual([]);
    await tick();
    expect(r.link.asked).toEqual([{ event: 'message:history', payload: { roomId: 'r', after: 1 } }]);
    expect(r.fetched).toEqual([[2, 3, 4, 5]]);
    expect(r.seqs()).toEqual([1, 2, 3, 4, 5]);
    expect(r.log._watermark).toBe(5);
    expect(r.skipped).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
    await tick(3);
    expect(r.link.asked).toHaveLength(1);
  });

  it('longer than a server page: is fetched page by page, nothing the server has stepped over', async () => {
    const r = room([1], [1, 2, 3, 4, 5, 6, 7, 8], { pageSize: 2 });
    r.receive(8);
    await tick(5);
    expect(r.link.afters).toEqual([1, 3, 5]);
    expect(r.seqs()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(r.skipped).toEqual([]);
  });

  it("whose seqs the server's page lacks in a stored room are thread replies: covered, not stepped over", async () => {
    const r = room([1], [1, 4, 5]);
    r.receive(4, 5);
    await tick();
    expect(r.link.afters).toEqual([1]);
    expect(r.skipped).toEqual([]);
    expect(r.log._watermark).toBe(5);
    await tick(3);
    expect(r.link.afters).toEqual([1]);
  });

  it('that the server cannot fill (an ephemeral room) is stepped over once, saying where the room resumed', async () => {
    const r = room([1], [1, 4, 5], { ephemeral: true });
    r.receive(4, 5);
    await tick();
    expect(r.link.afters).toEqual([1]);
    expect(r.skipped).toEqual([{ after: 1, resumedAt: 4 }]);
    expect(r.log._watermark).toBe(5);
    await tick(3);
    expect(r.link.afters).toEqual([1]);
    // A later hole is asked for from where the room resumed.
    r.receive(7);
    await tick();
    expect(r.link.afters).toEqual([1, 5]);
  });

  it('when the history started over while the fetch was out, with nothing past the hole: no step is told', async () => {
    const r = room([1], [1, 2, 3]);
    r.receive(3);
    const release = r.link.hold();
    await tick();
    expect(r.link.afters).toEqual([1]);
    // The server's history started over (a restarted memory store) and holds only 1 now; the
    // room re-joins and starts over from the new join's page, as RoomSync does.
    r.link.stored = [1];
    r.state = RoomState.SYNCING;
    r.gaps.stop();
    r.log.clear();
    r.log.begin([message(1)], false);
    r.receive(1);
    r.state = RoomState.JOINED;
    release();
    await tick(3);
    expect(r.skipped).toEqual([]);
    expect(r.seqs()).toEqual([1]);
    expect(r.log._watermark).toBe(1);
    expect(r.link.afters).toEqual([1]);
  });

  it('is asked for again when the fetch fails, and filled', async () => {
    const r = room([1], [1, 2, 3]);
    r.link.failures = 1;
    r.receive(3);
    await tick();
    expect(r.link.afters).toEqual([1]);
    expect(r.fetched).toEqual([]);
    await tick();
    expect(r.link.afters).toEqual([1, 1]);
    expect(r.seqs()).toEqual([1, 2, 3]);
    expect(r.skipped).toEqual([]);
    await tick(3);
    expect(r.link.asked).toHaveLength(2);
  });
});

describe('GapFiller, when the room is not joined', () => {
  it('starts no clock before the first join is over; watches once joined', async () => {
    const r = room([1], [1, 2, 3, 4], { state: RoomState.JOINING });
    r.receive(3);
    expect(vi.getTimerCount()).toBe(0);
    await tick(3);
    expect(r.link.asked).toEqual([]);
    r.state = RoomState.JOINED;
    r.receive(4);
    await tick();
    expect(r.link.afters).toEqual([1]);
    expect(r.seqs()).toEqual([1, 2, 3, 4]);
  });

  it('asks nothing while a re-join pages forward; asks once joined again', async () => {
    const r = room([1], [1, 2, 3]);
    r.state = RoomState.SYNCING;
    r.receive(3);
    await tick(3);
    expect(r.link.asked).toEqual([]);
    r.state = RoomState.JOINED;
    await tick();
    expect(r.link.afters).toEqual([1]);
    expect(r.seqs()).toEqual([1, 2, 3]);
  });

  it('asks nothing while offline; asks once connected again', async () => {
    const r = room([1], [1, 2, 3]);
    r.link.connected = false;
    r.receive(3);
    await tick(3);
    expect(r.link.asked).toEqual([]);
    r.link.connected = true;
    await tick();
    expect(r.link.afters).toEqual([1]);
    expect(r.seqs()).toEqual([1, 2, 3]);
  });

  it.each([RoomState.LEFT, RoomState.ENDED])('starts no clock once the room is %s', async (state) => {
    const r = room([1], [1, 2, 3]);
    r.state = state;
    r.receive(3);
    expect(vi.getTimerCount()).toBe(0);
    await tick(3);
    expect(r.link.asked).toEqual([]);
  });

  it.each([RoomState.LEFT, RoomState.ENDED])('stops its clock when the room is %s before it runs out', async (state) => {
    const r = room([1], [1, 2, 3]);
    r.receive(3);
    r.state = state;
    await tick();
    expect(r.link.asked).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it.each([RoomState.LEFT, RoomState.ENDED])('drops what a fetch brings when the room is %s meanwhile', async (state) => {
    const r = room([1], [1, 2, 3, 5]);
    r.receive(3, 5);
    const release = r.link.hold();
    await tick();
    expect(r.link.afters).toEqual([1]);
    r.state = state;
    release();
    await tick();
    expect(r.fetched).toEqual([]);
    expect(r.skipped).toEqual([]);
    expect(r.seqs()).toEqual([1, 3, 5]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('asks nothing more when a fetch fails after the room was left', async () => {
    const r = room([1], [1, 2, 3]);
    r.link.failures = 1;
    r.receive(3);
    const release = r.link.hold();
    await tick();
    r.state = RoomState.LEFT;
    release();
    await tick(3);
    expect(r.link.afters).toEqual([1]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('GapFiller.stop', () => {
  it('stops the clock; a hole in the history that started over is watched again', async () => {
    const r = room([1], [1, 2, 3]);
    r.receive(3);
    r.gaps.stop();
    expect(vi.getTimerCount()).toBe(0);
    await tick(3);
    expect(r.link.asked).toEqual([]);
    // What RoomSync does then: the log starts over from the new join's page.
    r.log.clear();
    r.log.begin([message(1)], false);
    r.receive(1, 3);
    await tick();
    expect(r.link.afters).toEqual([1]);
    expect(r.seqs()).toEqual([1, 2, 3]);
  });
});
