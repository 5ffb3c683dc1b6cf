import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChatError, type Message } from '@chat/protocol';
import { MessageChanges, OFFLINE_WAIT_MS, type ChangeHost } from './message-changes.js';
import { ConnectionLostError, type RequestEvent } from '../core/transport.js';
import { type RoomLink } from '../room-link.js';

function msg(rev: number, text = 'hi'): Message {
  return {
    id: 'm1',
    roomId: 'r',
    seq: 1,
    clientId: 'c1',
    user: { id: 'u', name: 'U' },
    text,
    attachments: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    rev,
  };
}

/** A request the test answers by hand. */
interface Sent {
  event: RequestEvent;
  payload: unknown;
  resolve: (data: unknown) => void;
  reject: (error: unknown) => void;
}

// A room as MessageChanges sees it: the test decides when it is joined, left, and what the server answers.
class FakeRoom implements ChangeHost {
  joined = true;
  closed: ChatError | undefined;
  readonly sent: Sent[] = [];
  readonly acks: Message[] = [];
  readonly #watchers = new Set<() => void>();
  readonly link: RoomLink = {
    request: (event, payload) =>
      new Promise((resolve, reject) => this.sent.push({ event, payload, resolve: resolve as (data: unknown) => void, reject })),
    connected: true,
    socketId: 's1',
    typingThrottleMs: 2000,
    detach: () => undefined,
    upload: () => Promise.reject(new Error('not used')),
    plugins: { request: () => Promise.reject(new Error('not used')), on: () => () => undefined },
  };
  ready(): boolean {
    return this.joined;
  }
  _closedError(): ChatError | undefined {
    return this.closed;
  }
  watch(listener: () => void): () => void {
    this.#watchers.add(listener);
    return () => this.#watchers.delete(listener);
  }
  acked(message: Message): void {
    this.acks.push(message);
  }
  /** The room's state changed: tell the watchers. */
  changed(): void {
    for (const listener of [...this.#watchers]) listener();
  }
  get watchers(): number {
    return this.#watchers.size;
  }
}

// Lets pending promise callbacks run (the fake timers do not move by themselves).
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('MessageChanges', () => {
  let room: FakeRoom;
  let changes: MessageChanges;
  beforeEach(() => {
    vi.useFakeTimers();
    room = new FakeRoom();
    changes = new MessageChanges(room);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves with the message of the ack and hands it to the room first', async () => {
    const acked = vi.fn();
    const done = changes.request('m1', 'message:edit', { roomId: 'r', messageId: 'm1', text: 'new' }, acked);
    await settle();
    expect(room.sent.map((s) => [s.event, s.payload])).toEqual([['message:edit', { roomId: 'r', messageId: 'm1', text: 'new' }]]);
    room.sent[0]?.resolve({ message: msg(4, 'new') });
    expect(await done).toEqual(msg(4, 'new'));
    expect(room.acks).toEqual([msg(4, 'new')]);
    expect(acked).toHaveBeenCalledWith(msg(4, 'new'));
  });

  it('sends the changes of one message one at a time, in call order', async () => {
    const add = changes.request('m1', 'reaction:add', { roomId: 'r', messageId: 'm1', emoji: '👍' });
    const remove = changes.request('m1', 'reaction:remove', { roomId: 'r', messageId: 'm1', emoji: '👍' });
    const other = changes.request('m2', 'reaction:add', { roomId: 'r', messageId: 'm2', emoji: '👍' });
    await settle();
    // The second change of m1 waits for the first; another message's change does not.
    expect(room.sent.map((s) => s.event)).toEqual(['reaction:add', 'reaction:add']);
    room.sent[0]?.reject(new ChatError('FORBIDDEN', 'No.'));
    await expect(add).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await settle();
    expect(room.sent.map((s) => s.event)).toEqual(['reaction:add', 'reaction:add', 'reaction:remove']);
    room.sent[2]?.resolve({ message: msg(2) });
    room.sent[1]?.resolve({ message: msg(1) });
    await expect(remove).resolves.toEqual(msg(2));
    await expect(other).resolves.toEqual(msg(1));
  });

  it('waits for the re-join while offline, then sends', async () => {
    room.joined = false;
    const done = changes.request('m1', 'message:delete', { roomId: 'r', messageId: 'm1' });
    await vi.advanceTimersByTimeAsync(OFFLINE_WAIT_MS - 1);
    expect(room.sent).toEqual([]);
    room.joined = true;
    room.changed();
    await settle();
    expect(room.sent.map((s) => s.event)).toEqual(['message:delete']);
    room.sent[0]?.resolve({ message: msg(3) });
    await expect(done).resolves.toEqual(msg(3));
    expect(room.watchers).toBe(0);
  });

  it('fails with TIMEOUT, never sent, when the connection stays down', async () => {
    room.joined = false;
    const done = changes.request('m1', 'reaction:add', { roomId: 'r', messageId: 'm1', emoji: '👍' });
    const failed = expect(done).rejects.toMatchObject({ code: 'TIMEOUT', message: expect.stringContaining('not sent') });
    await vi.advanceTimersByTimeAsync(OFFLINE_WAIT_MS);
    await failed;
    expect(room.sent).toEqual([]);
    expect(room.watchers).toBe(0);
  });

  it('sends again after the connection dropped before the answer, once joined again', async () => {
    const done = changes.request('m1', 'message:edit', { roomId: 'r', messageId: 'm1', text: 'x' });
    await settle();
    room.joined = false;
    room.sent[0]?.reject(new ConnectionLostError('The connection was lost before the server answered.'));
    await settle();
    expect(room.sent).toHaveLength(1);
    room.joined = true;
    room.changed();
    await settle();
    expect(room.sent).toHaveLength(2);
    room.sent[1]?.resolve({ message: msg(5, 'x') });
    await expect(done).resolves.toEqual(msg(5, 'x'));
  });

  it('says the outcome is unknown when the answer was lost and the connection did not come back', async () => {
    const done = changes.request('m1', 'message:edit', { roomId: 'r', messageId: 'm1', text: 'x' });
    const failed = expect(done).rejects.toMatchObject({ code: 'TIMEOUT', message: expect.stringContaining('may or may not') });
    await settle();
    room.joined = false;
    room.sent[0]?.reject(new ConnectionLostError('lost'));
    await vi.advanceTimersByTimeAsync(OFFLINE_WAIT_MS);
    await failed;
  });

  it('waits out RATE_LIMITED and TIMEOUT and sends again', async () => {
    const done = changes.request('m1', 'reaction:add', { roomId: 'r', messageId: 'm1', emoji: '👍' });
    await settle();
    room.sent[0]?.reject(new ChatError('RATE_LIMITED', 'Slow down.', { retryAfter: 700 }));
    await vi.advanceTimersByTimeAsync(699);
    expect(room.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(room.sent).toHaveLength(2);
    room.sent[1]?.reject(new ChatError('TIMEOUT', 'Slow store.'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(room.sent).toHaveLength(3);
    room.sent[2]?.resolve({ message: msg(9) });
    await expect(done).resolves.toEqual(msg(9));
  });

  it('does not wait out a RATE_LIMITED longer than 10 s', async () => {
    const done = changes.request('m1', 'reaction:add', { roomId: 'r', messageId: 'm1', emoji: '👍' });
    await settle();
    room.sent[0]?.reject(new ChatError('RATE_LIMITED', 'Much later.', { retryAfter: 60_000 }));
    await expect(done).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('fails with the room closed error when the room is left while waiting, and at once after', async () => {
    room.joined = false;
    const done = changes.request('m1', 'message:delete', { roomId: 'r', messageId: 'm1' });
    await settle();
    room.closed = new ChatError('NOT_IN_ROOM', 'You are no longer in this room.');
    room.changed();
    await expect(done).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
    await expect(changes.request('m1', 'message:delete', { roomId: 'r', messageId: 'm1' })).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
    expect(room.sent).toEqual([]);
  });
});
