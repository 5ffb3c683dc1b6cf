import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChatError, type ChatUser, type Message, type RoomJoinResult } from '@chat/protocol';
import type { ChatHandshake } from '../../core/handshake.js';
import type { ChatAction, ChatContext, ChatServerOptions } from '../../options.js';
import { nextEvent, okData, rawSocket, request, startChat, type RawSocket } from '../../../../../test-support/servers.js';
import { answerChangesTogether } from '../../../../../test-support/gate.js';
import { bothStores } from '../../../../../test-support/stores.js';
import { waitFor } from '../../../../../test-support/wait.js';

// Edits, deletes, reactions and mentions through a real server and raw Socket.IO clients, on
// both stores: what the acting socket gets in its ack, what the others get as `message:updated`,
// what history, REST and the server API show afterwards, and how a client catches up.

// Sockets say who they are (`auth.id`, `auth.name`); REST callers send their id as the token.
const passThrough = (handshake: ChatHandshake): ChatUser => {
  const { id, name, token } = handshake.auth as Record<string, string | undefined>;
  if (!id && !token) throw new ChatError('UNAUTHENTICATED', 'Who are you?');
  return { id: (id ?? token) as string, name: name ?? (token as string) };
};

const roomName = () => `changes-${randomUUID().slice(0, 8)}`;

/** Every `message:updated` a socket receives, in order. */
function updatesOf(socket: RawSocket): Message[] {
  const seen: Message[] = [];
  socket.on('message:updated', (m) => seen.push(m));
  return seen;
}

async function join(socket: RawSocket, roomId: string, extra: { since?: number; epoch?: string } = {}): Promise<RoomJoinResult> {
  return okData(await request(socket, 'room:join', { roomId, ...extra }));
}

async function send(socket: RawSocket, roomId: string, text: string, extra: Record<string, unknown> = {}): Promise<Message> {
  return okData(await request(socket, 'message:send', { roomId, clientId: randomUUID(), text, ...extra })).message;
}

