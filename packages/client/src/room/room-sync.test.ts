import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { builtInError } from '@chat/protocol';
import { RoomState } from '../core/room-state.js';
import { ConnectionLostError } from '../core/transport.js';
import { commands, FakeServer, joined, limited, lost, message, room, settled, upTo } from './room-sync-fixtures.js';

// The SDK's catch-up alone over a real MessageLog and a fake server (reconnect and history-reset
// integration tests hold the same against a real one): the room's messages, each once and in
// order, and the events told. Fake timers: the waits the server asks for pass at once.

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('RoomSync, the first join', () => {
  it('shows the latest page, not told as news, and is ready to send; older history is there to load', async () => {
    const { server, ...r } = room(new FakeServer(5));
    const { answer } = await server.held('room:join', () => r.sync.join());
    // Before the answer: nothing known yet; a live message is kept, not told as news.
    expect([r.sync.state, r.sync.commands, r.sync.hasMoreHistory]).toEqual([RoomState.JOINING, [], false]);
    r.sync._receiveMessage(message(6));
    await answer();
    expect(server.asked).toEqual([{ event: 'room:join', payload: { roomId: 'r' } }]);
    expect([r.seqs(), r.sync.state, r.sync.hasMoreHistory, r.sync.commands]).toEqual([[3, 4, 5, 6], RoomState.JOINED, true, commands]);
    expect([r.sync.room?.id, r.sync.self?.id]).toEqual(['r', 'me']);
    expect(r.told).toEqual(['added 6', 'updated', 'joined', 'added 3,4,5', 'updated', 'synced']);
  });
  it.each([
    [true, []],
    [false, [{ roomId: 'r', after: 0 }]],
  ])('joined empty (ephemeral: %s): a hole before the first message is missing unless ephemeral', async (ephemeral, asked) => {
    const { server, ...r } = await joined(Object.assign(new FakeServer(), { ephemeral }));
    server.post(3);
    r.sync._receiveMessage(message(3));
    await vi.runAllTimersAsync();
    expect([server.payloads('message:history'), r.seqs()]).toEqual([asked, ephemeral ? [3] : [1, 2, 3]]);
    // What was fetched is news; the server marks a sender's message read by its sender, not in an ephemeral room.
    const fetched = ['added 1,2', 'message 1', 'message 2', 'updated'];
    expect(r.told).toEqual(ephemeral ? ['message 3', 'updated'] : ['added 3', 'message 3', 'updated', ...fetched]);
  });
  it('keeps a change broadcast before the answer for after it: no message from outside the page', async () => {
    const { server, ...r } = room(new FakeServer(5));
    const { answer } = await server.held('room:join', () => r.sync.join());
    // Edits of a message older than the first page, and of one in it, made after the answer was read.
    r.sync._receiveUpdate(message(1, 1, 'old, edited'));
    r.sync._receiveUpdate(message(4, 2, '#4 edited'));
    await answer();
    expect(r.texts()).toEqual(['#3', '#4 edited', '#5']);
    expect(r.told).toEqual(['joined', 'added 3,4,5', 'messageUpdated 4', 'updated', 'updated', 'synced']);
    r.sync._receiveUpdate(message(5, 3, '#5 edited'));
    expect(r.texts()).toEqual(['#3', '#4 edited', '#5 edited']);
  });
  it.each([
    ['cut off by a disconnect: asked again once connected', 'offline', 'joined'],
    ['left while cut off by a disconnect: fails, not asked again', 'left', 'lost'],
    ['unanswered while still connected: fails, not asked again', 'online', 'lost'],
  ])('%s', async (_case, then, outcome) => {
    const { server, ...r } = room(new FakeServer(1));
    server.before('room:join', () => {
      [server.connected, r.sync.state] = [then === 'online', then === 'left' ? RoomState.LEFT : r.sync.state];
      throw lost();
    });
    server.before('room:join', () => void (server.connected = true));
    expect(
      await r.sync.join().then(
        () => 'joined',
        (error: unknown) => error instanceof ConnectionLostError && 'lost',
      ),
    ).toBe(outcome);
    expect(server.payloads('room:join')).toEqual(outcome === 'joined' ? [{ roomId: 'r' }, { roomId: 'r' }] : [{ roomId: 'r' }]);
  });
  it('waits as long as the server says, up to 10 s, and is refused after too many waits', async () => {
    const { server, ...r } = room(new FakeServer(1));
    server.fail('room:join', limited(10_000));
    server.fail('room:join', builtInError('TIMEOUT', 'Busy.'));
    await settled(r.sync.join());
    expect([server.payloads('room:join').length, r.seqs()]).toEqual([3, [1]]);
    const again = new FakeServer();
    again.fail('room:join', limited(10), 41);
    await expect(settled(room(again).sync.join())).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(again.payloads('room:join')).toHaveLength(31);
  });
  it.each([limited(10_001), builtInError('FORBIDDEN', 'No.')])('is refused at once on %s (over 10 s, or for good)', async (error) => {
    const server = new FakeServer().fail('room:join', error);
    await expect(room(server).sync.join()).rejects.toBe(error);
    expect(server.asked).toHaveLength(1);
  });
});
describe('RoomSync, a re-join after a reconnect', () => {
  it('after a long absence: pages forward from where it was, every message once and in order', async () => {
    const { server, ...r } = await joined(3);
    server.post(7);
    const rejoining = r.reconnect();
    expect(r.sync.state).toBe(RoomState.SYNCING);
    await rejoining;
    expect(server.payloads('room:join').at(-1)).toEqual({ roomId: 'r', since: 3, epoch: 'e1' });
    const pages = [{ after: 6 }, { after: 9 }, { changedAfter: 0, minSeq: 1, maxSeq: 3 }];
    expect(server.payloads('message:history')).toEqual(pages.map((page) => ({ roomId: 'r', ...page })));
    expect([r.seqs(), r.sync.state, r.sync.hasMoreHistory]).toEqual([upTo(10), RoomState.JOINED, false]);
    const news = (seqs: number[]) => [`added ${seqs.join(',')}`, ...seqs.map((seq) => `message ${seq}`)];
    expect(r.told).toEqual(['joined again', ...news([4, 5, 6]), 'presence', ...news([7, 8, 9]), ...news([10]), 'updated', 'synced']);
  });
  it('with live messages arriving while it pages forward: each once, in seq order', async () => {
    const { server, ...r } = await joined(2);
    server.post(8);
    const { answer } = await server.held('message:history', r.reconnect);
    expect(r.seqs()).toEqual([1, 2, 3, 4, 5]);
    server.post(1);
    [11, 7, 7].forEach((seq) => r.sync._receiveMessage(message(seq)));
    await answer();
    expect(r.seqs()).toEqual(upTo(11));
    const told = r.told.filter((t) => t.startsWith('message '));
    expect([told.length, new Set(told).size]).toEqual([9, 9]);
  });
  it('ends when the server says there is more, yet sends nothing', async () => {
    const { server, ...r } = await joined(1);
    server.post(4);
    server.before('message:history', () => void (server.pageSize = 0));
    await r.reconnect();
    // A page forward and a page of changes, both empty: the gap filler asks for the rest later.
    expect(server.payloads('message:history')).toHaveLength(2);
    expect([r.seqs(), r.sync.state]).toEqual([[1, 2, 3, 4], RoomState.JOINED]);
  });
  it('catches up the edits made meanwhile to the messages held, page by page, from the last join', async () => {
    const { server, ...r } = await joined(Object.assign(new FakeServer(6), { pageSize: 5 }));
    server.pageSize = 3;
    server.edit(2, 4, 1, 5, 3, 6, 2);
    server.post(1);
    await r.reconnect();
    const asked = (changedAfter: number) => ({ roomId: 'r', changedAfter, minSeq: 2, maxSeq: 6 });
    expect(server.payloads('message:history')).toEqual([asked(0), asked(5)]);
    expect(r.texts()).toEqual(['#2 edited 7', '#3 edited 5', '#4 edited 2', '#5 edited 4', '#6 edited 6', '#7']);
    const updated = [4, 5, 3, 6, 2].map((seq) => `messageUpdated ${seq}`);
    expect(r.told.filter((t) => t.startsWith('message'))).toEqual(['message 7', ...updated]);
    // The next re-join asks only for what changed after this one.
    server.edit(7);
    await r.reconnect();
    expect(server.payloads('message:history').at(-1)).toEqual({ ...asked(7), maxSeq: 7 });
    expect(r.texts().at(-1)).toBe('#7 edited 8');
  });
  it('catches up the edit of the one message held; asks none when none is held', async () => {
    const r = await joined(1);
    r.server.edit(1);
    await r.reconnect();
    expect(r.texts()).toEqual(['#1 edited 1']);
    const empty = await joined(0);
    empty.server.post(1);
    await empty.reconnect();
    expect([empty.server.payloads('message:history'), empty.seqs()]).toEqual([[], [1]]);
  });
  it('cut short before the end asks again from the last completed join', async () => {
    const { server, ...r } = await joined(3);
    server.edit(2);
    server.fail('message:history', lost());
    await expect(r.reconnect()).rejects.toBeInstanceOf(ConnectionLostError);
    server.edit(3);
    await r.reconnect();
    expect(server.payloads('message:history').at(-1)).toEqual({ roomId: 'r', changedAfter: 0, minSeq: 1, maxSeq: 3 });
    expect(r.texts()).toEqual(['#1', '#2 edited 1', '#3 edited 2']);
  });
  it('keeps a change broadcast before the answer, to a history that started over', async () => {
    const { server, ...r } = await joined(5);
    server.restart(3);
    const { answer } = await server.held('room:join', r.reconnect);
    r.sync._receiveUpdate(message(2, 1, 'new #2 edited', 'n2'));
    await answer();
    expect(r.texts()).toEqual(['new #1', 'new #2 edited', 'new #3']);
  });
  it('that fails for good still applies the changes broadcast meanwhile, and those after', async () => {
    const { server, ...r } = await joined(2);
    const { answer } = await server.held('room:join', r.reconnect, builtInError('FORBIDDEN', 'No longer allowed.'));
    r.sync._receiveUpdate(message(1, 1, '#1 edited'));
    await expect(answer()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(r.texts()).toEqual(['#1 edited', '#2']);
    r.sync._receiveUpdate(message(2, 2, '#2 edited'));
    expect(r.texts()).toEqual(['#1 edited', '#2 edited']);
  });
});
describe('RoomSync, a history that started over', () => {
  it('on a re-join: drops the old messages, says so, and shows the new latest page', async () => {
    const { server, ...r } = await joined(5);
    server.restart(4);
    await r.reconnect();
    expect(server.payloads('room:join').at(-1)).toEqual({ roomId: 'r', since: 5, epoch: 'e1' });
    // Nothing of the old history is asked for.
    expect(server.payloads('message:history')).toEqual([]);
    expect([r.texts(), r.sync.hasMoreHistory]).toEqual([['new #2', 'new #3', 'new #4'], true]);
    expect(r.told).toEqual(['discontinuity reset', 'joined again', 'added 2,3,4', 'presence', 'updated', 'synced']);
    // The next re-join resumes in the new history, with its changes.
    server.post(1);
    server.edit(3);
    await r.reconnect();
    expect(server.payloads('room:join').at(-1)).toEqual({ roomId: 'r', since: 4, epoch: "e1'" });
    expect(r.texts()).toEqual(['new #2', '#3 edited 1', 'new #4', 'new #5']);
  });
  it('seen live (another message under a held seq): joins again once, and keeps that message', async () => {
    const { server, ...r } = await joined(5);
    server.restart(3);
    r.sync._receiveMessage(message(4, 0, 'new #4', 'n4'));
    r.sync._receiveMessage(message(5, 0, 'new #5', 'n5'));
    await vi.runAllTimersAsync();
    expect(server.payloads('room:join')).toHaveLength(2);
    expect(r.texts()).toEqual(['new #1', 'new #2', 'new #3', 'new #4']);
    expect(r.told).toContain('discontinuity reset');
    // A later start-over is seen the same way.
    server.restart(1);
    r.sync._receiveMessage(message(2, 0, 'newer #2', 'x2'));
    await vi.runAllTimersAsync();
    expect([server.payloads('room:join').length, r.texts()]).toEqual([3, ['new #1', 'newer #2']]);
  });
  it('seen live while a re-join is out: joins no second time', async () => {
    const { server, ...r } = await joined(5);
    server.restart(4);
    const { answer } = await server.held('room:join', r.reconnect);
    r.sync._receiveMessage(message(4, 0, 'new #4', 'n4'));
    await answer();
    await vi.runAllTimersAsync();
    expect([server.payloads('room:join').length, r.texts()]).toEqual([2, ['new #2', 'new #3', 'new #4']]);
  });
  it('seen live while the server says the history is the same: joins once, not forever', async () => {
    const { server, ...r } = await joined(2);
    r.sync._receiveMessage(message(2, 0, 'odd', 'x2'));
    await vi.runAllTimersAsync();
    expect([server.payloads('room:join').length, r.texts()]).toEqual([2, ['#1', '#2']]);
  });
  it.each([
    [builtInError('FORBIDDEN', 'No.'), ['error FORBIDDEN']],
    [new Error('boom'), ['error INTERNAL']],
    [lost(), []],
  ])('seen live, with a re-join that fails (%s): reported, unless the connection went', async (error, reported) => {
    const { server, ...r } = await joined(2);
    server.fail('room:join', error);
    r.sync._receiveMessage(message(1, 0, 'other', 'x1'));
    await vi.runAllTimersAsync();
    expect(r.told.filter((t) => t.startsWith('error'))).toEqual(reported);
  });
});
describe('RoomSync, a room left during a re-join', () => {
  it.each([true, false])('before the answer: stays left, shows none of it, leaves the server again (connected: %s)', async (connected) => {
    const { server, ...r } = await joined(2);
    server.post(2);
    const { answer } = await server.held('room:join', r.reconnect);
    [r.sync.state, server.connected] = [RoomState.LEFT, connected];
    await answer();
    expect([r.sync.state, r.seqs(), r.told]).toEqual([RoomState.LEFT, [1, 2], []]);
    expect(server.asked.slice(2)).toEqual(connected ? [{ event: 'room:leave', payload: { roomId: 'r' } }] : []);
  });
  it.each([
    ['pages forward', 9, [1, 2, 3, 4], ['#1', '#2', '#3', '#4']],
    ['catches up the changes', 0, [1, 2], ['#1', '#2']],
  ])('while it %s: asks no further page, applies none, stays left', async (_step, posted, seqs, texts) => {
    const { server, ...r } = await joined(Object.assign(new FakeServer(2), { pageSize: 2 }));
    server.post(posted);
    server.edit(1, 2, 1);
    const { answer } = await server.held('message:history', r.reconnect);
    r.sync.state = RoomState.ENDED;
    await answer();
    expect([server.payloads('message:history').length, r.seqs(), r.texts(), r.sync.state]).toEqual([1, seqs, texts, RoomState.ENDED]);
    expect(r.told.includes('synced')).toBe(false);
  });
  it.each([
    [RoomState.LEFT, 'NOT_IN_ROOM', 'You are no longer in this room.'],
    [RoomState.ENDED, 'ROOM_ENDED', 'This room has ended.'],
  ])('while it waits to ask again: asks no more, fails with why (%s), tells no change', async (state, code, text) => {
    const { server, ...r } = await joined(1);
    server.fail('room:join', limited(1000));
    const failed = expect(r.reconnect()).rejects.toMatchObject({ code, message: text });
    await vi.advanceTimersByTimeAsync(0);
    r.sync._receiveUpdate(message(1, 1, '#1 edited'));
    r.sync.state = state;
    await vi.runAllTimersAsync();
    await failed;
    expect([server.payloads('room:join').length, r.told]).toEqual([2, []]);
  });
});
describe('RoomSync, a re-join the server asks to wait for', () => {
  it('waits as long as the server says, however often: a re-join does not give up the room', async () => {
    const { server, ...r } = await joined(1);
    server.post(1);
    server.fail('room:join', limited(60_000));
    server.fail('message:history', builtInError('TIMEOUT', 'Busy.'), 40);
    await settled(r.reconnect());
    expect([server.payloads('room:join').length, r.seqs(), r.sync.state]).toEqual([3, [1, 2], RoomState.JOINED]);
  });
  it('is not asked again on another connection than its own (the new one joins again)', async () => {
    const { server, ...r } = await joined();
    server.fail('room:join', limited(1000));
    const failed = expect(r.reconnect()).rejects.toBeInstanceOf(ConnectionLostError);
    await vi.advanceTimersByTimeAsync(0);
    server.socketId = 'socket-2';
    await vi.runAllTimersAsync();
    await failed;
    expect([server.payloads('room:join').length, r.sync.state]).toEqual([2, RoomState.SYNCING]);
  });
  it('cut off by a disconnect is not asked again by the room: the client joins again', async () => {
    const { server, ...r } = await joined();
    server.drop('room:join');
    await expect(r.reconnect()).rejects.toBeInstanceOf(ConnectionLostError);
    expect(server.payloads('room:join')).toHaveLength(2);
  });
});
describe('RoomSync, live messages and changes', () => {
  it('are shown once each, in seq order, whatever order they come in', async () => {
    const r = await joined(1);
    [3, 2, 3, 2].forEach((seq) => r.sync._receiveMessage(message(seq)));
    expect(r.seqs()).toEqual([1, 2, 3]);
    expect(r.told).toEqual(['added 3', 'message 3', 'updated', 'added 2', 'message 2', 'updated']);
    // A live copy is never newer than the one held: its changes come as `message:updated`.
    r.sync._receiveMessage(message(2, 5, 'stale copy'));
    r.sync._receiveUpdate(message(3, 1, '#3 edited'));
    r.sync._receiveUpdate(message(3, 1, '#3 edited'));
    expect(r.texts()).toEqual(['#1', '#2', '#3 edited']);
    // A change to a message whose broadcast is still on the way: that message is news.
    r.sync._receiveUpdate(message(4, 2, '#4 edited'));
    expect(r.told.slice(6)).toEqual(['messageUpdated 3', 'updated', 'added 4', 'message 4', 'updated']);
  });
  it.each([RoomState.LEFT, RoomState.ENDED])('are ignored once the room is %s', async (state) => {
    const { server, ...r } = await joined(1);
    r.sync.state = state;
    r.sync._receiveMessage(message(2));
    r.sync._receiveMessage(message(1, 0, 'other', 'x1'));
    r.sync._receiveUpdate(message(1, 1, '#1 edited'));
    await vi.runAllTimersAsync();
    expect([r.texts(), r.told, server.asked.length]).toEqual([['#1'], [], 1]);
  });
});
describe('RoomSync.leave', () => {
  const gone = [builtInError('NOT_IN_ROOM', ''), builtInError('ROOM_ENDED', ''), limited(1000), lost()];
  it.each(gone)('is done when the server has us out already (%s)', async (error) => {
    const server = new FakeServer().fail('room:leave', error);
    await room(server).sync.leave();
    expect(server.payloads('room:leave')).toEqual([{ roomId: 'r' }]);
  });
  it('fails when the server refuses otherwise; asks nothing offline', async () => {
    const error = builtInError('FORBIDDEN', 'No.');
    const server = new FakeServer().fail('room:leave', error);
    await expect(room(server).sync.leave()).rejects.toBe(error);
    server.connected = false;
    await room(server).sync.leave();
    expect(server.asked).toHaveLength(1);
  });
});
describe('RoomSync.history', () => {
  it('loads older messages, not told as news, until none are left (a page of a part held does not undo that)', async () => {
    const { server, ...r } = await joined(5);
    await r.sync.history();
    expect([server.payloads('message:history'), r.seqs(), r.sync.hasMoreHistory]).toEqual([[{ roomId: 'r', before: 3 }], upTo(5), false]);
    expect(r.told).toEqual(['added 1,2', 'updated']);
    await r.sync.history({ before: 3, limit: 1 });
    expect([r.seqs(), r.sync.hasMoreHistory]).toEqual([upTo(5), false]);
  });
  it('cut off by a disconnect fails, and is not asked again by itself', async () => {
    const { server, ...r } = await joined(5);
    server.drop('message:history');
    await expect(r.sync.history()).rejects.toBeInstanceOf(ConnectionLostError);
    expect(server.payloads('message:history')).toEqual([{ roomId: 'r', before: 3 }]);
  });
  it('asks nothing in an empty room; asks when told where from', async () => {
    const { server, ...r } = await joined(0);
    expect(await r.sync.history()).toEqual({ messages: [], hasMore: false });
    expect(server.asked).toHaveLength(1);
    server.post(2);
    await r.sync.history({ before: 3, limit: 1 });
    expect(server.payloads('message:history')).toEqual([{ roomId: 'r', before: 3, limit: 1 }]);
    expect([r.seqs(), r.sync.hasMoreHistory]).toEqual([[2], true]);
  });
});
