import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { builtInError, type RoomJoinResult } from '@chat/protocol';
import { RoomState } from '../core/room-state.js';
import { ConnectionLostError, type RequestEvent, type RequestPayload, type ResponseData } from '../core/transport.js';
import { FakeServer, joined, lost, message, room } from './room-sync-fixtures.js';

// What RoomSync holds while a join is under way (live events and changes, applied once its answer
// is), joins that overlap (a re-join started on a new connection while an earlier one waits), and
// older messages merged in from a window. Over a real MessageLog and a fake server, fake timers.

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

/** Holds a live event in `sync` (as the room's members do) that writes what it saw into `seen`. */
function holder(sync: { _afterJoin(apply: (answer: RoomJoinResult) => void): boolean }, seen: string[]) {
  return (name: string): boolean => sync._afterJoin((answer) => void seen.push(`${name} ${answer.epoch}`));
}
const forbidden = () => builtInError('FORBIDDEN', 'No longer allowed.');

describe('RoomSync, live events held during a join', () => {
  it('are applied in order once the answer is, after its messages; none is held once joined', async () => {
    const { server, ...r } = room(new FakeServer(2));
    const { answer } = await server.held('room:join', () => r.sync.join());
    const seen: string[] = [];
    const seqs: number[][] = [];
    expect(r.sync._afterJoin(() => void seqs.push(r.seqs()))).toBe(true);
    expect(holder(r.sync, seen)('second')).toBe(true);
    expect([seen, seqs]).toEqual([[], []]);
    await answer();
    expect([seen, seqs, r.sync.state]).toEqual([['second e1'], [[1, 2]], RoomState.JOINED]);
    expect(holder(r.sync, seen)('late')).toBe(false);
    expect(seen).toEqual(['second e1']);
  });
  it('are dropped when the join fails, which leaves the room not joined and holds nothing more', async () => {
    const { server, ...r } = room(new FakeServer(2));
    const { answer } = await server.held('room:join', () => r.sync.join(), forbidden());
    const seen: string[] = [];
    holder(r.sync, seen)('held');
    await expect(answer()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect([seen, r.sync.state, r.told]).toEqual([[], RoomState.JOINING, []]);
    expect(holder(r.sync, seen)('after')).toBe(false);
  });
  it('are dropped when the room is left during the join, with the changes held: the next join starts clean', async () => {
    const { server, ...r } = await joined(2);
    const { answer } = await server.held('room:join', r.reconnect);
    const seen: string[] = [];
    holder(r.sync, seen)('held');
    r.sync._receiveUpdate(message(1, 1, '#1 edited'));
    r.sync.state = RoomState.LEFT;
    await answer();
    expect([seen, r.texts()]).toEqual([[], ['#1', '#2']]);
    // Joined again later (as `ChatRoom.join` does after a leave): nothing of the left join comes back.
    r.sync.state = RoomState.JOINING;
    await r.sync.join();
    expect([seen, r.texts(), r.sync.state]).toEqual([[], ['#1', '#2'], RoomState.JOINED]);
    expect(holder(r.sync, seen)('after')).toBe(false);
  });
});

describe('RoomSync, what a join answer brings', () => {
  it('a held event that ends the room stops those after it', async () => {
    const { server, ...r } = room(new FakeServer(1));
    const { answer } = await server.held('room:join', () => r.sync.join());
    const seen: string[] = [];
    r.sync._afterJoin(() => void (r.sync.state = RoomState.ENDED));
    holder(r.sync, seen)('after the end');
    await answer();
    expect([seen, r.sync.state, r.told.includes('synced')]).toEqual([[], RoomState.ENDED, false]);
  });
  it('from an older server, without commands or plugins: none', async () => {
    /** Answers joins as a server from before slash commands and plugins did. */
    class OlderServer extends FakeServer {
      override async request<E extends RequestEvent>(event: E, payload: RequestPayload<E>): Promise<ResponseData<E>> {
        const answer = await super.request(event, payload);
        if (event !== 'room:join') return answer;
        const { commands: _commands, plugins: _plugins, ...older } = answer as RoomJoinResult;
        return older as ResponseData<E>;
      }
    }
    const { sync } = await joined(new OlderServer(1));
    expect([sync.commands, sync.plugins]).toEqual([[], {}]);
  });
  it('a re-join answer that skips seqs (thread replies) leaves no hole to fill', async () => {
    const { server, ...r } = await joined(2);
    server.messages.push(message(4));
    await r.reconnect();
    await vi.advanceTimersByTimeAsync(5000);
    expect(r.seqs()).toEqual([1, 2, 4]);
    expect(server.payloads('message:history')).toEqual([{ roomId: 'r', changedAfter: 0, minSeq: 1, maxSeq: 2 }]);
  });
  it('neither does a page forward that skips seqs, whatever its length', async () => {
    const { server, ...r } = await joined(1);
    server.post(3);
    [6, 7, 9].forEach((seq) => server.messages.push(message(seq)));
    await r.reconnect();
    await vi.advanceTimersByTimeAsync(5000);
    expect(r.seqs()).toEqual([1, 2, 3, 4, 6, 7, 9]);
    expect(server.payloads('message:history').filter((p) => typeof p === 'object' && p !== null && 'after' in p)).toEqual([
      { roomId: 'r', after: 4 },
    ]);
  });
  it('a hole the server cannot fill is stepped over, and said', async () => {
    const { server, ...r } = await joined(2);
    r.sync._receiveMessage(message(5));
    await vi.advanceTimersByTimeAsync(5000);
    expect(server.payloads('message:history')).toEqual([{ roomId: 'r', after: 2 }]);
    expect(r.told).toEqual(['added 5', 'message 5', 'updated', 'discontinuity gap']);
  });
  it('a re-join asks no changes where no join caught up: after a join cut short, or of messages past a hole', async () => {
    // Left by a listener of what the first answer told (held presence): that join ends before its rev.
    const { server, ...r } = room(new FakeServer(2));
    const { answer } = await server.held('room:join', () => r.sync.join());
    r.sync._afterJoin(() => void (r.sync.state = RoomState.LEFT));
    await answer();
    r.sync.state = RoomState.JOINING;
    await r.sync.join();
    // Joined empty, then a message past a hole, and a reconnect before the hole is filled.
    const empty = await joined(0);
    empty.server.post(3);
    empty.sync._receiveMessage(message(3));
    await empty.reconnect();
    expect([server.payloads('message:history'), empty.server.payloads('message:history')]).toEqual([[], []]);
    expect([r.seqs(), empty.seqs()]).toEqual([
      [1, 2],
      [1, 2, 3],
    ]);
  });
  it('a re-join left while it catches up changes asks none for the runs held apart', async () => {
    const server = new FakeServer(3);
    const r = room(server, { heldApart: () => [{ minSeq: 1, maxSeq: 1 }] });
    await r.sync.join();
    server.edit(1, 2);
    const { answer } = await server.held('message:history', r.reconnect);
    r.sync.state = RoomState.LEFT;
    await answer();
    expect(server.payloads('message:history')).toEqual([{ roomId: 'r', changedAfter: 0, minSeq: 1, maxSeq: 3 }]);
  });
});

describe('RoomSync, two joins under way (a re-join on a new connection while one waits)', () => {
  it('the first answer applies the held events and keeps them, and the changes, for the newer answer', async () => {
    const { server, ...r } = await joined(5);
    const seen: string[] = [];
    const first = await server.held('room:join', r.reconnect);
    const second = await server.held('room:join', r.reconnect);
    holder(r.sync, seen)('held');
    await first.answer();
    // Not joined yet: the newer join says so once it ends.
    expect([seen, r.sync.state, r.told.includes('synced')]).toEqual([['held e1'], RoomState.SYNCING, false]);
    expect(holder(r.sync, seen)('later')).toBe(true);
    // The server's history started over meanwhile; a change of its new history is broadcast before the newer answer.
    server.restart(3);
    r.sync._receiveUpdate(message(2, 1, 'new #2 edited', 'n2'));
    expect(r.texts()).toEqual(['#3', '#4', '#5']);
    await second.answer();
    expect(seen).toEqual(['held e1', "held e1'", "later e1'"]);
    // Applied after the newer answer, which dropped the old history: not lost with it.
    expect([r.texts(), r.sync.state]).toEqual([['new #1', 'new #2 edited', 'new #3'], RoomState.JOINED]);
    expect(r.told.filter((t) => t === 'synced')).toHaveLength(1);
  });
  it('the older one fails: what it held waits for the newer answer, which says the room is joined', async () => {
    const { server, ...r } = await joined(2);
    const seen: string[] = [];
    const first = await server.held('room:join', r.reconnect, lost());
    // Held before the newer join starts: the newer one keeps it.
    holder(r.sync, seen)('held');
    r.sync._receiveUpdate(message(1, 1, '#1 edited'));
    const second = await server.held('room:join', r.reconnect);
    await expect(first.answer()).rejects.toBeInstanceOf(ConnectionLostError);
    expect([seen, r.texts(), r.sync.state]).toEqual([[], ['#1', '#2'], RoomState.SYNCING]);
    await second.answer();
    expect([seen, r.texts(), r.sync.state]).toEqual([['held e1'], ['#1 edited', '#2'], RoomState.JOINED]);
  });
  it('the newer one fails after the older ended: joined as the older found it; a later failure leaves it syncing', async () => {
    const { server, ...r } = await joined(2);
    const first = await server.held('room:join', r.reconnect);
    const second = await server.held('room:join', r.reconnect, forbidden());
    await first.answer();
    expect(r.sync.state).toBe(RoomState.SYNCING);
    await expect(second.answer()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect([r.sync.state, r.told.filter((t) => t === 'synced')]).toEqual([RoomState.JOINED, ['synced']]);
    // A re-join that fails on its own does not say the room is joined.
    server.fail('room:join', forbidden());
    await expect(r.reconnect()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect([r.sync.state, r.told]).toEqual([RoomState.SYNCING, []]);
  });
  it('the newer one fails after the room was left: it stays left', async () => {
    const { server, ...r } = await joined(2);
    const first = await server.held('room:join', r.reconnect);
    const second = await server.held('room:join', r.reconnect, lost());
    await first.answer();
    r.sync.state = RoomState.LEFT;
    await expect(second.answer()).rejects.toBeInstanceOf(ConnectionLostError);
    expect([r.sync.state, r.told.includes('synced')]).toEqual([RoomState.LEFT, false]);
  });
});

describe('RoomSync._merge (older messages a window met the log with)', () => {
  it('adds them, not told as news, and takes whether older ones exist', async () => {
    const { server, ...r } = await joined(5);
    expect(r.sync.hasMoreHistory).toBe(true);
    r.sync._merge([message(1), message(2)], false);
    expect([r.seqs(), r.sync.hasMoreHistory, r.told]).toEqual([[1, 2, 3, 4, 5], false, ['added 1,2', 'updated']]);
    expect(server.asked).toHaveLength(1);
  });
  it('keeps what it knew of older ones when what is merged is not older than the oldest held', async () => {
    const r = await joined(5);
    r.sync._merge([message(3, 1, '#3 edited'), message(4)], false);
    expect([r.texts(), r.sync.hasMoreHistory]).toEqual([['#3 edited', '#4', '#5'], true]);
    r.sync._merge([], false);
    expect([r.seqs(), r.sync.hasMoreHistory]).toEqual([[3, 4, 5], true]);
    expect(r.told).toEqual(['messageUpdated 3', 'updated', 'updated']);
  });
  it('in a room that held nothing: takes whether older ones exist', async () => {
    const r = await joined(0);
    r.sync._merge([message(1), message(2)], true);
    expect([r.seqs(), r.sync.hasMoreHistory]).toEqual([[1, 2], true]);
  });
});
