// Who a push goes to, beyond the rule itself: one lookup per stored message shared with `notify`,
// and the last push of a burst asked again whether its user came back.
import { expect, it } from 'vitest';
import type { ChatStore } from '../../core/chat-store.js';
import type { NotifyEvent } from '../../core/notify.js';
import type { ReceivedRequest } from '../../../../../test-support/http-receiver.js';
import { startPushService, testDevice } from '../../../../../test-support/push-service.js';
import { okData, request, startChat } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { byHandshake, connect, eachStore, fresh, join, say } from '../../capabilities/conversations/conversation-fixtures.js';
import type { PushPayload } from './push-payload.js';
import { memberAway, offline, pushTo, subscribe, to } from './push-fixtures.js';

/** Counts the store's reads of members and of a user's conversations (what a lookup of who is away may read). */
function counted(store: ChatStore): { store: ChatStore; reads: { listMembers: number; conversations: number } } {
  const reads = { listMembers: 0, conversations: 0 };
  const listMembers = store.listMembers.bind(store);
  const conversations = store.conversations.bind(store);
  store.listMembers = (...args) => {
    reads.listMembers++;
    return listMembers(...args);
  };
  store.conversations = (...args) => {
    reads.conversations++;
    return conversations(...args);
  };
  return { store, reads };
}

eachStore('who gets a push', (store) => {
  it('one lookup of who is away per stored message, shared by notify and push, over the cached member list', async () => {
    const service = await startPushService();
    const told: NotifyEvent[] = [];
    const { store: countedStore, reads } = counted(store());
    const { url, chat } = await startChat({
      store: countedStore,
      authenticate: byHandshake,
      push: pushTo(service, { collapseMs: 0 }),
      notify: (_user, event) => void told.push(event),
    });
    const [ana, luis, eva] = [fresh('ana'), fresh('luis'), fresh('eva')];
    const room = fresh('room');
    const anaSocket = await connect(url, ana, 'Ana');
    await join(anaSocket, room);
    const luisSocket = await connect(url, luis);
    const dm = okData(await request(anaSocket, 'room:direct', { userIds: [luis] })).room;
    await join(anaSocket, dm.id);
    await subscribe(luisSocket, testDevice(service.url, `phone-${luis}`));
    luisSocket.disconnect();
    await offline(chat, luis);
    await memberAway(chat, url, room, eva, testDevice(service.url, `phone-${eva}`), 'mentions');
    // Both rooms' members are read once, as any message's room:activity reads them.
    await say(anaSocket, room, 'calentando');
    await say(anaSocket, dm.id, 'calentando');
    await waitFor(() => expect(service.requests).toHaveLength(1));
    await waitFor(() => expect(told).toHaveLength(1));
    reads.listMembers = 0;
    reads.conversations = 0;

    const messages = 5;
    for (let i = 0; i < messages; i++) {
      await say(anaSocket, dm.id, `hola ${i}`);
      await say(anaSocket, room, `@eva ${i}`, [eva]);
    }
    await waitFor(() => expect(told).toHaveLength(1 + 2 * messages));
    await waitFor(() => expect(service.requests).toHaveLength(1 + 2 * messages));
    // The mentioned member's level came from the member list, not from their conversations
    // (once per listener per message before); the direct room's members from the cached list
    // (twice per message before: one read by notify, one by push).
    expect(reads.conversations).toBe(0);
    expect(reads.listMembers).toBeLessThan(messages);
    // Each room's in its order (two rooms' lookups run side by side: their order between rooms is the load's).
    const texts = (kind: NotifyEvent['kind']) => told.filter((e) => e.kind === kind).map((e) => e.message.text);
    expect(texts('direct')).toEqual(['calentando', ...Array.from({ length: messages }, (_, i) => `hola ${i}`)]);
    expect(texts('mention')).toEqual(Array.from({ length: messages }, (_, i) => `@eva ${i}`));
  });

  it('the last push of a burst goes out only if its user is still away', async () => {
    const service = await startPushService();
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake, push: pushTo(service, { collapseMs: 1000 }) });
    const [ana, luis, eva] = [fresh('ana'), fresh('luis'), fresh('eva')];
    const room = fresh('room');
    await chat.createRoom({ id: room, title: 'Equipo' });
    const anaSocket = await connect(url, ana, 'Ana');
    await join(anaSocket, room);
    const [luisPhone, evaPhone] = [testDevice(service.url, `phone-${luis}`), testDevice(service.url, `phone-${eva}`)];
    await memberAway(chat, url, room, luis, luisPhone);
    await memberAway(chat, url, room, eva, evaPhone);
    await say(anaSocket, room, 'uno');
    await waitFor(() => expect(service.requests).toHaveLength(2));
    const last = await say(anaSocket, room, 'dos');
    // Luis comes back (a socket, not in the room) before the burst's window ends; Eva does not.
    await connect(url, luis);
    await waitFor(async () => expect((await chat.presenceOf([luis]))[0]?.online).toBe(true));
    await waitFor(() => expect(to(service, `phone-${eva}`)).toHaveLength(2));
    // Both windows ended at once; close() waits for every push asked for.
    await chat.close();
    expect(evaPhone.read(to(service, `phone-${eva}`)[1] as ReceivedRequest)).toMatchObject({
      messageId: last.id,
      count: 1,
    } satisfies Partial<PushPayload>);
    expect(to(service, `phone-${luis}`)).toHaveLength(1);
  });
});
