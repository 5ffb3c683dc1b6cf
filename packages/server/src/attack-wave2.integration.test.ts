import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChatError, ClientFeature } from '@chat/protocol';
import type { ChatServerOptions } from './options.js';
import { inMs, joined, moderationChat, passThrough, send, sent } from './capabilities/moderation/moderation-fixtures.js';
import { candidate, joinCall, offer, record, startCall } from './capabilities/calls/call-fixtures.js';
import { nextEvent, okData, rawSocket, request, startChat, type RawSocket } from '../../../test-support/servers.js';
import { eachRedis, startClusterChats } from '../../../test-support/cluster.js';
import { PostgresStore } from './store/postgres/postgres-store.js';
import { waitFor } from '../../../test-support/wait.js';

// Issue 15, attack round 2 (H10): what this session added (calls, moderation, bots, commands,
// client features), attacked from a socket.io-client or REST as a guest or a signed-in user. Tests
// named "finding" failed on the code before their fix; the others pin down attacks that failed.

const fresh = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

async function chatWithCalls(options: ChatServerOptions = {}) {
  return moderationChat({ calls: {}, ...options });
}

async function socketOf(url: string, id: string, roles?: string[]): Promise<RawSocket> {
  return rawSocket(url, { id, name: id, ...(roles && { roles }) });
}

