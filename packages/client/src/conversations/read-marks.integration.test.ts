import { describe, expect, it, vi } from 'vitest';
import { ID_LIMITS, type Message } from '@chat/protocol';
import type { ChatRoom } from '../chat-room.js';
import { rawSocket, request } from '../../../../test-support/servers.js';
import { connectedDevice, startPortal } from '../../../../test-support/portal.js';
import { waitFor } from '../../../../test-support/wait.js';

async function sees(room: ChatRoom, message: Message): Promise<void> {
  await waitFor(() => expect(room.messages.map((m) => m.id)).toContain(message.id));
}

describe('read marks and direct rooms in the SDK (real server)', () => {
  it('a reader marking every message of a burst sends few marks, and the last one is the last seq everywhere', async () => {
    const { url, chat } = await startPortal();
    const ana = await connectedDevice(url, 'ana');
    const luis = await connectedDevice(url, 'luis');
    const room = await ana.join('sala');
    const luisRoom = await luis.join('sala');
    const marks: Array<Promise<number>> = [];
    luisRoom.on('message', (m) => marks.push(luisRoom.markRead(m.seq)));
    const stored = vi.spyOn(chat.store, 'markRead');
    const sent: Message[] = [];
    for (let i = 0; i < 20; i++) sent.push(await room.send(`#${i}`));
    const last = sent.at(-1) as Message;
    await sees(luisRoom, last);
    expect(await Promise.all(marks)).toContain(last.seq);
    // Fewer marks than messages, the last being the last seq: on the server, and as Ana sees it.
    expect(stored.mock.calls.length).toBeLessThan(sent.length);
    expect(stored.mock.calls.at(-1)?.[2]).toBe(last.seq);
    expect((await chat.store.listMembers(room.id)).find((m) => m.user.id === 'luis')?.readSeq).toBe(last.seq);
    await waitFor(() => expect(room.readBy(last.id).map((u) => u.id)).toEqual(['luis']));
    expect(luisRoom.readSeq).toBe(last.seq);
  });

  it('a member who joined later and only sends has read what came before', async () => {
    const { url } = await startPortal();
    const ana = await connectedDevice(url, 'ana');
    const room = await ana.join('sala');
    const first = await room.send('hola');
    const luisRoom = await (await connectedDevice(url, 'luis')).join('sala');
    const reply = await luisRoom.send('hola, Ana');
    // Whichever comes first, the message or the presence that shows Luis joined.
    await sees(room, reply);
    await waitFor(() => expect(room.readBy(first.id).map((u) => u.name)).toEqual(['Luis']));
  });

  it(`a room that grows past ${ID_LIMITS.readsInJoin} members drops the others' marks rather than keeping old ones`, async () => {
    const { url } = await startPortal();
    const ana = await connectedDevice(url, 'ana');
    const room = await ana.join('sala');
    const luisRoom = await (await connectedDevice(url, 'luis')).join('sala');
    const mine = await room.send('¿leído?');
    await sees(luisRoom, mine);
    await luisRoom.markRead();
    await waitFor(() => expect(room.readBy(mine.id).map((u) => u.id)).toEqual(['luis']));
    // Newcomers come and go, a few at a time: never many present, but the room keeps them all
    // as members (every join of a stored room makes one).
    const newcomers = ID_LIMITS.readsInJoin;
    for (let start = 0; start < newcomers; start += 10) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(10, newcomers - start) }, async (_, i) => {
          const socket = await rawSocket(url, { token: `guest-${start + i}` });
          await request(socket, 'room:join', { roomId: 'sala' });
          return { socket, id: `guest-${start + i}` };
        }),
      );
      await waitFor(() => expect(room.members.map((m) => m.id)).toEqual(expect.arrayContaining(batch.map((b) => b.id))));
      for (const { socket } of batch) socket.disconnect();
    }
    expect(room.readBy(mine.id)).toEqual([]);
    // The server sends no more marks: none come back as stale ones either.
    const later = await room.send('¿y ahora?');
    await sees(luisRoom, later);
    await luisRoom.markRead();
    expect(room.readBy(later.id)).toEqual([]);
    // A join answer of a room this big carries no marks: the same on a reload.
    const again = await (await connectedDevice(url, 'ana')).join('sala');
    expect(again.readBy(mine.id)).toEqual([]);
  });

  it("conversations(): a direct room lists its members, and the client knows who it is (for 'You: …')", async () => {
    const { url } = await startPortal();
    const ana = await connectedDevice(url, 'ana');
    const luis = await connectedDevice(url, 'luis');
    const dm = await ana.direct('luis');
    await dm.send('hola');
    expect(luis.user).toBeUndefined();
    const list = await luis.conversations();
    expect(luis.user).toEqual({ id: 'luis', name: 'Luis' });
    const row = list.find((s) => s.room.id === dm.id);
    expect(row?.members?.map((m) => m.name).sort()).toEqual(['Ana', 'Luis']);
    // Kept when the room is joined here and counts for itself.
    const joined = await luis.join(dm.id);
    await joined.markRead();
    await waitFor(() => expect(luis.user && list.length).toBeTruthy());
    const after = await luis.conversations();
    expect(after.find((s) => s.room.id === dm.id)).toMatchObject({ unread: 0 });
    expect(
      after
        .find((s) => s.room.id === dm.id)
        ?.members?.map((m) => m.id)
        .sort(),
    ).toEqual(['ana', 'luis']);
    expect(ana.user).toEqual({ id: 'ana', name: 'Ana' });
  });
});
