// A message that mentions 2,000 members who are away, in a room too big for the member list kept
// in memory: bounded reads of the store, one push per device, the send acknowledged while every
// push is still unanswered, a bounded number of requests open at once, and a queue that overflows
// said once through chat.on('error').
import { describe, expect, it } from 'vitest';
import type { ChatError } from '@chat/protocol';
import type { ChatServer } from '../../chat-server.js';
import type { ChatStore } from '../../core/chat-store.js';
import { Gate } from '../../../../../test-support/gate.js';
import type { ReceivedRequest } from '../../../../../test-support/http-receiver.js';
import { startPushService, testDevice, type PushServiceStandIn, type TestDevice } from '../../../../../test-support/push-service.js';
import { startChat } from '../../../../../test-support/servers.js';
import { bothStores } from '../../../../../test-support/stores.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { byHandshake, connect, fresh, join, say } from '../../capabilities/conversations/conversation-fixtures.js';
import type { PushPayload } from './push-payload.js';
import { pushTo } from './push-fixtures.js';

const CROWD = 2000;

/** Counts the store's reads that a lookup of members' levels could make one per member. */
function counted(store: ChatStore) {
  const reads = { memberLevels: 0, isMember: 0, conversations: 0 };
  for (const name of Object.keys(reads) as Array<keyof typeof reads>) {
    const original = (store[name] as (...args: unknown[]) => Promise<unknown>).bind(store);
    (store as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      reads[name]++;
      return original(...args);
    };
  }
  return { store, reads };
}

/**
 * A push service that holds every answer until `gate` opens, and counts the requests it holds
 * at once (how many pushes the server has under way).
 */
async function heldService(gate: Gate): Promise<{ service: PushServiceStandIn; mostOpen: () => number; open: () => number }> {
  let open = 0;
  let most = 0;
  const service = await startPushService(async () => {
    most = Math.max(most, ++open);
    await gate.wait();
    open--;
    return 201;
  });
  return { service, mostOpen: () => most, open: () => open };
}

/** A room with `size` members who are away, each with one device at `service` (stored 50 at a time). */
async function crowdRoom(chat: ChatServer, service: PushServiceStandIn, size = CROWD) {
  const room = fresh('crowd');
  await chat.createRoom({ id: room });
  const tag = fresh('m');
  const users = Array.from({ length: size }, (_, i) => ({ id: `${tag}-${i}`, name: `M${i}` }));
  await chat.store.addMembers(room, users);
  const devices = new Map(users.map((user) => [user.id, testDevice(service.url, user.id)] as const));
  for (let i = 0; i < size; i += 50) {
    await Promise.all(
      users
        .slice(i, i + 50)
        .map((user) => chat.store.savePushSubscription(user.id, (devices.get(user.id) as TestDevice).subscription, { max: 20 })),
    );
  }
  return { room, ids: users.map((u) => u.id), devices };
}

const stores = bothStores();
// The crowd on one store, PostgreSQL when it is there (the store of rooms this big): what it
// proves is the server's (its reads of the store are counted, the pushes are the same whatever
// the store), and on a loaded machine 2,000 pushes cost a quarter of a minute per store.
const [crowdStoreName, crowdStore] = stores.at(-1) as (typeof stores)[number];

describe(`${crowdStoreName}: push to a crowd`, () => {
  const store = crowdStore;
  it('a message mentioning 2,000 away members: one push to each, bounded reads, the send not held up, 16 requests at most', async () => {
    const gate = new Gate();
    gate.close();
    const { service, mostOpen, open } = await heldService(gate);
    const { store: countedStore, reads } = counted(store());
    const { url, chat } = await startChat({
      store: countedStore,
      authenticate: byHandshake,
      limits: { maxMentions: CROWD },
      push: pushTo(service, { collapseMs: 0, maxQueued: CROWD }),
    });
    const { room, ids, devices } = await crowdRoom(chat, service);
    const ana = await connect(url, fresh('ana'), 'Ana');
    await join(ana, room);
    reads.memberLevels = reads.isMember = reads.conversations = 0;

    const sent = await say(ana, room, '@todos: reunión a las 10', ids);
    // The send was acknowledged with every mention kept while no push had been answered yet.
    expect(sent.mentions).toHaveLength(CROWD);
    await waitFor(() => expect(open()).toBeGreaterThan(0));
    expect(service.requests.length).toBeLessThanOrEqual(16);
    gate.open();
    await waitFor(() => expect(service.requests).toHaveLength(CROWD), { timeout: 60_000 });
    await chat.close();

    // Exactly one push per member's device, none twice.
    expect(new Set(service.requests.map((r) => r.path)).size).toBe(CROWD);
    for (const id of [ids[0], ids[999], ids[CROWD - 1]] as string[]) {
      const received = service.requests.find((r) => r.path === `/push/${id}`) as ReceivedRequest;
      expect(devices.get(id)?.read(received)).toMatchObject({
        messageId: sent.id,
        reason: 'mention',
        title: 'Ana',
      } satisfies Partial<PushPayload>);
    }
    // Bounded work: the levels of the 2,000 in one read for the mentions kept and one for who is away.
    expect(reads).toEqual({ memberLevels: 2, isMember: 0, conversations: 0 });
    expect(mostOpen()).toBeLessThanOrEqual(16);
  }, 120_000);
});

describe.each(stores)('%s: push to a crowd', (_name, store) => {
  it('a queue past maxQueued drops the rest and says so once through chat.on("error"), never failing the send', async () => {
    const gate = new Gate();
    gate.close();
    const { service } = await heldService(gate);
    const maxQueued = 100;
    const { url, chat } = await startChat({
      store: store(),
      authenticate: byHandshake,
      limits: { maxMentions: 3 * maxQueued },
      push: pushTo(service, { collapseMs: 0, maxQueued }),
    });
    const errors: ChatError[] = [];
    chat.on('error', (error) => errors.push(error));
    const { room, ids } = await crowdRoom(chat, service, 3 * maxQueued);
    const ana = await connect(url, fresh('ana'), 'Ana');
    await join(ana, room);

    const sent = await say(ana, room, '@todos', ids);
    expect(sent.mentions).toHaveLength(ids.length);
    await waitFor(() => expect(errors).toHaveLength(1));
    gate.open();
    await chat.close();
    expect(errors[0]).toMatchObject({
      code: 'INTERNAL',
      message: `${maxQueued} pushes are waiting already (maxQueued): new pushes are dropped until half of them are sent (said once per overflow).`,
    });
    // What was queued (and the few under way when it filled) went out; the rest did not.
    expect(service.requests.length).toBeGreaterThanOrEqual(maxQueued);
    expect(service.requests.length).toBeLessThanOrEqual(maxQueued + 16);
    expect(errors).toHaveLength(1);
  }, 120_000);
});