describe.each(bothStores())('%s: messages that change', (_name, makeStore) => {
  async function server(options: ChatServerOptions = {}) {
    const http = createServer();
    const started = await startChat({ authenticate: passThrough, ...options, store: options.store ?? makeStore() }, http);
    const rest = started.chat.httpHandler();
    http.on('request', (req, res) => rest(req, res, () => res.writeHead(404).end()));
    const errors: unknown[] = [];
    started.chat.on('error', (e) => errors.push(e));
    await started.chat.ready();
    return { ...started, errors };
  }

  async function people(url: string, roomId: string, ...names: string[]) {
    const sockets: RawSocket[] = [];
    for (const name of names) {
      const socket = await rawSocket(url, { id: name.toLowerCase(), name });
      await join(socket, roomId);
      sockets.push(socket);
    }
    return sockets;
  }

  it('an edit reaches everyone else with the new text, editedAt and a higher rev; history and a new join show it', async () => {
    const { url, chat, errors } = await server();
    const roomId = roomName();
    const [ana, luis] = (await people(url, roomId, 'Ana', 'Luis')) as [RawSocket, RawSocket];
    const anaUpdates = updatesOf(ana);
    const sent = await send(ana, roomId, 'helo');
    expect(sent.rev).toBe(0);

    const seen = nextEvent(luis, 'message:updated');
    const edited = okData(await request(ana, 'message:edit', { roomId, messageId: sent.id, text: 'hello' })).message;
    expect(edited).toMatchObject({ id: sent.id, seq: sent.seq, text: 'hello', clientId: sent.clientId });
    expect(edited.rev).toBeGreaterThan(0);
    expect(Date.parse(edited.editedAt as string)).not.toBeNaN();
    expect(await seen).toEqual(edited);

    const page = okData(await request(luis, 'message:history', { roomId }));
    expect(page.messages).toEqual([edited]);
    const late = await rawSocket(url, { id: 'eva', name: 'Eva' });
    const joined = await join(late, roomId);
    expect(joined.messages).toEqual([edited]);
    expect(joined.rev).toBe(edited.rev);
    expect(await chat.store.roomRev(roomId)).toBe(edited.rev);

    // The same text again changes nothing: same rev, no update. Luis's reaction afterwards is the
    // first update Ana gets (events reach a socket in the order they were sent): she never got
    // her own edit back either, she has it in her ack.
    const again = okData(await request(ana, 'message:edit', { roomId, messageId: sent.id, text: 'hello' })).message;
    expect(again).toEqual(edited);
    const reacted = okData(await request(luis, 'reaction:add', { roomId, messageId: sent.id, emoji: '👍' })).message;
    await waitFor(() => expect(anaUpdates.map((m) => m.rev)).toEqual([reacted.rev]));
    expect(reacted.rev).toBe(edited.rev + 1);
    expect(errors).toEqual([]);
  });

  it('a delete leaves a placeholder everywhere: no text, attachments, mentions or reactions; replies keep replyTo; deleting again changes nothing', async () => {
    const { url, chat, errors } = await server();
    const roomId = roomName();
    const [ana, luis] = (await people(url, roomId, 'Ana', 'Luis')) as [RawSocket, RawSocket];
    const attachments = [{ url: 'https://files.example/plan.pdf', type: 'application/pdf', name: 'plan.pdf', size: 1234 }];
    const original = await send(ana, roomId, 'the plan, @luis', { attachments, mentions: ['luis'] });
    expect(original.mentions).toEqual(['luis']);
    await request(luis, 'reaction:add', { roomId, messageId: original.id, emoji: '🎉' });
    const reply = await send(luis, roomId, 'thanks', { replyTo: original.id });

    const seen = nextEvent(luis, 'message:updated', (m) => m.deletedAt !== undefined);
    const deleted = okData(await request(ana, 'message:delete', { roomId, messageId: original.id })).message;
    expect(deleted).toMatchObject({ id: original.id, seq: original.seq, user: original.user, text: '', attachments: [] });
    expect(deleted).not.toHaveProperty('mentions');
    expect(deleted).not.toHaveProperty('reactions');
    expect(Date.parse(deleted.deletedAt as string)).not.toBeNaN();
    expect(await seen).toEqual(deleted);

    const stored = await chat.store.getMessage(roomId, original.id);
    expect(stored).toEqual(deleted);
    const page = okData(await request(luis, 'message:history', { roomId }));
    expect(page.messages.map((m) => [m.id, m.text, m.replyTo])).toEqual([
      [original.id, '', undefined],
      [reply.id, 'thanks', original.id],
    ]);
    const again = okData(await request(ana, 'message:delete', { roomId, messageId: original.id })).message;
    expect(again).toEqual(deleted);
    expect(await chat.store.roomRev(roomId)).toBe(deleted.rev);
    expect(errors).toEqual([]);
  });

  it('reactions: one user counts once per emoji, taking one back that is not there changes nothing, counts are exact', async () => {
    const { url, errors } = await server();
    const roomId = roomName();
    const [ana, luis, eva] = (await people(url, roomId, 'Ana', 'Luis', 'Eva')) as [RawSocket, RawSocket, RawSocket];
    const message = await send(ana, roomId, 'lunch?');
    const react = (s: RawSocket, emoji: string) => request(s, 'reaction:add', { roomId, messageId: message.id, emoji });
    const unreact = (s: RawSocket, emoji: string) => request(s, 'reaction:remove', { roomId, messageId: message.id, emoji });

    const first = okData(await react(luis, '👍')).message;
    expect(first.reactions).toEqual({ '👍': { count: 1, userIds: ['luis'] } });
    const twice = okData(await react(luis, '👍')).message;
    expect(twice).toEqual(first);
    okData(await react(eva, '👍'));
    okData(await react(eva, '👩🏽‍💻'));
    const both = okData(await react(ana, '❤️')).message;
    expect(both.reactions).toEqual({
      '👍': { count: 2, userIds: ['luis', 'eva'] },
      '👩🏽‍💻': { count: 1, userIds: ['eva'] },
      '❤️': { count: 1, userIds: ['ana'] },
    });
    const absent = okData(await unreact(ana, '👍')).message;
    expect(absent).toEqual(both);
    okData(await unreact(eva, '👩🏽‍💻'));
    const after = okData(await unreact(luis, '👍')).message;
    expect(after.reactions).toEqual({ '👍': { count: 1, userIds: ['eva'] }, '❤️': { count: 1, userIds: ['ana'] } });
    // Everyone ends with the message as it is (updates are coalesced, the last one carries it).
    for (const socket of [ana, luis, eva]) {
      const page = okData(await request(socket, 'message:history', { roomId }));
      expect(page.messages).toEqual([after]);
    }
    expect(errors).toEqual([]);
  });

  it('mentions keep only members of the room (present, or stored and offline), each once, in sends and edits; an edit replaces them', async () => {
    const { url, chat } = await server();
    const roomId = roomName();
    const [ana, luis] = (await people(url, roomId, 'Ana', 'Luis')) as [RawSocket, RawSocket];
    const elsewhere = await rawSocket(url, { id: 'eva', name: 'Eva' });
    await join(elsewhere, roomName());

    const sent = await send(ana, roomId, '@luis @eva @ana @luis', { mentions: ['luis', 'eva', 'ana', 'luis', 'nobody'] });
    expect(sent.mentions).toEqual(['luis', 'ana']);
    expect((await chat.store.getMessage(roomId, sent.id))?.mentions).toEqual(['luis', 'ana']);

    const edited = okData(
      await request(ana, 'message:edit', { roomId, messageId: sent.id, text: 'just @ana', mentions: ['ana', 'eva'] }),
    ).message;
    expect(edited.mentions).toEqual(['ana']);
    const none = okData(await request(ana, 'message:edit', { roomId, messageId: sent.id, text: 'nobody' })).message;
    expect(none).not.toHaveProperty('mentions');
    // Only the mentions change: that is a change too.
    const mentionOnly = okData(
      await request(ana, 'message:edit', { roomId, messageId: sent.id, text: 'nobody', mentions: ['luis'] }),
    ).message;
    expect(mentionOnly.mentions).toEqual(['luis']);
    expect(mentionOnly.rev).toBeGreaterThan(none.rev);
    // Once Luis has gone offline he is still a stored member of the room: a mention of him is
    // kept (so `notify` can reach him), one of a user who never joined is not (the server API too).
    const left = nextEvent(ana, 'presence', (delta) => delta.left.includes('luis'));
    luis.disconnect();
    await left;
    const later = await chat.sendMessage(roomId, {
      user: { id: 'bot', name: 'Bot' },
      text: 'hi @luis @eva',
      mentions: ['luis', 'eva', 'ana'],
    });
    expect(later.mentions).toEqual(['luis', 'ana']);
    const edit = await chat.editMessage(roomId, later.id, 'hi @luis and @eva', { mentions: ['eva', 'luis'] });
    expect(edit.mentions).toEqual(['luis']);
  });

  it('beforeMessage sees an edit (ctx.message is the message before it) and may rewrite or refuse it; its output is checked again', async () => {
    const seen: Array<{ text: string; before: string | undefined }> = [];
    const { url } = await server({
      limits: { maxTextLength: 20 },
      beforeMessage: (draft, ctx) => {
        seen.push({ text: draft.text, before: ctx.message?.text });
        if (draft.text.includes('buy')) throw new ChatError('FORBIDDEN', 'No selling here.');
        if (draft.text === 'long') return { ...draft, text: 'x'.repeat(21) };
        return { ...draft, text: draft.text.replace('darn', '****') };
      },
    });
    const roomId = roomName();
    const [ana] = (await people(url, roomId, 'Ana')) as [RawSocket];
    const sent = await send(ana, roomId, 'first');
    const edited = okData(await request(ana, 'message:edit', { roomId, messageId: sent.id, text: 'oh darn' })).message;
    expect(edited.text).toBe('oh ****');
    expect(await request(ana, 'message:edit', { roomId, messageId: sent.id, text: 'buy now' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'No selling here.' },
    });
    expect(await request(ana, 'message:edit', { roomId, messageId: sent.id, text: 'long' })).toMatchObject({
      ok: false,
      error: { code: 'PAYLOAD_TOO_LARGE' },
    });
    expect(seen).toEqual([
      { text: 'first', before: undefined },
      { text: 'oh darn', before: 'first' },
      { text: 'buy now', before: 'oh ****' },
      { text: 'long', before: 'oh ****' },
    ]);
    expect(okData(await request(ana, 'message:history', { roomId })).messages).toEqual([edited]);
  });

  it('authorize decides with message:edit, message:delete and reaction, and sees ctx.message', async () => {
    const asked: Array<[ChatAction, string, string | undefined]> = [];
    const authorize = (action: ChatAction, ctx: ChatContext) => {
      if (action === 'message:edit' || action === 'message:delete' || action === 'reaction') {
        asked.push([action, ctx.user.id, ctx.message?.id]);
        if (ctx.user.id === 'mod') return true;
        if (action === 'reaction') return ctx.user.id !== 'muted';
        return ctx.message?.user.id === ctx.user.id;
      }
      return true;
    };
    const { url } = await server({ authorize });
    const roomId = roomName();
    const [ana, mod, muted] = (await people(url, roomId, 'Ana', 'Mod', 'Muted')) as [RawSocket, RawSocket, RawSocket];
    const sent = await send(ana, roomId, 'hello');
    const id = sent.id;
    expect(okData(await request(mod, 'message:edit', { roomId, messageId: id, text: 'hello (edited by a moderator)' })).message.text).toBe(
      'hello (edited by a moderator)',
    );
    expect(await request(muted, 'reaction:add', { roomId, messageId: id, emoji: '👍' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await request(muted, 'message:delete', { roomId, messageId: id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(okData(await request(mod, 'message:delete', { roomId, messageId: id })).message.deletedAt).toBeDefined();
    expect(asked).toEqual([
      ['message:edit', 'mod', id],
      ['reaction', 'muted', id],
      ['message:delete', 'muted', id],
      ['message:delete', 'mod', id],
    ]);
  });

  it('the default policy: only the author edits and deletes (FORBIDDEN with a sentence); anyone in the room reacts', async () => {
    const { url, chat } = await server();
    const roomId = roomName();
    const [ana, luis] = (await people(url, roomId, 'Ana', 'Luis')) as [RawSocket, RawSocket];
    const sent = await send(ana, roomId, 'mine');
    expect(await request(luis, 'message:edit', { roomId, messageId: sent.id, text: 'yours' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', lang: 'en', message: 'You can only edit your own messages.' },
    });
    expect(await request(luis, 'message:delete', { roomId, messageId: sent.id })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', lang: 'en', message: 'You can only delete your own messages.' },
    });
    okData(await request(luis, 'reaction:add', { roomId, messageId: sent.id, emoji: '🙂' }));
    const stored = await chat.store.getMessage(roomId, sent.id);
    expect(stored).toMatchObject({ text: 'mine', reactions: { '🙂': { count: 1, userIds: ['luis'] } } });
    expect(stored).not.toHaveProperty('deletedAt');
  });

  it('chat.editMessage / chat.deleteMessage act as the host (no author check, no authorize) and broadcast to everyone; chat.on("messageUpdated")', async () => {
    const { url, chat } = await server({ authorize: (action) => action !== 'message:edit' && action !== 'message:delete' });
    const roomId = roomName();
    const [ana, luis] = (await people(url, roomId, 'Ana', 'Luis')) as [RawSocket, RawSocket];
    const hostSeen: Message[] = [];
    chat.on('messageUpdated', (m) => hostSeen.push(m));
    const sent = await send(ana, roomId, 'call me at 555-0100', { mentions: ['luis'] });
    const toAna = nextEvent(ana, 'message:updated');
    const toLuis = nextEvent(luis, 'message:updated');
    const edited = await chat.editMessage(roomId, sent.id, 'call me (number removed)');
    expect(edited).toMatchObject({ text: 'call me (number removed)' });
    expect(edited).not.toHaveProperty('mentions');
    expect(await toAna).toEqual(edited);
    expect(await toLuis).toEqual(edited);
    const withMention = await chat.editMessage(roomId, sent.id, 'call @luis', { mentions: ['luis', 'ghost'] });
    expect(withMention.mentions).toEqual(['luis']);
    const deleted = await chat.deleteMessage(roomId, sent.id);
    expect(deleted).toMatchObject({ text: '', attachments: [] });
    expect(hostSeen.map((m) => m.rev)).toEqual([edited.rev, withMention.rev, deleted.rev]);
    // Bad input is a coded error, not a crash.
    await expect(chat.editMessage(roomId, 'no-such-message', 'x')).rejects.toMatchObject({ code: 'MESSAGE_NOT_FOUND' });
    await expect(chat.editMessage(roomId, sent.id, 'x')).rejects.toMatchObject({
      code: 'MESSAGE_NOT_FOUND',
      message: 'This message was deleted.',
    });
    await expect(chat.deleteMessage('bad room id!', sent.id)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(chat.deleteMessage(roomName(), sent.id)).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
  });

  it('REST PATCH and DELETE /rooms/:id/messages/:messageId: authenticated, author only by default, { message }; 401, 403, 404, 400', async () => {
    const { url, chat } = await server();
    const roomId = roomName();
    const [ana, luis] = (await people(url, roomId, 'Ana', 'Luis')) as [RawSocket, RawSocket];
    const sent = await send(ana, roomId, 'typo heer');
    const call = (method: string, path: string, token?: string, body?: unknown) =>
      fetch(`${url}${path}`, {
        method,
        headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as { message?: Message; error?: { code: string } } }));
    const path = `/rooms/${roomId}/messages/${sent.id}`;

    expect(await call('PATCH', path, undefined, { text: 'x' })).toMatchObject({
      status: 401,
      body: { error: { code: 'UNAUTHENTICATED' } },
    });
    expect(await call('PATCH', path, 'luis', { text: 'x' })).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect(await call('DELETE', path, 'luis')).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect(await call('PATCH', `/rooms/${roomId}/messages/nope`, 'ana', { text: 'x' })).toMatchObject({
      status: 404,
      body: { error: { code: 'MESSAGE_NOT_FOUND' } },
    });
    expect(await call('DELETE', `/rooms/${roomName()}/messages/${sent.id}`, 'ana')).toMatchObject({
      status: 404,
      body: { error: { code: 'ROOM_NOT_FOUND' } },
    });
    expect(await call('PATCH', path, 'ana', ['text'])).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    expect(await call('PATCH', path, 'ana', {})).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    expect(await call('PATCH', path, 'ana', { text: '   ' })).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED' } },
    });

    const toLuis = nextEvent(luis, 'message:updated');
    const patched = await call('PATCH', path, 'ana', { text: 'typo here' });
    expect(patched).toMatchObject({ status: 200, body: { message: { id: sent.id, text: 'typo here' } } });
    expect(await toLuis).toEqual(patched.body.message);
    const removed = await call('DELETE', path, 'ana');
    expect(removed).toMatchObject({ status: 200, body: { message: { id: sent.id, text: '', attachments: [] } } });
    const history = await call('GET', `/rooms/${roomId}/messages`, 'luis');
    expect(history.body).toEqual({ messages: [removed.body.message], hasMore: false });
    const changed = await call('GET', `/rooms/${roomId}/messages?changedAfter=0&minSeq=1`, 'luis');
    expect(changed.body).toEqual({ messages: [removed.body.message], hasMore: false });
    expect(await chat.store.getMessage(roomId, sent.id)).toEqual(removed.body.message);
  });

  it('a client that re-joins with the protocol catches up every change it missed with changedAfter pages, and ends equal to the store', async () => {
    const { url, chat } = await server();
    const roomId = roomName();
    const [ana] = (await people(url, roomId, 'Ana')) as [RawSocket];
    const luisAuth = { id: 'luis', name: 'Luis' };
    let luis = await rawSocket(url, luisAuth);
    const sent: Message[] = [];
    for (let i = 0; i < 12; i++) sent.push(await send(ana, roomId, `message ${i}`));

    // Luis holds all twelve, with the join's rev as his cursor.
    const first = await join(luis, roomId);
    const held = new Map(first.messages.map((m) => [m.id, m]));
    const cursor = first.rev;
    const watermark = Math.max(...first.messages.map((m) => m.seq));
    luis.disconnect();

    // While he is away: edits, deletes and reactions to more messages than one page holds, some
    // changed twice, and new messages changed after they were sent.
    for (const [i, m] of sent.entries()) {
      if (i % 3 === 0) await request(ana, 'message:edit', { roomId, messageId: m.id, text: `edited ${i}` });
      if (i % 4 === 1) await request(ana, 'message:delete', { roomId, messageId: m.id });
      if (i % 2 === 0) await request(ana, 'reaction:add', { roomId, messageId: m.id, emoji: '🔥' });
      if (i % 6 === 0) await request(ana, 'message:edit', { roomId, messageId: m.id, text: `edited twice ${i}` });
    }
    const newer = await send(ana, roomId, 'while you were away');
    await request(ana, 'reaction:add', { roomId, messageId: newer.id, emoji: '👋' });

    luis = await rawSocket(url, luisAuth);
    const again = await join(luis, roomId, { since: watermark, epoch: first.epoch });
    for (const m of again.messages) held.set(m.id, m);
    const apply = (m: Message) => {
      const mine = held.get(m.id);
      if (!mine || m.rev > mine.rev) held.set(m.id, m);
    };
    let after = cursor;
    let pages = 0;
    for (;;) {
      const page = okData(await request(luis, 'message:history', { roomId, changedAfter: after, minSeq: 1, maxSeq: watermark, limit: 3 }));
      pages++;
      page.messages.forEach(apply);
      const revs = page.messages.map((m) => m.rev);
      expect(revs).toEqual([...revs].sort((a, b) => a - b));
      if (!page.hasMore) break;
      after = page.messages.at(-1)?.rev as number;
    }
    expect(pages).toBeGreaterThan(2);
    const store = await chat.store.listMessages(roomId, { limit: 100 });
    expect([...held.values()].sort((a, b) => a.seq - b.seq)).toEqual(store.messages);
    expect(again.rev).toBe(await chat.store.roomRev(roomId));
  });

  it('a burst of reactions from many clients is coalesced: far fewer updates than reactions, and every client ends with the exact count', async () => {
    const store = makeStore();
    const emojis = ['⚽', '🎉', '🔥'];
    const names = Array.from({ length: 20 }, (_, i) => `Fan${i}`);
    // The burst reaches the server in one moment: stored one by one (on PostgreSQL, one at a time
    // on the message's row lock), answered together, so that it is one burst however slowly a
    // loaded machine stores it (a run at load 20 spanned windows enough to go over the limit).
    answerChangesTogether([store], names.length * emojis.length);
    const { url, chat, errors } = await server({ store });
    const roomId = roomName();
    const fans = await people(url, roomId, ...names);
    const author = fans[0] as RawSocket;
    const message = await send(author, roomId, 'goal!');
    const received = fans.map((s) => updatesOf(s));
    // Each fan reacts with every emoji, all at once: 60 reactions.
    const acks = await Promise.all(
      fans.flatMap((s) => emojis.map((emoji) => request(s, 'reaction:add', { roomId, messageId: message.id, emoji }))),
    );
    expect(acks.every((a) => a.ok)).toBe(true);
    const final = (await chat.store.getMessage(roomId, message.id)) as Message;
    expect(final.reactions).toEqual(Object.fromEntries(emojis.map((e) => [e, { count: 20, userIds: expect.any(Array) }])));
    // Everyone gets the final state: the last update each one receives is the message as stored.
    await waitFor(() => {
      for (const [i, updates] of received.entries()) {
        const own = acks.slice(i * 3, i * 3 + 3).map((a) => (a.ok ? a.data.message : undefined));
        const best = [...updates, ...own].reduce((a, b) => ((b?.rev ?? -1) > (a?.rev ?? -1) ? b : a));
        expect(best).toEqual(final);
      }
    });
    const delivered = received.reduce((n, u) => n + u.length, 0);
    // Without coalescing each reaction would reach the 19 others: 60 x 19 = 1140 deliveries. With
    // it, a burst in one window costs each fan two updates at most: the first change at once,
    // then the message as it is when the window closes.
    expect(delivered).toBeLessThanOrEqual(2 * fans.length);
    expect(errors).toEqual([]);
  });
});
