import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ChatError, type ChatErrorData, type ChatUser, type Message } from '@chat/protocol';
import type { ChatHandshake } from '../../core/handshake.js';
import type { ChatServerOptions } from '../../options.js';
import { okData, rawSocket, request, startChat, type RawSocket } from '../../../../../test-support/servers.js';
import { bothStores } from '../../../../../test-support/stores.js';

// The "Bad input and races", on both stores: each gets a coded error with a sentence,
// or a defined result, and nothing stored is lost.

const passThrough = (handshake: ChatHandshake): ChatUser => {
  const { id, name } = handshake.auth as Record<string, string | undefined>;
  if (!id) throw new ChatError('UNAUTHENTICATED', 'Who are you?');
  return { id, name: name ?? id };
};

const roomName = () => `bad-${randomUUID().slice(0, 8)}`;

/** Any event with any payload (the typed `request` would not let a test send garbage). */
function ackOf(
  socket: RawSocket,
  event: string,
  payload: unknown,
): Promise<{ ok: boolean; data?: { message: Message }; error?: ChatErrorData }> {
  return (socket.timeout(5000) as unknown as { emitWithAck(e: string, p: unknown): Promise<never> }).emitWithAck(event, payload);
}

describe.each(bothStores())('%s: changes to messages, bad input and races', (_name, makeStore) => {
  async function server(options: ChatServerOptions = {}) {
    const started = await startChat({ store: makeStore(), authenticate: passThrough, ...options });
    const errors: unknown[] = [];
    started.chat.on('error', (e) => errors.push(e));
    await started.chat.ready();
    return { ...started, errors };
  }

  async function member(url: string, roomId: string, id: string): Promise<RawSocket> {
    const socket = await rawSocket(url, { id, name: id[0]?.toUpperCase() + id.slice(1) });
    okData(await request(socket, 'room:join', { roomId }));
    return socket;
  }

  async function send(socket: RawSocket, roomId: string, text: string, extra: Record<string, unknown> = {}): Promise<Message> {
    return okData(await request(socket, 'message:send', { roomId, clientId: randomUUID(), text, ...extra })).message;
  }

  it("another user's message: FORBIDDEN for edit and delete, and the message is as it was", async () => {
    const { url, chat, errors } = await server();
    const roomId = roomName();
    const ana = await member(url, roomId, 'ana');
    const luis = await member(url, roomId, 'luis');
    const sent = await send(ana, roomId, 'mine', { mentions: ['luis'] });
    for (const [event, payload] of [
      ['message:edit', { roomId, messageId: sent.id, text: 'hacked' }],
      ['message:delete', { roomId, messageId: sent.id }],
    ] as const) {
      const ack = await ackOf(luis, event, payload);
      expect(ack.error?.code, event).toBe('FORBIDDEN');
      expect(ack.error?.message, event).toMatch(/^You can only (edit|delete) your own messages\.$/u);
    }
    expect(await chat.store.getMessage(roomId, sent.id)).toEqual(sent);
    expect(errors).toEqual([]);
  });

  it('a message of another room, or none: MESSAGE_NOT_FOUND for every change; a room not joined: NOT_IN_ROOM', async () => {
    const { url, chat, errors } = await server();
    const roomA = roomName();
    const roomB = roomName();
    const ana = await member(url, roomA, 'ana');
    okData(await request(ana, 'room:join', { roomId: roomB }));
    const inA = await send(ana, roomA, 'in A');
    const changes = (messageId: string, roomId: string): Array<[string, unknown]> => [
      ['message:edit', { roomId, messageId, text: 'x' }],
      ['message:delete', { roomId, messageId }],
      ['reaction:add', { roomId, messageId, emoji: '👍' }],
      ['reaction:remove', { roomId, messageId, emoji: '👍' }],
    ];
    for (const [event, payload] of [...changes(inA.id, roomB), ...changes('no-such-id', roomA)]) {
      const ack = await ackOf(ana, event, payload);
      expect(ack.error, event).toEqual({
        code: 'MESSAGE_NOT_FOUND',
        lang: 'en',
        message: expect.stringMatching(/^There is no message "[^"]+" in this room\.$/u),
      });
    }
    const stranger = await rawSocket(url, { id: 'eva', name: 'Eva' });
    for (const [event, payload] of changes(inA.id, roomA)) {
      expect((await ackOf(stranger, event, payload)).error, event).toEqual({
        code: 'NOT_IN_ROOM',
        lang: 'en',
        message: 'Join this room first.',
      });
    }
    expect(await chat.store.getMessage(roomA, inA.id)).toEqual(inA);
    expect(errors).toEqual([]);
  });

  it('an edit racing a delete: whichever comes second sees the other; never a deleted message with text', async () => {
    const { url, chat, errors } = await server();
    const roomId = roomName();
    const ana = await member(url, roomId, 'ana');
    const anaToo = await rawSocket(url, { id: 'ana', name: 'Ana' });
    okData(await request(anaToo, 'room:join', { roomId }));
    const outcomes = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const sent = await send(ana, roomId, `race ${i}`);
      const [edit, del] = await Promise.all([
        ackOf(ana, 'message:edit', { roomId, messageId: sent.id, text: `edited ${i}` }),
        ackOf(anaToo, 'message:delete', { roomId, messageId: sent.id }),
      ]);
      expect(del.ok).toBe(true);
      const stored = (await chat.store.getMessage(roomId, sent.id)) as Message;
      expect(stored).toMatchObject({ text: '', attachments: [], deletedAt: expect.any(String) });
      expect(stored).toEqual(del.data?.message);
      if (edit.ok) {
        // The edit came first: the delete's rev is higher and it carries the edit's editedAt.
        expect(edit.data?.message.rev).toBeLessThan(stored.rev);
        expect(stored.editedAt).toBe(edit.data?.message.editedAt);
        outcomes.add('edit first');
      } else {
        expect(edit.error).toEqual({ code: 'MESSAGE_NOT_FOUND', lang: 'en', message: 'This message was deleted.' });
        outcomes.add('delete first');
      }
    }
    expect(outcomes.size).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it('many users reacting with the same emoji at once: the count is exact, each user once', async () => {
    const { url, chat, errors } = await server();
    const roomId = roomName();
    const ids = Array.from({ length: 30 }, (_, i) => `fan${i}`);
    const fans = await Promise.all(ids.map((id) => member(url, roomId, id)));
    const message = await send(fans[0] as RawSocket, roomId, 'vote');
    // Each fan twice (a double click): still one each.
    const acks = await Promise.all(
      fans.flatMap((s) => [1, 2].map(() => ackOf(s, 'reaction:add', { roomId, messageId: message.id, emoji: '👍' }))),
    );
    expect(acks.every((a) => a.ok)).toBe(true);
    const stored = (await chat.store.getMessage(roomId, message.id)) as Message;
    expect(stored.reactions?.['👍']?.count).toBe(30);
    expect(stored.reactions?.['👍']?.userIds).toHaveLength(25);
    expect(new Set(stored.reactions?.['👍']?.userIds).size).toBe(25);
    // Half take it back at once.
    await Promise.all(fans.slice(0, 15).map((s) => ackOf(s, 'reaction:remove', { roomId, messageId: message.id, emoji: '👍' })));
    const after = (await chat.store.getMessage(roomId, message.id)) as Message;
    // The users left, in the order their reactions landed (any order: they were concurrent).
    expect(after.reactions?.['👍']?.count).toBe(15);
    expect([...(after.reactions?.['👍']?.userIds ?? [])].sort()).toEqual(ids.slice(15).sort());
    expect(errors).toEqual([]);
  });

  it('reactions on a deleted message: MESSAGE_NOT_FOUND; the placeholder stays as it is', async () => {
    const { url, chat } = await server();
    const roomId = roomName();
    const ana = await member(url, roomId, 'ana');
    const luis = await member(url, roomId, 'luis');
    const sent = await send(ana, roomId, 'soon gone');
    await ackOf(luis, 'reaction:add', { roomId, messageId: sent.id, emoji: '👍' });
    const deleted = okData(await request(ana, 'message:delete', { roomId, messageId: sent.id })).message;
    for (const event of ['reaction:add', 'reaction:remove']) {
      expect((await ackOf(luis, event, { roomId, messageId: sent.id, emoji: '👍' })).error, event).toEqual({
        code: 'MESSAGE_NOT_FOUND',
        lang: 'en',
        message: 'This message was deleted.',
      });
    }
    expect((await ackOf(ana, 'message:edit', { roomId, messageId: sent.id, text: 'back' })).error?.code).toBe('MESSAGE_NOT_FOUND');
    expect(await chat.store.getMessage(roomId, sent.id)).toEqual(deleted);
  });

  it('empty edits, oversized text, emoji strings that are not one emoji, too many emojis or mentions: coded errors; nothing changes', async () => {
    const { url, chat, errors } = await server({ limits: { maxTextLength: 50, maxReactionsPerMessage: 3, maxMentions: 2 } });
    const roomId = roomName();
    const ana = await member(url, roomId, 'ana');
    const sent = await send(ana, roomId, 'keep me');
    const withFile = await send(ana, roomId, '', { attachments: [{ url: 'https://files.example/a.png', type: 'image/png' }] });
    for (const emoji of ['🙂', '🎉', '👍']) okData(await request(ana, 'reaction:add', { roomId, messageId: sent.id, emoji }));
    const before = await chat.store.getMessage(roomId, sent.id);
    const m = sent.id;
    const cases: Array<[string, unknown, string, RegExp]> = [
      ['message:edit', { roomId, messageId: m, text: '' }, 'VALIDATION_FAILED', /needs some text or at least one attachment/u],
      ['message:edit', { roomId, messageId: m, text: ' \n\t ' }, 'VALIDATION_FAILED', /needs some text/u],
      ['message:edit', { roomId, messageId: m, text: 'x'.repeat(51) }, 'PAYLOAD_TOO_LARGE', /at most 50 characters/u],
      ['message:edit', { roomId, messageId: m, text: 'a\u0000b' }, 'VALIDATION_FAILED', /NUL/u],
      ['message:edit', { roomId, messageId: m }, 'VALIDATION_FAILED', /^text is missing\.$/u],
      ['message:edit', { roomId, messageId: m, text: 'hi', mentions: ['a', 'b', 'c'] }, 'PAYLOAD_TOO_LARGE', /at most 2 people/u],
      ['message:edit', { roomId, messageId: m, text: 'hi', mentions: 'ana' }, 'VALIDATION_FAILED', /list of user ids/u],
      ['message:edit', { roomId, messageId: 'bad id!', text: 'hi' }, 'VALIDATION_FAILED', /^messageId may contain only/u],
      ['reaction:add', { roomId, messageId: m, emoji: 'like' }, 'VALIDATION_FAILED', /not text/u],
      ['reaction:add', { roomId, messageId: m, emoji: '👍👍' }, 'VALIDATION_FAILED', /one emoji, not several/u],
      ['reaction:add', { roomId, messageId: m, emoji: '👍'.repeat(17) }, 'VALIDATION_FAILED', /at most 32 characters/u],
      ['reaction:add', { roomId, messageId: m, emoji: '' }, 'VALIDATION_FAILED', /must not be empty/u],
      ['reaction:add', { roomId, messageId: m, emoji: 42 }, 'VALIDATION_FAILED', /must be a string/u],
      ['reaction:add', { roomId, messageId: m, emoji: '<img src=x>' }, 'VALIDATION_FAILED', /not text/u],
      ['reaction:add', { roomId, messageId: m, emoji: '❤️' }, 'PAYLOAD_TOO_LARGE', /at most 3 different reactions/u],
      ['reaction:remove', { roomId, messageId: m }, 'VALIDATION_FAILED', /^emoji is missing\.$/u],
      ['message:delete', [roomId, m], 'VALIDATION_FAILED', /must be an object/u],
    ];
    for (const [event, payload, code, message] of cases) {
      const ack = await ackOf(ana, event, payload);
      expect(ack.error?.code, `${event} ${JSON.stringify(payload).slice(0, 80)}`).toBe(code);
      expect(ack.error?.message, `${event} ${JSON.stringify(payload).slice(0, 80)}`).toMatch(message);
    }
    expect(await chat.store.getMessage(roomId, sent.id)).toEqual(before);
    // An empty edit is fine where there is an attachment; one of the three emojis already there too.
    expect((await ackOf(ana, 'message:edit', { roomId, messageId: withFile.id, text: '  ' })).ok).toBe(true);
    expect((await ackOf(ana, 'reaction:add', { roomId, messageId: m, emoji: '🙂' })).ok).toBe(true);
    expect(errors).toEqual([]);
  });

  it('an ended room: ROOM_ENDED for every change (sockets and REST); the host may still delete from its history', async () => {
    const http = createServer();
    // REST callers send their id as the token.
    const authenticate = (h: ChatHandshake) => passThrough({ ...h, auth: { id: h.auth['id'] ?? h.auth['token'] } });
    const started = await startChat({ store: makeStore(), authenticate }, http);
    const rest = started.chat.httpHandler();
    http.on('request', (req, res) => rest(req, res, () => res.writeHead(404).end()));
    const { url, chat } = started;
    const roomId = roomName();
    const ana = await member(url, roomId, 'ana');
    const sent = await send(ana, roomId, 'last words');
    const ended = new Promise((resolve) => ana.once('room:ended', resolve));
    await chat.endRoom(roomId);
    await ended;
    for (const [event, payload] of [
      ['message:edit', { roomId, messageId: sent.id, text: 'x' }],
      ['message:delete', { roomId, messageId: sent.id }],
      ['reaction:add', { roomId, messageId: sent.id, emoji: '👍' }],
    ] as const) {
      expect((await ackOf(ana, event, payload)).error?.code, event).toBe('ROOM_ENDED');
    }
    const res = await fetch(`${url}/rooms/${roomId}/messages/${sent.id}`, { method: 'DELETE', headers: { authorization: 'Bearer ana' } });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: ChatErrorData }).error.code).toBe('ROOM_ENDED');
    expect(await chat.store.getMessage(roomId, sent.id)).toEqual(sent);
    expect(await chat.deleteMessage(roomId, sent.id)).toMatchObject({ text: '', deletedAt: expect.any(String) });
  });

  it('every change costs the event budget: past it, RATE_LIMITED with retryAfter, and nothing more is applied', async () => {
    const { url, chat } = await server({ limits: { eventBurst: 5, eventsPerSecond: 0.001 } });
    const roomId = roomName();
    const ana = await member(url, roomId, 'ana'); // the join took one
    const sent = await send(ana, roomId, 'hi');
    const emojis = ['🙂', '🎉', '👍', '🔥', '❤️', '🚀'];
    const acks = [];
    for (const emoji of emojis) acks.push(await ackOf(ana, 'reaction:add', { roomId, messageId: sent.id, emoji }));
    expect(acks.map((a) => a.ok)).toEqual([true, true, true, true, false, false]);
    expect(acks[4]?.error).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    expect(Object.keys((await chat.store.getMessage(roomId, sent.id))?.reactions ?? {})).toEqual(emojis.slice(0, 4));
  });
});
