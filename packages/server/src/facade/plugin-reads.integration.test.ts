// What a host's plugin that reads across rooms is given (docs/plugins.md), as the built-in search
// uses it: an event about a room the socket need not join (`requireJoined: false`), the audience
// rule as a room or a list (`readableRoom`, `readableRooms`), and the user's budget.
import { describe, expect, it } from 'vitest';
import type { Ack } from '@chat/protocol';
import { definePlugin, type PluginTools } from '../index.js';
import { rawSocket, request, startChat, type RawSocket } from '../../../../test-support/servers.js';

declare module '@chat/protocol' {
  interface CustomClientEvents {
    'test:peek': (payload: { roomId: string }, ack: Ack<{ title: string | null; checked: string | null }>) => void;
    'test:joined-peek': (payload: { roomId: string }, ack: Ack<{ ok: true }>) => void;
    'test:rooms': (payload: Record<string, never>, ack: Ack<{ rooms: string[] }>) => void;
    'test:costly': (payload: { events: number }, ack: Ack<{ wait: number }>) => void;
  }
}

/** A plugin's event on a raw socket (typed by the chat protocol's own events only). */
const ask = (socket: RawSocket, event: string, payload: unknown) => request(socket, event as never, payload as never);

/** A schema that passes every payload through (the events' own checks are what is tested). */
const anything = { '~standard': { version: 1 as const, vendor: 'test', validate: (value: unknown) => ({ value }) } };

function readerPlugin() {
  let tools!: PluginTools;
  const plugin = definePlugin({
    name: 'reader',
    start: (given) => void (tools = given),
    events: {
      'test:peek': {
        payload: anything as never,
        requireJoined: false,
        handle: async ({ user, handshake, payload, roomId }, tools) => ({
          title: (await tools.readableRoom(user, payload.roomId, handshake)).title ?? null,
          // Not a room the socket is in: left out.
          checked: roomId ?? null,
        }),
      },
      'test:joined-peek': { payload: anything as never, handle: async () => ({ ok: true as const }) },
      'test:rooms': async ({ user, handshake }, tools) => ({ rooms: (await tools.readableRooms(user, handshake)).sort() }),
      'test:costly': async ({ user, payload }, tools) => ({
        wait: tools.budget(user.id).takeEvents((payload as { events: number }).events),
      }),
    },
  });
  return { plugin, tools: () => tools };
}

describe('plugins that read across rooms', () => {
  it('requireJoined: false reaches the handler for a room the socket never joined; readableRoom answers as the server does', async () => {
    const { plugin } = readerPlugin();
    const { chat, url } = await startChat({ plugins: [plugin], authenticate: (h) => ({ id: String(h.auth['token']), name: 'Ana' }) });
    await chat.createRoom({ id: 'open', title: 'Open room' });
    await chat.createRoom({ id: 'closed', title: 'Ended' });
    await chat.endRoom('closed');
    await chat.createRoom({ id: 'secret', options: { private: true }, createdBy: 'boss' });
    const ana = await rawSocket(url, { token: 'ana' });
    expect(await ask(ana, 'test:peek', { roomId: 'open' })).toEqual({ ok: true, data: { title: 'Open room', checked: null } });
    // The default still asks for a joined room; a room id is checked as one either way.
    expect(await ask(ana, 'test:joined-peek', { roomId: 'open' })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    expect(await ask(ana, 'test:peek', { roomId: '#nope' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await ask(ana, 'test:peek', { roomId: 'nowhere' })).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
    expect(await ask(ana, 'test:peek', { roomId: 'closed' })).toMatchObject({
      ok: false,
      error: { code: 'ROOM_ENDED', message: 'This room has ended.' },
    });
    expect(await ask(ana, 'test:peek', { roomId: 'secret' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await chat.ban('open', 'ana');
    expect(await ask(ana, 'test:peek', { roomId: 'open' })).toMatchObject({ ok: false, error: { code: 'BANNED' } });
  });

  it('readableRooms lists the rooms the user belongs to and may read now: not ended, not banned from', async () => {
    const { plugin } = readerPlugin();
    const { chat, url } = await startChat({ plugins: [plugin], authenticate: (h) => ({ id: String(h.auth['token']), name: 'Ana' }) });
    for (const id of ['a', 'b', 'c', 'never-joined']) await chat.createRoom({ id });
    await chat.addMembers('a', [{ id: 'ana', name: 'Ana' }]);
    await chat.addMembers('b', [{ id: 'ana', name: 'Ana' }]);
    await chat.addMembers('c', [{ id: 'ana', name: 'Ana' }]);
    const ana = await rawSocket(url, { token: 'ana' });
    expect(await ask(ana, 'test:rooms', {})).toEqual({ ok: true, data: { rooms: ['a', 'b', 'c'] } });
    await chat.endRoom('b');
    await chat.ban('c', 'ana');
    expect(await ask(ana, 'test:rooms', {})).toEqual({ ok: true, data: { rooms: ['a'] } });
  });

  it("budget: takeEvents takes from the user's event budget, or says how long to wait; a bad count is refused", async () => {
    const { plugin, tools } = readerPlugin();
    const { url } = await startChat({ plugins: [plugin], limits: { eventBurst: 20, eventsPerSecond: 0.01 } });
    const ana = await rawSocket(url, { name: 'Ana' });
    // The request took one event on the way in, the handler 10 more: a second such request finds 9 left.
    expect(await ask(ana, 'test:costly', { events: 10 })).toEqual({ ok: true, data: { wait: 0 } });
    const second = await ask(ana, 'test:costly', { events: 10 });
    expect(second).toMatchObject({ ok: true, data: { wait: expect.any(Number) } });
    expect((second as { data: { wait: number } }).data.wait).toBeGreaterThan(0);
    for (const odd of [Number.NaN, -1, 1.5, 21])
      expect(() => tools().budget('ana').takeEvents(odd)).toThrow('a whole number of events from 0 to limits.eventBurst (20)');
    // History sent beyond the read budget makes the next read wait.
    const budget = tools().budget('someone');
    budget.checkRead();
    const huge = { text: 'x'.repeat(1_000_000), attachments: [] } as never;
    budget.chargeRead(Array.from({ length: 100 }, () => huge));
    expect(() => budget.checkRead()).toThrow('You are loading history too fast');
  });
});
