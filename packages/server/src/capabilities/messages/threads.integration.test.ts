import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Message, MessageSendPayload } from '@chat/protocol';
import type { ChatContext } from '../../core/policy.js';
import type { NotifyEvent } from '../../core/notify.js';
import { nextEvent, okData, request, startChat, type RawSocket } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { byHandshake, connect, eachStore, fresh, join, rowOf, say, startWithRest } from '../conversations/conversation-fixtures.js';

// Threads end to end on one process, with each store: replies out of the main log, the parent's
// summary by message:updated, thread pages, bad input, authorize, catch-up after being away,
// unread per participant, notify, and changes, mentions and search inside a thread.

async function reply(socket: RawSocket, roomId: string, threadOf: string, text: string, extra: Partial<MessageSendPayload> = {}) {
  return okData(await request(socket, 'message:send', { roomId, clientId: randomUUID(), text, threadOf, ...extra })).message;
}

async function refusal(socket: RawSocket, payload: Record<string, unknown>) {
  const ack = await request(socket, 'message:send', { clientId: randomUUID(), text: 'x', ...payload } as MessageSendPayload);
  if (ack.ok) throw new Error('expected a refusal');
  return { code: ack.error.code, message: ack.error.message };
}

eachStore('threads', (store) => {
  it('keeps replies out of the main log, sends the summary to everyone, and pages the thread', async () => {
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake });
    const roomId = fresh('town');
    const [ana, ben] = [await connect(url, fresh('ana'), 'Ana'), await connect(url, fresh('ben'), 'Ben')];
    await join(ana, roomId);
    await join(ben, roomId);
    const parent = await say(ana, roomId, 'Release on Friday?');
    const heard: Message[] = [];
    ana.on('message', (m) => heard.push(m));
    const updates: Message[] = [];
    ana.on('message:updated', (m) => updates.push(m));
    const first = await reply(ben, roomId, parent.id, 'Yes');
    // A reply to a reply joins the parent's thread.
    const second = await reply(ben, roomId, first.id, 'After the freeze');
    const shown = await reply(ben, roomId, parent.id, 'Everyone: Friday', { alsoInRoom: true });
    expect([first.threadOf, second.threadOf, shown.threadOf, shown.alsoInRoom]).toEqual([parent.id, parent.id, parent.id, true]);
    const stored = (await chat.store.getMessage(roomId, parent.id)) as Message;
    expect(stored.thread).toEqual({ replyCount: 3, lastReplyAt: shown.createdAt, participants: [{ id: first.user.id, name: 'Ben' }] });
    // Every reply reached the room live (with its threadOf), and the newest summary too.
    await waitFor(() => expect(heard.map((m) => m.id)).toEqual([first.id, second.id, shown.id]));
    await waitFor(() => expect(updates.at(-1)).toEqual(stored));

    const main = okData(await request(ana, 'message:history', { roomId }));
    expect(main.messages.map((m) => m.id)).toEqual([parent.id, shown.id]);
    expect(okData(await request(ana, 'room:join', { roomId })).messages.map((m) => m.id)).toEqual([parent.id, shown.id]);
    const thread = okData(await request(ana, 'message:history', { roomId, threadOf: parent.id, limit: 2 }));
    expect(thread).toEqual({ messages: [second, shown], hasMore: true });
    const older = okData(await request(ana, 'message:history', { roomId, threadOf: parent.id, before: second.seq }));
    expect(older).toEqual({ messages: [first], hasMore: false });
    // A reply's id pages its thread too.
    expect(okData(await request(ana, 'message:history', { roomId, threadOf: first.id, after: first.seq })).messages).toEqual([
      second,
      shown,
    ]);
  });

  it('refuses bad thread input with a code and a sentence, and stores nothing', async () => {
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake });
    const roomId = fresh('town');
    const other = fresh('other');
    const ana = await connect(url, fresh('ana'), 'Ana');
    await join(ana, roomId);
    await join(ana, other);
    const elsewhere = await say(ana, other, 'in the other room');
    const parent = await say(ana, roomId, 'parent');
    const gone = await reply(ana, roomId, parent.id, 'to be deleted');
    okData(await request(ana, 'message:delete', { roomId, messageId: gone.id }));
    const notFound = (id: string) => ({ code: 'MESSAGE_NOT_FOUND', message: `There is no message "${id}" in this room.` });
    expect(await refusal(ana, { roomId, threadOf: 'no-such-message' })).toEqual(notFound('no-such-message'));
    expect(await refusal(ana, { roomId, threadOf: elsewhere.id })).toEqual(notFound(elsewhere.id));
    expect(await refusal(ana, { roomId, threadOf: 'x'.repeat(10_000) })).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'threadOf must be at most 64 characters.',
    });
    expect(await refusal(ana, { roomId, threadOf: { $gt: '' } })).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'threadOf must be a string.',
    });
    expect(await refusal(ana, { roomId, threadOf: "m'; DROP TABLE x" })).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await refusal(ana, { roomId, alsoInRoom: true })).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'alsoInRoom goes with threadOf (a thread reply).',
    });
    const history = await request(ana, 'message:history', { roomId, threadOf: 'no-such-message' });
    expect(history).toMatchObject({ ok: false, error: notFound('no-such-message') });
    // A deleted reply's id still names its thread: the reply goes to the parent's thread.
    expect((await reply(ana, roomId, gone.id, 'still works')).threadOf).toBe(parent.id);
    expect((await chat.store.getMessage(roomId, parent.id))?.thread?.replyCount).toBe(2);
    expect((await chat.store.listMessages(roomId, { limit: 10 })).messages.map((m) => m.id)).toEqual([parent.id]);

    const meeting = fresh('meeting');
    await chat.createRoom({ id: meeting, options: { ephemeral: true } });
    await join(ana, meeting);
    const said = await say(ana, meeting, 'ephemeral');
    expect(await refusal(ana, { roomId: meeting, threadOf: said.id })).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'Ephemeral rooms have no threads: their messages are not stored.',
    });
  });

  it('asks authorize with the thread, and keeps a thread of a deleted parent working', async () => {
    const asked: Array<[string, string | undefined]> = [];
    const authorize = (action: string, ctx: ChatContext) => {
      if (ctx.threadOf !== undefined) asked.push([action, ctx.threadOf]);
      return !(action === 'message:send' && ctx.threadOf !== undefined && ctx.user.id.startsWith('muted'));
    };
    const { url } = await startChat({ store: store(), authenticate: byHandshake, authorize });
    const roomId = fresh('town');
    const ana = await connect(url, fresh('ana'), 'Ana');
    const quiet = await connect(url, fresh('muted'), 'Quiet');
    await join(ana, roomId);
    await join(quiet, roomId);
    const parent = await say(ana, roomId, 'parent');
    const first = await reply(ana, roomId, parent.id, 'first');
    await reply(ana, roomId, first.id, 'second');
    okData(await request(ana, 'message:history', { roomId, threadOf: first.id }));
    expect(asked).toEqual([
      ['message:send', parent.id],
      ['message:send', parent.id],
      ['message:history', parent.id],
    ]);
    expect(await refusal(quiet, { roomId, threadOf: parent.id })).toMatchObject({ code: 'FORBIDDEN' });
    expect(okData(await request(quiet, 'message:send', { roomId, clientId: randomUUID(), text: 'in the room is fine' })).message.seq).toBe(
      4,
    );

    const deleted = okData(await request(ana, 'message:delete', { roomId, messageId: parent.id })).message;
    expect(deleted).toMatchObject({ text: '', deletedAt: expect.any(String), thread: { replyCount: 2 } });
    const third = await reply(ana, roomId, parent.id, 'third, under the placeholder');
    const page = okData(await request(ana, 'message:history', { roomId, threadOf: parent.id }));
    expect(page.messages.map((m) => m.text)).toEqual(['first', 'second', third.text]);
  });

  it('catches a client that was away up: the parents changed since its cursor, then their replies', async () => {
    const { url } = await startChat({ store: store(), authenticate: byHandshake });
    const roomId = fresh('town');
    const anaId = fresh('ana');
    const [ana, ben] = [await connect(url, anaId, 'Ana'), await connect(url, fresh('ben'), 'Ben')];
    const joined = await join(ana, roomId);
    await join(ben, roomId);
    const parent = await say(ben, roomId, 'parent');
    const held = okData(await request(ana, 'message:history', { roomId })).messages;
    const cursor = (await join(ana, roomId)).rev;
    ana.disconnect();
    const replies = [await reply(ben, roomId, parent.id, 'r1'), await reply(ben, roomId, parent.id, 'r2')];
    okData(await request(ben, 'reaction:add', { roomId, messageId: replies[0]!.id, emoji: '👍' }));
    const back = await connect(url, anaId, 'Ana');
    const rejoined = okData(await request(back, 'room:join', { roomId, since: held.at(-1)!.seq, epoch: joined.epoch }));
    expect(rejoined.messages).toEqual([]); // the main log has nothing new
    const changed = okData(
      await request(back, 'message:history', { roomId, changedAfter: cursor, minSeq: 1, maxSeq: held.at(-1)!.seq, limit: 50 }),
    );
    expect(changed.messages.map((m) => [m.id, m.thread?.replyCount])).toEqual([[parent.id, 2]]);
    const thread = okData(await request(back, 'message:history', { roomId, threadOf: parent.id, after: 0 }));
    expect(thread.messages.map((m) => [m.text, m.reactions?.['👍']?.count])).toEqual([
      ['r1', 1],
      ['r2', undefined],
    ]);
    // The replies' own changes come through changedAfter like any message's.
    const all = okData(await request(back, 'message:history', { roomId, changedAfter: cursor, limit: 50 }));
    expect(all.messages.map((m) => m.id).sort()).toEqual([parent.id, replies[0]!.id].sort());
  });

  it('counts unread per thread for its participants in conversations and room:activity, and notifies them', async () => {
    const calls: Array<{ userId: string; event: NotifyEvent }> = [];
    const { url, chat } = await startChat({
      store: store(),
      authenticate: byHandshake,
      notify: (user, event) => void calls.push({ userId: user.id, event }),
    });
    const roomId = fresh('town');
    const [anaId, benId, cyId] = [fresh('ana'), fresh('ben'), fresh('cy')];
    const [ana, ben, cy] = [await connect(url, anaId, 'Ana'), await connect(url, benId, 'Ben'), await connect(url, cyId, 'Cy')];
    await join(ana, roomId);
    await join(ben, roomId);
    await join(cy, roomId);
    const parent = await say(ana, roomId, 'parent');
    okData(await request(ana, 'room:leave', { roomId }));
    okData(await request(cy, 'room:leave', { roomId }));
    await reply(ben, roomId, parent.id, 'Before Cy');
    expect((await rowOf(cy, roomId))?.threadUnread).toBeUndefined();
    const activity = nextEvent(ana, 'room:activity', (e) => e.roomId === roomId && e.threadUnread === 2);
    const mention = await reply(ben, roomId, parent.id, '@Cy look', { mentions: [cyId] });
    expect(await activity).toMatchObject({ roomId, unread: 0, threadUnread: 2, lastMessage: mention });
    expect(await rowOf(ana, roomId)).toMatchObject({ unread: 0, mentions: 0, threadUnread: 2 });
    // Cy was not in the thread: the reply that mentions him makes him take part from it on. It is
    // his unread reply there; the room's counts (the parent is unread) are of its main log only.
    expect(await rowOf(cy, roomId)).toMatchObject({ unread: 1, mentions: 0, threadUnread: 1 });
    expect((await join(cy, roomId)).threads).toEqual([{ threadOf: parent.id, readSeq: mention.seq - 1, unread: 1 }]);
    okData(await request(cy, 'room:leave', { roomId }));

    ana.disconnect();
    cy.disconnect();
    await waitFor(async () => expect((await chat.presenceOf([anaId, cyId])).map((p) => p.online)).toEqual([false, false]));
    const next = await reply(ben, roomId, parent.id, 'anyone? @Cy', { mentions: [cyId] });
    await waitFor(() => expect(calls).toHaveLength(2));
    // Ana wrote the parent: told as a participant; Cy of the reply that mentions him as a mention.
    expect(calls.map((c) => [c.userId, c.event.kind, c.event.message.id]).sort()).toEqual(
      [
        [anaId, 'thread', next.id],
        [cyId, 'mention', next.id],
      ].sort(),
    );
    // He takes part now: a reply that does not mention him is told to him too.
    const later = await reply(ben, roomId, parent.id, 'Friday then');
    await waitFor(() => expect(calls).toHaveLength(4));
    expect(
      calls
        .slice(2)
        .map((c) => [c.userId, c.event.kind, c.event.message.id])
        .sort(),
    ).toEqual(
      [
        [anaId, 'thread', later.id],
        [cyId, 'thread', later.id],
      ].sort(),
    );
  });

  it('posts replies from the server API and pages a thread over REST, with the same refusals', async () => {
    const { chat, rest } = await startWithRest({ store: store() });
    const roomId = fresh('town');
    const ana = fresh('ana');
    await chat.createRoom({ id: roomId });
    const parent = await chat.sendMessage(roomId, { user: { id: ana, name: 'Ana' }, text: 'parent' });
    const first = await chat.sendMessage(roomId, { user: { id: 'ops', name: 'Ops' }, text: 'first', threadOf: parent.id });
    const shown = await chat.sendMessage(roomId, { user: { id: 'ops', name: 'Ops' }, text: 'shown', threadOf: first.id, alsoInRoom: true });
    expect([first.threadOf, shown.threadOf, shown.alsoInRoom]).toEqual([parent.id, parent.id, true]);
    await expect(chat.sendMessage(roomId, { user: { id: ana, name: 'Ana' }, text: 'x', threadOf: 'nope' })).rejects.toMatchObject({
      code: 'MESSAGE_NOT_FOUND',
    });
    const page = await rest('GET', `/rooms/${roomId}/messages?threadOf=${first.id}&limit=1`, ana);
    expect(page).toEqual({ status: 200, body: { messages: [shown], hasMore: true } });
    const main = await rest('GET', `/rooms/${roomId}/messages`, ana);
    expect((main.body['messages'] as Message[]).map((m) => m.id)).toEqual([parent.id, shown.id]);
    expect((await rest('GET', `/rooms/${roomId}/messages?threadOf=nope`, ana)).status).toBe(404);
    const bad = await rest('GET', `/rooms/${roomId}/messages?threadOf=${'x'.repeat(65)}`, ana);
    expect(bad).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED', message: 'threadOf must be at most 64 characters.' } },
    });
    expect((await rest('GET', `/rooms/${roomId}/messages?threadOf=${parent.id}&changedAfter=0`, ana)).status).toBe(400);
  });

  it('edits, deletes, reactions and search work on replies as on any message', async () => {
    const { url } = await startChat({ store: store(), authenticate: byHandshake });
    const roomId = fresh('town');
    const [ana, ben] = [await connect(url, fresh('ana'), 'Ana'), await connect(url, fresh('ben'), 'Ben')];
    await join(ana, roomId);
    await join(ben, roomId);
    const parent = await say(ana, roomId, 'parent');
    const answer = await reply(ben, roomId, parent.id, 'the zeppelin leaves at noon');
    const seen = nextEvent(ana, 'message:updated', (m) => m.id === answer.id);
    const edited = okData(await request(ben, 'message:edit', { roomId, messageId: answer.id, text: 'the zeppelin leaves at one' })).message;
    expect(await seen).toEqual(edited);
    expect(edited).toMatchObject({ threadOf: parent.id, editedAt: expect.any(String) });
    const reacted = okData(await request(ana, 'reaction:add', { roomId, messageId: answer.id, emoji: '🎈' })).message;
    expect(reacted.reactions?.['🎈']?.count).toBe(1);
    const found = okData(await request(ana, 'message:search', { query: 'zeppelin', roomId }));
    expect(found.results.map((r) => [r.message.id, r.message.threadOf, r.message.text])).toEqual([
      [answer.id, parent.id, 'the zeppelin leaves at one'],
    ]);
    const deleted = okData(await request(ben, 'message:delete', { roomId, messageId: answer.id })).message;
    expect(deleted).toMatchObject({ threadOf: parent.id, text: '', deletedAt: expect.any(String) });
    expect(okData(await request(ana, 'message:history', { roomId, threadOf: parent.id })).messages).toEqual([deleted]);
  });
});
