import { describe, expect, it } from 'vitest';
import type { Message } from '@chat/protocol';
import { RELAYS_BATCHES, RoomFanout, batchRoom, singleRoom } from './room-fanout.js';
import { relayBatches } from './room-fanout-adapter.js';

// What the fan-out asks of Socket.IO, recorded: which adapter kind gets which broadcasts, and in
// what order. (The integration tests run the same through real servers and Redis.)

const message = (seq: number): Message => ({
  id: `m${seq}`,
  roomId: 'r',
  seq,
  clientId: `c${seq}`,
  user: { id: 'u', name: 'U' },
  text: `t${seq}`,
  attachments: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  rev: 0,
});
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

type Sent = { via: 'cluster' | 'local' | 'adapter'; to: string; except?: string; event: string; seqs: number[] };

function fakeNamespace(adapter: { broadcast: (packet: unknown, opts: { rooms: Set<string> }) => unknown }) {
  const sent: Sent[] = [];
  const operator = (via: Sent['via']) => ({
    to: (room: string) => {
      let except: string | undefined;
      const target = {
        except: (id: string) => {
          except = id;
          return target;
        },
        emit: (event: string, m: Message) => {
          sent.push({ via, to: room, ...(except !== undefined && { except }), event, seqs: [m.seq] });
          return true;
        },
      };
      return target;
    },
  });
  const nsp = {
    ...operator('cluster'),
    local: operator('local'),
    adapter: {
      broadcast: (packet: unknown, opts: { rooms: Set<string> }) => {
        const [event, batch] = (packet as { data: [string, { messages: Message[] }] }).data;
        sent.push({ via: 'adapter', to: [...opts.rooms].join(), event, seqs: batch.messages.map((m) => m.seq) });
        return adapter.broadcast(packet, opts);
      },
      [RELAYS_BATCHES]: (adapter as { [RELAYS_BATCHES]?: boolean })[RELAYS_BATCHES],
    },
  };
  Object.setPrototypeOf(nsp.adapter, Object.getPrototypeOf(adapter));
  return { nsp, sent };
}

class Adapter {
  broadcast(): void {}
}
class SomeClusterAdapter {
  broadcast(): Promise<void> {
    return Promise.resolve();
  }
}

describe('RoomFanout', () => {
  it('in one process: the first alone at once, the rest as one batch and one message each at the end of the turn', async () => {
    const { nsp, sent } = fakeNamespace(new Adapter());
    const fanout = new RoomFanout(nsp as never);
    fanout.publish(message(1), 's1');
    fanout.publish(message(3), 's1');
    fanout.publish(message(2), 's2');
    expect(sent).toEqual([{ via: 'cluster', to: 'r', except: 's1', event: 'message', seqs: [1] }]);
    await nextTurn();
    expect(sent.slice(1)).toEqual([
      { via: 'adapter', to: batchRoom('r'), event: 'messages', seqs: [2, 3] },
      { via: 'local', to: singleRoom('r'), except: 's2', event: 'message', seqs: [2] },
      { via: 'local', to: singleRoom('r'), except: 's1', event: 'message', seqs: [3] },
    ]);
    // A turn with one message sends it alone, to the whole room.
    fanout.publish(message(4));
    await nextTurn();
    expect(sent.slice(4)).toEqual([{ via: 'cluster', to: 'r', event: 'message', seqs: [4] }]);
  });

  it('with an adapter that relays batches: this process’s single sockets once the batch is out', async () => {
    let release = () => undefined as void;
    const adapter = Object.assign(new SomeClusterAdapter(), {
      broadcast: () => new Promise<void>((resolve) => (release = resolve)),
      [RELAYS_BATCHES]: true,
    });
    const { nsp, sent } = fakeNamespace(adapter);
    const fanout = new RoomFanout(nsp as never);
    fanout.publish(message(1));
    fanout.publish(message(2));
    fanout.publish(message(3));
    await nextTurn();
    expect(sent.map((s) => s.via)).toEqual(['cluster', 'adapter']);
    release();
    await Promise.resolve();
    await Promise.resolve();
    expect(sent.slice(2).map((s) => [s.via, s.to, s.seqs])).toEqual([
      ['local', singleRoom('r'), [2]],
      ['local', singleRoom('r'), [3]],
    ]);
  });

  it('with a cluster adapter it cannot hook: one broadcast per message to the single sockets of every process', async () => {
    const { nsp, sent } = fakeNamespace(new SomeClusterAdapter());
    const fanout = new RoomFanout(nsp as never);
    fanout.publish(message(1));
    fanout.publish(message(2));
    fanout.publish(message(3));
    await nextTurn();
    expect(sent.slice(1).map((s) => [s.via, s.to, s.seqs])).toEqual([
      ['adapter', batchRoom('r'), [2, 3]],
      ['cluster', singleRoom('r'), [2]],
      ['cluster', singleRoom('r'), [3]],
    ]);
  });
});

describe('relayBatches', () => {
  const batchMessage = (overrides: Record<string, unknown> = {}) => ({
    uid: 'other',
    nsp: '/',
    type: 3,
    data: {
      packet: { type: 2, data: ['messages', { roomId: 'r', messages: [message(2), message(3)] }] },
      opts: { rooms: [batchRoom('r')] },
    },
    ...overrides,
  });

  function relayed() {
    const handled: unknown[] = [];
    const emitted: Array<[string, number]> = [];
    const nsp = {
      name: '/',
      local: { to: (room: string) => ({ emit: (_event: 'message', m: Message) => emitted.push([room, m.seq]) > 0 }) },
    };
    const make = relayBatches((_: typeof nsp) => ({ uid: 'self', onMessage: (m: unknown) => void handled.push(m) }));
    const adapter = make(nsp) as { onMessage: (m: unknown) => void; [RELAYS_BATCHES]?: boolean };
    return { adapter, handled, emitted };
  }

  it('hands another process’s batch to this process’s single sockets, after the adapter had it', () => {
    const { adapter, handled, emitted } = relayed();
    expect(adapter[RELAYS_BATCHES]).toBe(true);
    adapter.onMessage(batchMessage());
    expect(handled).toHaveLength(1);
    expect(emitted).toEqual([
      [singleRoom('r'), 2],
      [singleRoom('r'), 3],
    ]);
  });

  it('leaves alone its own entries, other namespaces, other events and broadcasts elsewhere', () => {
    const { adapter, handled, emitted } = relayed();
    adapter.onMessage(batchMessage({ uid: 'self' }));
    adapter.onMessage(batchMessage({ nsp: '/other' }));
    adapter.onMessage(batchMessage({ type: 5 }));
    adapter.onMessage(batchMessage({ data: { packet: { data: ['message', message(1)] }, opts: { rooms: ['r'] } } }));
    adapter.onMessage(batchMessage({ data: { packet: { data: ['messages', { roomId: 'r', messages: [] }] }, opts: { rooms: ['r'] } } }));
    adapter.onMessage(batchMessage({ data: { requestId: 'x', packet: { data: ['messages', { roomId: 'r', messages: [] }] } } }));
    expect(handled).toHaveLength(6);
    expect(emitted).toEqual([]);
  });
});
