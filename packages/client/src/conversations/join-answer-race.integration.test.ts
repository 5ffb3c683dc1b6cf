import { describe, expect, it, vi } from 'vitest';
import { ID_LIMITS } from '@chat/protocol';
import { nextEvent, okData, rawSocket, request, type RawSocket } from '../../../../test-support/servers.js';
import { connectedDevice, startPortal } from '../../../../test-support/portal.js';
import { waitFor } from '../../../../test-support/wait.js';

/** Holds the next join answer after its members and marks were read (at its history's read) until `release()`. */
function holdNextAnswer(chat: Awaited<ReturnType<typeof startPortal>>['chat']) {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  const listMessages = chat.store.listMessages.bind(chat.store);
  const spy = vi.spyOn(chat.store, 'listMessages').mockImplementationOnce(async (...args) => {
    await held;
    return listMessages(...args);
  });
  return { release, spy };
}

/** Ana starts joining `roomId`; her answer waits after its members and marks were read, until `release()`. */
async function anaJoinsHeld({ url, chat }: Awaited<ReturnType<typeof startPortal>>, roomId: string) {
  const ana = await connectedDevice(url, 'ana');
  const { release, spy } = holdNextAnswer(chat);
  const joining = ana.join(roomId);
  await waitFor(() => expect(spy).toHaveBeenCalled());
  return { joining, release };
}

/** A raw socket of `token` in `roomId`. */
async function joinedSocket(url: string, token: string, roomId: string): Promise<RawSocket> {
  const socket = await rawSocket(url, { token });
  okData(await request(socket, 'room:join', { roomId }));
  return socket;
}

// A join answer is read (its members, its marks) a moment before it reaches the client: a member
// who joins in that moment is in neither, and the presence that shows them may come first.
describe('a presence that reaches the SDK before its join answer (real server)', () => {
  it('keeps the member who joined while the answer was on its way: present, and their sends are read marks', async () => {
    const portal = await startPortal();
    const { url } = portal;
    const eva = await joinedSocket(url, 'eva', 'sala');
    const first = okData(await request(eva, 'message:send', { roomId: 'sala', clientId: 'c-1', text: 'hola' })).message;
    // Ana's answer waits after its members and marks were read, until Luis's presence went out.
    const { joining, release } = await anaJoinsHeld(portal, 'sala');
    const luisJoined = nextEvent(eva, 'presence', (d) => d.joined.some((m) => m.id === 'luis'));
    const luis = await joinedSocket(url, 'luis', 'sala');
    // Sent to the room at once: Ana's socket has it before her answer.
    await luisJoined;
    release();
    const room = await joining;
    expect(room.members.map((m) => m.id).sort()).toEqual(['ana', 'eva', 'luis']);
    const reply = okData(await request(luis, 'message:send', { roomId: 'sala', clientId: 'c-2', text: 'hola, Eva' })).message;
    await waitFor(() => expect(room.messages.map((m) => m.id)).toContain(reply.id));
    expect(room.readBy(first.id).map((u) => u.id)).toEqual(['luis']);
  });

  it("keeps a member's read mark that moved while the answer was on its way (the answer's is older)", async () => {
    const portal = await startPortal();
    const eva = await joinedSocket(portal.url, 'eva', 'sala');
    const luis = await joinedSocket(portal.url, 'luis', 'sala');
    const said = okData(await request(luis, 'message:send', { roomId: 'sala', clientId: 'c-1', text: 'hola' })).message;
    const { joining, release } = await anaJoinsHeld(portal, 'sala');
    // Eva reads Luis's message after Ana's answer read the marks: the `read` reaches Ana's socket first.
    const evaRead = nextEvent(luis, 'read', (r) => r.userId === 'eva');
    okData(await request(eva, 'read:mark', { roomId: 'sala', seq: said.seq }));
    await evaRead;
    release();
    const room = await joining;
    expect(room.readBy(said.id).map((u) => u.id)).toEqual(['eva']);
  });

  it('keeps out a member who left while the answer was on its way (the answer still lists them)', async () => {
    const portal = await startPortal();
    const eva = await joinedSocket(portal.url, 'eva', 'sala');
    const luis = await joinedSocket(portal.url, 'luis', 'sala');
    const { joining, release } = await anaJoinsHeld(portal, 'sala');
    // Luis leaves after Ana's answer read the members: the presence that tells reaches her first.
    const luisLeft = nextEvent(eva, 'presence', (d) => d.left.includes('luis'));
    okData(await request(luis, 'room:leave', { roomId: 'sala' }));
    await luisLeft;
    release();
    const room = await joining;
    expect(room.members.map((m) => m.id).sort()).toEqual(['ana', 'eva']);
  });

  it("in a large room, your own join told before the answer does not list you past the answer's page; who came meanwhile is listed", async () => {
    const portal = await startPortal({ largeRoomThreshold: 5 });
    const { url } = portal;
    // A first page's worth of guests, so that the answer's page (arrival order) does not list Ana.
    let watcher: RawSocket | undefined;
    let count: number | undefined;
    for (let i = 0; i < ID_LIMITS.membersPageDefault; i++) {
      const guest = await joinedSocket(url, `guest-${String(i).padStart(2, '0')}`, 'stage');
      watcher ??= guest.on('presence', (d) => (count = d.count ?? count));
    }
    // The guests' arrivals went out: the next delta names Ana's (a large room's names 10 changes at most).
    await waitFor(() => expect(count).toBe(ID_LIMITS.membersPageDefault));
    if (!watcher) throw new Error('no guests');
    // Ana's socket is in the room's broadcast from the moment her arrival is noted: she gets the delta that names her.
    const anaCame = nextEvent(watcher, 'presence', (d) => d.joined.some((m) => m.id === 'ana'));
    const { joining, release } = await anaJoinsHeld(portal, 'stage');
    const luisCame = nextEvent(watcher, 'presence', (d) => d.joined.some((m) => m.id === 'luis'));
    await joinedSocket(url, 'luis', 'stage');
    await Promise.all([anaCame, luisCame]);
    release();
    const room = await joining;
    expect([room.isLarge, room.memberCount]).toEqual([true, ID_LIMITS.membersPageDefault + 2]);
    // The answer's page and Luis, a live change after it; Ana is here (the count has her) but not listed.
    const ids = room.members.map((m) => m.id);
    expect(ids).toHaveLength(ID_LIMITS.membersPageDefault + 1);
    expect(ids).toContain('luis');
    expect(ids).not.toContain('ana');
    expect(room.self?.id).toBe('ana');
    // The next page lists her, where the room's order has her.
    expect((await room.loadMembers()).map((m) => m.id)).toEqual(['ana']);
    expect(room.members).toHaveLength(ID_LIMITS.membersPageDefault + 2);
  });
});