describe('calls', () => {
  it('finding: a user rung for a call and then banned from its room cannot join the call through the invitation', async () => {
    const { url, chat } = await chatWithCalls();
    const roomId = fresh('team');
    const [ana] = await joined(url, roomId, 'ana');
    const [eve] = await joined(url, roomId, 'eve');
    const { call } = await startCall(ana, roomId, ['eve']);
    await chat.ban(roomId, 'eve');
    await waitFor(async () => expect((await request(eve, 'message:send', { roomId, clientId: 'x', text: 'hi' })).ok).toBe(false));
    // A socket of hers that never joined the room (an invitee's other tab may answer).
    const eveLaptop = await socketOf(url, 'eve');
    expect(await request(eveLaptop, 'call:join', { callId: call.id })).toMatchObject({ ok: false, error: { code: 'BANNED' } });
    expect(await request(eve, 'call:join', { callId: call.id })).toMatchObject({ ok: false, error: { code: 'BANNED' } });
  });

  it('finding: a user in a call from a socket outside the room is hung up when banned from the room', async () => {
    const { url, chat } = await chatWithCalls();
    const roomId = fresh('team');
    const [ana] = await joined(url, roomId, 'ana');
    const [bob] = await joined(url, roomId, 'bob');
    await joined(url, roomId, 'eve');
    const eveLaptop = await socketOf(url, 'eve'); // rung there, never joined the room
    const { call } = await startCall(ana, roomId, ['eve', 'bob']);
    await joinCall(bob, call.id);
    await joinCall(eveLaptop, call.id);
    const anaLog = record(ana);
    await chat.ban(roomId, 'eve');
    await waitFor(() => expect(anaLog.latest(call.id)?.participants.map((u) => u.id)).toEqual(['ana', 'bob']));
    expect(await request(eveLaptop, 'call:signal', { callId: call.id, to: 'ana', data: offer() })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('finding: ending a room ends its call, also for participants on sockets outside the room', async () => {
    const { url, chat } = await chatWithCalls();
    const roomId = fresh('team');
    const [ana] = await joined(url, roomId, 'ana');
    await joined(url, roomId, 'bob');
    await joined(url, roomId, 'eve');
    const [bobLaptop, eveLaptop] = [await socketOf(url, 'bob'), await socketOf(url, 'eve')]; // rung there, not in the room
    const { call } = await startCall(ana, roomId, ['bob', 'eve']);
    await joinCall(bobLaptop, call.id);
    await joinCall(eveLaptop, call.id);
    const bobLog = record(bobLaptop);
    await chat.endRoom(roomId);
    await waitFor(() => expect(bobLog.latest(call.id)?.endedAt).toBeDefined());
    expect(await request(bobLaptop, 'call:signal', { callId: call.id, to: 'eve', data: offer() })).toMatchObject({
      ok: false,
      error: { code: 'CALL_NOT_FOUND' },
    });
  });

  it('finding: a member removed from a private room is hung up from its call on a socket outside the room', async () => {
    const { url, chat } = await chatWithCalls();
    const room = await chat.createRoom({ options: { private: true } });
    await chat.addMembers(room.id, [
      { id: 'ana', name: 'ana' },
      { id: 'bob', name: 'bob' },
      { id: 'eve', name: 'eve' },
    ]);
    const [ana] = await joined(url, room.id, 'ana');
    await joined(url, room.id, 'bob');
    const eveLaptop = await socketOf(url, 'eve'); // a stored member, rung without joining
    const { call } = await startCall(ana, room.id, ['bob', 'eve']);
    await joinCall(eveLaptop, call.id);
    const anaLog = record(ana);
    await chat.removeMembers(room.id, ['eve']);
    await waitFor(() => expect(anaLog.latest(call.id)?.participants.map((u) => u.id)).toEqual(['ana']));
  });

  it('finding: a muted member cannot join a call or send it signals, nor can a member of a frozen room (issue 30, 2f)', async () => {
    const { url, chat } = await chatWithCalls();
    const roomId = fresh('team');
    const [ana] = await joined(url, roomId, 'ana');
    const [eve] = await joined(url, roomId, 'eve');
    const [bob] = await joined(url, roomId, 'bob');
    const { call } = await startCall(ana, roomId, []);
    await chat.mute(roomId, 'eve');
    expect(await request(eve, 'call:join', { callId: call.id })).toMatchObject({ ok: false, error: { code: 'MUTED' } });
    // In the call before the mute: its signals stop going anywhere.
    await joinCall(bob, call.id);
    await chat.mute(roomId, 'bob');
    await waitFor(async () =>
      expect(await request(bob, 'call:signal', { callId: call.id, to: 'ana', data: offer() })).toMatchObject({
        ok: false,
        error: { code: 'MUTED' },
      }),
    );
    await chat.unmute(roomId, 'eve');
    await chat.updateRoom(roomId, { options: { frozen: true } });
    await waitFor(async () =>
      expect(await request(eve, 'call:join', { callId: call.id })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN', message: 'This room is frozen: calls cannot be started or joined now.' },
      }),
    );
    // The owner still speaks in a frozen room.
    expect(okData(await request(ana, 'call:signal', { callId: call.id, to: 'bob', data: candidate() }))).toEqual({});
  });

  it('finding: starting a call (a line in the history) is refused to muted users, in frozen rooms, and past the message budget', async () => {
    const { url, chat } = await chatWithCalls({ limits: { messageBurst: 3, messagesPerSecond: 0.001 } });
    const roomId = fresh('team');
    const [owner] = await joined(url, roomId, 'owner');
    const [eve] = await joined(url, roomId, 'eve');
    const lines: string[] = [];
    owner.on('message', (m) => lines.push(m.text));
    await chat.mute(roomId, 'eve');
    expect(await request(eve, 'call:start', { roomId, kind: 'audio' })).toMatchObject({ ok: false, error: { code: 'MUTED' } });
    await chat.unmute(roomId, 'eve');
    await chat.updateRoom(roomId, { options: { frozen: true } });
    await waitFor(async () =>
      expect(await request(eve, 'call:start', { roomId, kind: 'audio' })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN', message: 'This room is frozen: calls cannot be started or joined now.' },
      }),
    );
    await chat.updateRoom(roomId, { options: { frozen: false } });
    // Each start and hang-up writes a line: a start costs a message of the user's budget.
    const answers: string[] = [];
    for (let i = 0; i < 4; i++) {
      const started = await request(eve, 'call:start', { roomId, kind: 'audio' });
      answers.push(started.ok ? 'ok' : started.error.code);
      if (started.ok) okData(await request(eve, 'call:leave', { callId: started.data.call.id }));
    }
    expect(answers).toEqual(['ok', 'ok', 'ok', 'RATE_LIMITED']);
    expect(await send(eve, roomId, 'and now a message')).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(lines.filter((t) => t.includes('started'))).toHaveLength(3);
  });

  it('signals go only between participants of one call, from the server-set `from`, within the SDP limit', async () => {
    const { url } = await chatWithCalls();
    const roomId = fresh('team');
    const [ana] = await joined(url, roomId, 'ana');
    const [ben] = await joined(url, roomId, 'ben');
    const [eve] = await joined(url, roomId, 'eve');
    const outsider = await socketOf(url, 'mallory');
    const { call } = await startCall(ana, roomId, ['ben']);
    await joinCall(ben, call.id);
    const benLog = record(ben);
    // Not in the call (a member of the room, or not even that): refused, nothing delivered.
    for (const s of [eve, outsider]) {
      expect(await request(s, 'call:signal', { callId: call.id, to: 'ben', data: offer() })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
    // `from` in the payload is not taken: the server says who sent it.
    okData(await request(ana, 'call:signal', { callId: call.id, to: 'ben', data: offer(), from: 'eve' } as never));
    await waitFor(() => expect(benLog.signals).toEqual([{ callId: call.id, from: 'ana', data: offer() }]));
    // To someone not in the call (a room member): refused.
    expect(await request(ana, 'call:signal', { callId: call.id, to: 'eve', data: candidate() })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    // An SDP past the limit is refused before anything is read.
    const huge = { description: { type: 'offer' as const, sdp: 'v'.repeat(40_000) } };
    const tooBig = await request(ana, 'call:signal', { callId: call.id, to: 'ben', data: huge });
    expect(tooBig).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('SDP') } });
  });

  it('signal floods are cut by the signal budget', async () => {
    const { url } = await chatWithCalls({ limits: { signalBurst: 5, signalsPerSecond: 0.001 } });
    const roomId = fresh('team');
    const [ana] = await joined(url, roomId, 'ana');
    const [ben] = await joined(url, roomId, 'ben');
    const { call } = await startCall(ana, roomId, ['ben']);
    await joinCall(ben, call.id);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => request(ana, 'call:signal', { callId: call.id, to: 'ben', data: candidate(i + 1) })),
    );
    expect(answers.filter((a) => a.ok)).toHaveLength(5);
    expect(answers.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED')).toHaveLength(7);
  });

  it('ringing someone who is not in the room says the same whether they exist elsewhere or not (no leak of other rooms)', async () => {
    const { url } = await chatWithCalls();
    const roomId = fresh('team');
    const [ana] = await joined(url, roomId, 'ana');
    const secret = fresh('secret');
    const [carol] = await joined(url, secret, 'carol'); // in another room
    const elsewhere = await request(ana, 'call:start', { roomId, kind: 'audio', invite: ['carol'] });
    const nobody = await request(ana, 'call:start', { roomId, kind: 'audio', invite: ['nobody-at-all'] });
    expect(elsewhere).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('"carol" is not here') } });
    expect(nobody).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('"nobody-at-all" is not here') },
    });
    // A call of another room, its id known: joining, declining, leaving it is refused, and nothing changes.
    const { call } = await startCall(carol, secret);
    for (const event of ['call:join', 'call:decline', 'call:leave'] as const) {
      expect(await request(ana, event, { callId: call.id })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    }
    const [carolAgain] = await joined(url, secret, 'dan');
    expect((await request(carolAgain, 'room:join', { roomId: secret })).ok).toBe(true);
    const seen = okData(await request(carolAgain, 'room:join', { roomId: secret })).calls;
    expect(seen.map((c) => [c.id, c.version])).toEqual([[call.id, 1]]);
  });
});

