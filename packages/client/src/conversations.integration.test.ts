import { describe, expect, it } from 'vitest';
import type { RoomSummary } from '@chat/protocol';
import type { ChatClient } from './chat-client.js';
import { sdkClient } from '../../../test-support/servers.js';
import { connectedDevice, startPortal } from '../../../test-support/portal.js';
import { waitFor } from '../../../test-support/wait.js';

/** The client's conversations as the `conversations` event last gave them (after one `conversations()` call). */
function watch(client: ChatClient): { list: RoomSummary[] | undefined; ready: Promise<RoomSummary[]> } {
  const seen: { list: RoomSummary[] | undefined; ready: Promise<RoomSummary[]> } = { list: undefined, ready: Promise.resolve([]) };
  client.on('conversations', (list) => (seen.list = list));
  seen.ready = client.conversations().then((list) => (seen.list = list));
  return seen;
}

/** A page whose visibility the test sets (auto-away listens to it). */
class FakePage {
  visibilityState = 'visible';
  readonly #listeners = new Map<string, Set<() => void>>();
  addEventListener(type: string, listener: () => void): void {
    const set = this.#listeners.get(type) ?? new Set();
    set.add(listener);
    this.#listeners.set(type, set);
  }
  removeEventListener(type: string, listener: () => void): void {
    this.#listeners.get(type)?.delete(listener);
  }
  show(state: 'visible' | 'hidden'): void {
    this.visibilityState = state;
    for (const listener of this.#listeners.get('visibilitychange') ?? []) listener();
  }
}

const counts = (list: RoomSummary[] | undefined) => list?.map((s) => ({ id: s.room.id, unread: s.unread, mentions: s.mentions }));

describe('conversations in the SDK (real server)', () => {
  it('client.direct(): the same private room for the same people, whoever opens it', async () => {
    const { url, chat } = await startPortal();
    const ana = await connectedDevice(url, 'ana');
    const luis = await connectedDevice(url, 'luis');
    const eva = await connectedDevice(url, 'eva');

    const fromAna = await ana.direct('luis');
    const fromLuis = await luis.direct(['ana']);
    expect(fromAna.id).toBe(fromLuis.id);
    expect(fromAna.id).toMatch(/^dm:/u);
    expect(fromAna.room?.options).toMatchObject({ direct: true, private: true });
    expect(fromAna.state).toBe('joined');

    await fromAna.send('solo para ti');
    await waitFor(() => expect(fromLuis.messages.map((m) => m.text)).toEqual(['solo para ti']));
    await expect(eva.join(fromAna.id)).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' }); // to a stranger, it does not exist
    await expect(ana.direct('nobody-known')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    // Notes to self: a room of one.
    const notes = await ana.direct('ana');
    expect(notes.id).not.toBe(fromAna.id);
    expect(await chat.store.getRoom(notes.id)).toMatchObject({ options: { direct: true } });
  });

  it('conversations(): exact counts, live through room:activity, the same on two devices and after a reload', async () => {
    const { url } = await startPortal();
    const ana = await connectedDevice(url, 'ana');
    const anaPhone = await connectedDevice(url, 'ana');
    const luis = await connectedDevice(url, 'luis');
    const dm = await luis.direct('ana');
    const group = await luis.join('team');
    await (await ana.join('team')).leave(); // Ana is a member of `team`, not in it now

    const laptop = watch(ana);
    const phone = watch(anaPhone);
    await Promise.all([laptop.ready, phone.ready]);
    expect(counts(laptop.list)).toEqual(
      expect.arrayContaining([
        { id: dm.id, unread: 0, mentions: 0 },
        { id: 'team', unread: 0, mentions: 0 },
      ]),
    );

    await dm.send('hola');
    const last = await dm.send('¿estás?');
    // The team's message a millisecond later at least (at the same one, the list orders by room id).
    await waitFor(() => expect(Date.now()).toBeGreaterThan(Date.parse(last.createdAt)));
    await group.send({ text: '@Ana mira esto', mentions: ['ana'] });
    const expected = [
      { id: 'team', unread: 1, mentions: 1 },
      { id: dm.id, unread: 2, mentions: 0 },
    ];
    await waitFor(() => expect(counts(laptop.list)).toEqual(expected));
    await waitFor(() => expect(counts(phone.list)).toEqual(expected));
    expect(laptop.list?.[0]?.lastMessage?.text).toBe('@Ana mira esto');

    // A reload: a new client asks the server and gets the same.
    const reloaded = await connectedDevice(url, 'ana');
    expect(counts(await reloaded.conversations())).toEqual(expected);
    // Luis's own messages are never unread for him.
    expect(counts(await luis.conversations())).toEqual(
      expect.arrayContaining([
        { id: dm.id, unread: 0, mentions: 0 },
        { id: 'team', unread: 0, mentions: 0 },
      ]),
    );
  });

  it('markRead(): counts move on every device; the joined room counts for itself; own messages never count', async () => {
    const { url } = await startPortal();
    const ana = await connectedDevice(url, 'ana');
    const anaPhone = await connectedDevice(url, 'ana');
    const luis = await connectedDevice(url, 'luis');
    const dm = await luis.direct('ana');
    for (const text of ['uno', 'dos', 'tres']) await dm.send(text);

    const phone = watch(anaPhone);
    const laptop = watch(ana);
    await Promise.all([phone.ready, laptop.ready]);
    const room = await ana.join(dm.id);
    expect(room.readSeq).toBe(0);
    expect(room.unreadCount).toBe(3);
    await waitFor(() => expect(counts(laptop.list)).toEqual([{ id: dm.id, unread: 3, mentions: 0 }]));

    // Read up to "dos": one left, here and on the phone (which has not joined the room).
    const dos = room.messages[1];
    expect(await room.markRead(dos?.seq)).toBe(2);
    expect(room.unreadCount).toBe(1);
    await waitFor(() => expect(counts(laptop.list)).toEqual([{ id: dm.id, unread: 1, mentions: 0 }]));
    await waitFor(() => expect(counts(phone.list)).toEqual([{ id: dm.id, unread: 1, mentions: 0 }]));

    // Going backwards changes nothing and sends nothing; beyond the last message is clamped.
    expect(await room.markRead(1)).toBe(2);
    expect(await room.markRead(999)).toBe(3);
    expect(room.unreadCount).toBe(0);
    await waitFor(() => expect(counts(phone.list)).toEqual([{ id: dm.id, unread: 0, mentions: 0 }]));

    // A new message in the joined room: counted by the room itself, live.
    await dm.send('cuatro');
    await waitFor(() => expect(room.unreadCount).toBe(1));
    await waitFor(() => expect(counts(laptop.list)).toEqual([{ id: dm.id, unread: 1, mentions: 0 }]));
    // Ana answers: her own message marks the room read for her.
    await room.send('aquí estoy');
    expect(room.unreadCount).toBe(0);
    await waitFor(() => expect(counts(laptop.list)).toEqual([{ id: dm.id, unread: 0, mentions: 0 }]));
    await waitFor(() => expect(counts(phone.list)).toEqual([{ id: dm.id, unread: 0, mentions: 0 }]));
    expect(phone.list?.[0]?.lastMessage?.text).toBe('aquí estoy');

    // Read on the phone, seen by the laptop's joined room (a `read` event for Ana herself).
    await dm.send('cinco');
    await waitFor(() => expect(room.unreadCount).toBe(1));
    const phoneRoom = await anaPhone.join(dm.id);
    await phoneRoom.markRead();
    await waitFor(() => expect(room.unreadCount).toBe(0));
    expect(room.readSeq).toBe(phoneRoom.readSeq);
  });

  it('readBy() and read events: who has read my message', async () => {
    const { url } = await startPortal();
    const ana = await connectedDevice(url, 'ana');
    const luis = await connectedDevice(url, 'luis');
    const eva = await connectedDevice(url, 'eva');
    const room = await ana.join('sala');
    const luisRoom = await luis.join('sala');
    const evaRoom = await eva.join('sala');
    const mine = await room.send('¿lo habéis leído?');
    expect(room.readBy(mine.id)).toEqual([]);

    const reads: Array<{ userId: string; seq: number }> = [];
    room.on('read', (read) => reads.push(read));
    await waitFor(() => expect(luisRoom.messages.map((m) => m.id)).toContain(mine.id));
    await luisRoom.markRead();
    await waitFor(() => expect(room.readBy(mine.id).map((u) => u.name)).toEqual(['Luis']));
    expect(reads).toContainEqual({ userId: 'luis', seq: mine.seq });
    await waitFor(() => expect(evaRoom.messages.map((m) => m.id)).toContain(mine.id));
    await evaRoom.markRead();
    await waitFor(() =>
      expect(
        room
          .readBy(mine.id)
          .map((u) => u.name)
          .sort(),
      ).toEqual(['Eva', 'Luis']),
    );

    // A reload: the join answer carries the marks.
    const again = await (await connectedDevice(url, 'ana')).join('sala');
    expect(
      again
        .readBy(mine.id)
        .map((u) => u.id)
        .sort(),
    ).toEqual(['eva', 'luis']);
    expect(again.readSeq).toBe(mine.seq);
    // An unknown message: nobody.
    expect(again.readBy('no-such-id')).toEqual([]);
  });

  it('setStatus(): seen by others in rooms (status and text) and by presenceOf; lastSeenAt once offline', async () => {
    const { url } = await startPortal();
    const ana = await connectedDevice(url, 'ana');
    const luis = await connectedDevice(url, 'luis');
    await ana.join('consulta');
    const luisRoom = await luis.join('consulta');
    const changes: string[] = [];
    luisRoom.on('presence', ({ updated }) => changes.push(...updated.map((m) => `${m.id}:${m.status}:${m.statusText ?? ''}`)));

    await ana.setStatus('busy', 'En consulta hasta las 3');
    expect(ana.status).toEqual({ status: 'busy', text: 'En consulta hasta las 3' });
    await waitFor(() =>
      expect(luisRoom.members.find((m) => m.id === 'ana')).toMatchObject({ status: 'busy', statusText: 'En consulta hasta las 3' }),
    );
    expect(changes).toContain('ana:busy:En consulta hasta las 3');

    const [anaNow, nobody] = await luis.presenceOf(['ana', 'nobody']);
    expect(anaNow).toMatchObject({ id: 'ana', online: true, status: 'busy', statusText: 'En consulta hasta las 3' });
    expect(nobody).toEqual({ id: 'nobody', online: false, status: 'online' });

    await expect(ana.setStatus('busy', 'x'.repeat(500))).rejects.toMatchObject({
      code: expect.stringMatching(/VALIDATION_FAILED|PAYLOAD_TOO_LARGE/u),
    });
    expect(ana.status).toEqual({ status: 'busy', text: 'En consulta hasta las 3' });
    await ana.setStatus('online');
    await waitFor(() => expect(luisRoom.members.find((m) => m.id === 'ana')?.status).toBe('online'));
    expect(luisRoom.members.find((m) => m.id === 'ana')?.statusText).toBeUndefined();

    ana.close();
    await waitFor(async () => {
      const [gone] = await luis.presenceOf(['ana']);
      expect(gone?.online).toBe(false);
      expect(gone?.lastSeenAt).toEqual(expect.any(String));
    });
  });

  it('a status set before a reconnect is set again after it (the server forgets it with the last connection)', async () => {
    const { url, chat } = await startPortal();
    const ana = await connectedDevice(url, 'ana');
    const luis = await connectedDevice(url, 'luis');
    await ana.join('consulta');
    const luisRoom = await luis.join('consulta');
    await ana.setStatus('away', 'Vuelvo enseguida');
    await waitFor(() => expect(luisRoom.members.find((m) => m.id === 'ana')?.status).toBe('away'));
    // The server drops Ana's only connection: the client reconnects by itself.
    const states: string[] = [];
    ana.on('state', (state) => states.push(state));
    chat.io
      .of('/')
      .sockets.get(ana.socket.id ?? '')
      ?.disconnect(true);
    await waitFor(() => expect(states).toEqual(['reconnecting', 'connected']));
    await waitFor(() =>
      expect(luisRoom.members.find((m) => m.id === 'ana')).toMatchObject({ status: 'away', statusText: 'Vuelvo enseguida' }),
    );
  });

  it('auto-away: a page hidden long enough shows the user away to others (text kept), and online when shown again; busy is left alone', async () => {
    const { url } = await startPortal();
    const page = new FakePage();
    // The channel to Ana's other tabs (there are none): what this tab tells them shows its state.
    const told: Array<{ kind: string; active?: boolean }> = [];
    const channels: string[] = [];
    const channel = (name: string) => {
      channels.push(name);
      return { postMessage: (m: unknown) => told.push(m as { kind: string }), addEventListener: () => undefined, close: () => undefined };
    };
    const ana = sdkClient(url, { auth: { token: 'ana' }, autoAway: { hiddenMs: 50, environment: { document: page, channel } } });
    const luis = await connectedDevice(url, 'luis');
    await ana.join('consulta');
    // Auto-away is loaded by the first join answer (conversations/auto-away-start.ts), then opens its channel.
    await waitFor(() => expect(channels).toEqual([`chat-away:${url}/#ana`]));
    const luisRoom = await luis.join('consulta');
    const anaSeen = () => luisRoom.members.find((m) => m.id === 'ana');
    await ana.setStatus('online', 'Desde casa');
    await waitFor(() => expect(anaSeen()).toMatchObject({ status: 'online', statusText: 'Desde casa' }));

    page.show('hidden');
    await waitFor(() => expect(anaSeen()).toMatchObject({ status: 'away', statusText: 'Desde casa' }));
    expect(ana.status).toEqual({ status: 'away', text: 'Desde casa' });
    page.show('visible');
    await waitFor(() => expect(anaSeen()).toMatchObject({ status: 'online', statusText: 'Desde casa' }));

    // Busy, chosen by Ana: a hidden page does not turn it into away.
    await ana.setStatus('busy');
    const statuses: string[] = [];
    ana.on('status', ({ status }) => statuses.push(status));
    told.length = 0;
    page.show('hidden');
    await waitFor(() => expect(told).toContainEqual(expect.objectContaining({ kind: 'state', active: false })));
    await ana.setStatus('busy', 'still busy'); // the server has answered everything sent before
    await waitFor(() => expect(anaSeen()).toMatchObject({ status: 'busy', statusText: 'still busy' }));
    expect(statuses).toEqual(['busy']);
    expect(ana.status).toEqual({ status: 'busy', text: 'still busy' });
  });

  it('setNotifications(): stored per user and room, shown in the list, and refused for bad levels', async () => {
    const { url } = await startPortal();
    const ana = await connectedDevice(url, 'ana');
    const room = await ana.join('avisos');
    const list = watch(ana);
    await list.ready;
    expect(list.list?.find((s) => s.room.id === 'avisos')?.notifications).toBe('all');
    await room.setNotifications('mentions');
    expect(list.list?.find((s) => s.room.id === 'avisos')?.notifications).toBe('mentions');
    const elsewhere = await connectedDevice(url, 'ana');
    expect((await elsewhere.conversations()).find((s) => s.room.id === 'avisos')?.notifications).toBe('mentions');
    await expect(room.setNotifications('loud' as never)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