describe('moderation', () => {
  it('ranks hold: no self-promotion, no owner made by a moderator, no owner demoted by an owner, no online admin banned', async () => {
    const { url, chat, rest } = await moderationChat();
    const roomId = fresh('town');
    const [owner] = await joined(url, roomId, 'owner');
    const [mod] = await joined(url, roomId, 'mod');
    await joined(url, roomId, 'co');
    await joined(url, roomId, 'ana');
    await joined(url, roomId, 'root', ['admin']);
    await chat.setRole(roomId, 'mod', 'moderator');
    await chat.setRole(roomId, 'co', 'owner');
    const refused = (r: { ok: boolean }) => expect(r).toMatchObject({ ok: false });
    refused(await request(mod, 'moderation:role', { roomId, userId: 'mod', role: 'owner' }));
    refused(await request(mod, 'moderation:role', { roomId, userId: 'ana', role: 'owner' }));
    refused(await request(mod, 'moderation:role', { roomId, userId: 'ana', role: 'moderator' }));
    refused(await request(mod, 'moderation:ban', { roomId, userId: 'owner' }));
    refused(await request(mod, 'moderation:role', { roomId, userId: 'owner', role: 'member' }));
    refused(await request(mod, 'moderation:mute', { roomId, userId: 'co' }));
    refused(await request(mod, 'moderation:ban', { roomId, userId: 'root' }));
    refused(await request(owner, 'moderation:role', { roomId, userId: 'co', role: 'member' }));
    refused(await request(owner, 'moderation:ban', { roomId, userId: 'co' }));
    refused(await request(owner, 'moderation:kick', { roomId, userId: 'root' }));
    // A member over REST: every route refused with FORBIDDEN, nothing changed.
    for (const action of ['kick', 'ban', 'mute', 'unban', 'unmute']) {
      const answer = await rest({ id: 'ana' }, 'POST', `/rooms/${roomId}/moderation/${action}`, { userId: 'mod' });
      expect(answer).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    }
    expect(await rest({ id: 'ana' }, 'POST', `/rooms/${roomId}/moderation/role`, { userId: 'ana', role: 'owner' })).toMatchObject({
      status: 400,
    });
    expect(await rest({ id: 'ana' }, 'POST', `/rooms/${roomId}/moderation/room`, { frozen: true })).toMatchObject({ status: 403 });
    expect(await rest({ id: 'ana' }, 'GET', `/rooms/${roomId}/audit`)).toMatchObject({ status: 403 });
    expect((await chat.auditLog(roomId)).entries.map((e) => e.actor.id)).toEqual(['server', 'server']);
  });

  it('finding: a send in flight when its sender is kicked is refused, not posted after the kick', async () => {
    let gate: (() => void) | undefined;
    let entered: (() => void) | undefined;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const { url, chat } = await moderationChat({
      // Holds Eve's send between its room check and the store, as a slow check would.
      authorize: async (action, ctx) => {
        if (action === 'message:send' && ctx.user.id === 'eve' && gate === undefined) {
          await new Promise<void>((resolve) => {
            gate = resolve;
            entered?.();
          });
        }
        return true;
      },
    });
    const roomId = fresh('town');
    const [ana] = await joined(url, roomId, 'ana');
    const [eve] = await joined(url, roomId, 'eve');
    const [bob] = await joined(url, roomId, 'bob');
    const texts: string[] = [];
    bob.on('message', (m) => texts.push(m.text));
    const sending = send(eve, roomId, 'after the kick');
    await inside;
    const removed = nextEvent(eve, 'room:removed');
    await chat.kick(roomId, 'eve');
    await removed;
    gate?.();
    expect(await sending).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    okData(await send(ana, roomId, 'next'));
    await waitFor(() => expect(texts).toContain('next'));
    expect(texts).not.toContain('after the kick');
  });

  it('a banned guest who comes back under another name (same guestKey) is still banned', async () => {
    const { url, chat } = await startChat();
    const roomId = fresh('town');
    const guestKey = `key-${randomUUID()}`;
    const first = await rawSocket(url, { name: 'Troll', guestKey });
    const joinedAs = okData(await request(first, 'room:join', { roomId }));
    await chat.ban(roomId, joinedAs.self.id);
    const again = await rawSocket(url, { name: 'Nice Person', guestKey });
    expect(await request(again, 'room:join', { roomId })).toMatchObject({ ok: false, error: { code: 'BANNED' } });
  });

  it('a muted user can neither react, type, edit nor send; a frozen room refuses members', async () => {
    const { url, chat } = await moderationChat();
    const roomId = fresh('town');
    const [ana] = await joined(url, roomId, 'ana');
    const [eve] = await joined(url, roomId, 'eve');
    const own = await sent(eve, roomId, 'before');
    const hers = await sent(ana, roomId, 'hello');
    await chat.mute(roomId, 'eve', { until: inMs(60_000) });
    const muted = { ok: false, error: { code: 'MUTED' } };
    expect(await request(eve, 'reaction:add', { roomId, messageId: hers.id, emoji: '👍' })).toMatchObject(muted);
    expect(await request(eve, 'typing', { roomId, typing: true })).toMatchObject(muted);
    expect(await request(eve, 'message:edit', { roomId, messageId: own.id, text: 'changed' })).toMatchObject(muted);
    expect(await send(eve, roomId, 'x')).toMatchObject(muted);
    await chat.unmute(roomId, 'eve');
    await chat.updateRoom(roomId, { options: { frozen: true } });
    const frozen = { ok: false, error: { code: 'FORBIDDEN' } };
    await waitFor(async () => expect(await send(eve, roomId, 'x')).toMatchObject(frozen));
    expect(await request(eve, 'message:edit', { roomId, messageId: own.id, text: 'changed' })).toMatchObject(frozen);
    expect(await request(eve, 'reaction:add', { roomId, messageId: hers.id, emoji: '👍' })).toMatchObject(frozen);
  });
});

// Two processes over one PostgreSQL schema, on one Redis and on a Redis Cluster.
eachRedis('across processes', (redis, schema) => {
  describe('moderation across processes', () => {
    it('slow mode holds for one user over two sockets on two processes', async () => {
      const [a, b] = await startClusterChats(2, { authenticate: passThrough }, redis(), () => new PostgresStore({ pool: schema.pool() }));
      if (!a || !b) throw new Error('two servers');
      const roomId = fresh('slow');
      await joined(a.url, roomId, 'host'); // the creator: owner, exempt from slow mode
      const [onA] = await joined(a.url, roomId, 'eve');
      const [onB] = await joined(b.url, roomId, 'eve');
      await a.chat.updateRoom(roomId, { options: { slowModeMs: 60_000 } });
      await waitFor(async () => {
        const room = await b.chat.getRoom(roomId);
        expect(room?.options.slowModeMs).toBe(60_000);
      });
      const answers = await Promise.all([send(onA, roomId, 'one'), send(onB, roomId, 'two'), send(onA, roomId, 'three')]);
      expect(answers.filter((r) => r.ok)).toHaveLength(1);
      expect(answers.filter((r) => !r.ok && r.error.code === 'RATE_LIMITED')).toHaveLength(2);
    });
  });

  describe('calls across processes', () => {
    it('finding: a ban on one process hangs up the banned user’s call socket on the other, and keeps them out of the call', async () => {
      const [a, b] = await startClusterChats(
        2,
        { authenticate: passThrough, calls: {} },
        redis(),
        () => new PostgresStore({ pool: schema.pool() }),
      );
      if (!a || !b) throw new Error('two servers');
      const roomId = fresh('team');
      const [ana] = await joined(a.url, roomId, 'ana');
      const [bob] = await joined(b.url, roomId, 'bob');
      await joined(b.url, roomId, 'eve');
      const eveLaptop = await socketOf(b.url, 'eve'); // rung there, never joined the room
      const eveTablet = await socketOf(a.url, 'eve');
      const { call } = await startCall(ana, roomId, ['eve', 'bob']);
      await joinCall(bob, call.id);
      await joinCall(eveLaptop, call.id);
      const anaLog = record(ana);
      await a.chat.ban(roomId, 'eve');
      await waitFor(() => expect(anaLog.latest(call.id)?.participants.map((u) => u.id)).toEqual(['ana', 'bob']));
      for (const s of [eveLaptop, eveTablet]) {
        expect(await request(s, 'call:join', { callId: call.id })).toMatchObject({ ok: false, error: { code: 'BANNED' } });
      }
    });
  });
});

describe('bots', () => {
  it('a socket cannot be a bot: bot: true in the handshake or a message is ignored', async () => {
    const { url } = await moderationChat({ authenticate: (h) => ({ ...passThrough(h), ...(h.auth as object) }) });
    const roomId = fresh('lobby');
    const faker = await rawSocket(url, { id: 'faker', name: 'Faker', bot: true });
    const joinedAs = okData(await request(faker, 'room:join', { roomId }));
    expect(joinedAs.self.bot).toBeUndefined();
    const message = okData(
      await request(faker, 'message:send', { roomId, clientId: 'c1', text: 'hi', user: { id: 'helper', name: 'H', bot: true } } as never),
    ).message;
    expect(message.user).toEqual({ id: 'faker', name: 'Faker' });
  });

  it('finding: a person whose id is a bot’s cannot edit or delete the bot’s messages', async () => {
    const { url, chat, rest } = await moderationChat();
    const roomId = fresh('lobby');
    await chat.createRoom({ id: roomId });
    const bot = chat.bot({ id: 'helper', name: 'Helper' });
    await bot.join(roomId);
    const said = await bot.send(roomId, 'The meeting is at 10.');
    // Over REST (no join needed, so the join check that keeps a person from the bot's id never runs).
    const edit = await rest({ id: 'helper' }, 'PATCH', `/rooms/${roomId}/messages/${said.id}`, { text: 'The meeting is cancelled.' });
    expect(edit).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    const del = await rest({ id: 'helper' }, 'DELETE', `/rooms/${roomId}/messages/${said.id}`);
    expect(del).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect((await chat.store.getMessage(roomId, said.id))?.text).toBe('The meeting is at 10.');
    // The bot itself still edits its own message.
    expect((await bot.edit(said, 'The meeting is at 10:30.')).text).toBe('The meeting is at 10:30.');
    // Once the bot left, a person with its id may join; the bot's messages are still not theirs.
    await bot.leave(roomId);
    // (Under another name: the bot's name stays the bot's while it lives.)
    const person = await rawSocket(url, { id: 'helper', name: 'Henry' });
    okData(await request(person, 'room:join', { roomId }));
    expect(await request(person, 'message:edit', { roomId, messageId: said.id, text: 'Gone.' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await request(person, 'message:delete', { roomId, messageId: said.id })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});

describe('commands', () => {
  it('command:run needs the room joined, bounded args, and hides what a failing handler says', async () => {
    const { url, chat } = await moderationChat({ requestTimeoutMs: 300 });
    const reported: unknown[] = [];
    chat.on('error', (e) => reported.push(e));
    chat.command({
      name: 'boom',
      description: 'fails',
      handler: () => {
        throw new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2');
      },
    });
    chat.command({ name: 'hang', description: 'never answers', handler: () => new Promise(() => undefined) });
    chat.command({
      name: 'nope',
      description: 'refuses',
      handler: () => {
        throw new ChatError('FORBIDDEN', 'Only hosts can do that.');
      },
    });
    const roomId = fresh('room');
    const outsider = await socketOf(url, 'out');
    expect(await request(outsider, 'command:run', { roomId, name: 'boom', args: '' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_IN_ROOM' },
    });
    const [ana] = await joined(url, roomId, 'ana');
    const huge = await request(ana, 'command:run', { roomId, name: 'boom', args: 'x'.repeat(20_000) });
    expect(huge).toMatchObject({ ok: false });
    expect(huge.ok === false && ['VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE'].includes(huge.error.code)).toBe(true);
    const boom = await request(ana, 'command:run', { roomId, name: 'boom', args: '' });
    expect(boom).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: 'The command /boom failed.' } });
    expect(JSON.stringify(boom)).not.toMatch(/ECONNREFUSED|hunter2|10\.0\.0\.5/u);
    expect(await request(ana, 'command:run', { roomId, name: 'nope', args: '' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Only hosts can do that.' },
    });
    expect(await request(ana, 'command:run', { roomId, name: 'hang', args: '' })).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    // The socket still works afterwards.
    expect(await request(ana, 'command:run', { roomId, name: 'help', args: '' })).toMatchObject({ ok: true });
    expect(reported.length).toBeGreaterThan(0);
  });
});

describe('client features', () => {
  it('malformed auth.features refuse the handshake with a sentence; unknown names are ignored', async () => {
    const { url } = await moderationChat();
    for (const features of ['messages', [1], [''], Array.from({ length: 100 }, (_, i) => `f${i}`), ['x'.repeat(1000)], { 0: 'messages' }]) {
      await expect(rawSocket(url, { id: 'ana', name: 'Ana', features })).rejects.toMatchObject({
        message: expect.stringMatching(/auth\.features/u),
      });
    }
    const fine = await rawSocket(url, { id: 'ana', name: 'Ana', features: ['from-the-future', ClientFeature.MESSAGES] });
    expect(fine.connected).toBe(true);
  });
});
