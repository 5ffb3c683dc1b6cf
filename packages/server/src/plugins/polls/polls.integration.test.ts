// The polls() plugin on real chat servers: a poll posted and voted on, a vote changed and taken
// back, `myVotes` on each device of the voter, anonymous polls naming no voter anywhere, closing by
// its creator, a moderator or its time, a vote storm coalesced into few frames with exact counts,
// bad input, a voter's data; on both stores and on two processes.
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Message, Poll, PollsJoin, PollsUpdated } from '@chat/protocol';
import { expectStoredNowhere } from '../../../../../test-support/stored-nowhere.js';
import { waitFor } from '../../../../../test-support/wait.js';
import type { RawSocket } from '../../../../../test-support/servers.js';
import {
  byHandshake,
  clusterSuite,
  connect,
  eachStore,
  fresh,
  join,
  rowOf,
  startWithRest,
} from '../../capabilities/conversations/conversation-fixtures.js';
import type { ChatServer } from '../../chat-server.js';
import { ask, data, on } from '../plugin-socket-fixtures.js';
import { polls } from './index.js';

const clientId = () => randomBytes(8).toString('hex');
async function create(socket: RawSocket, roomId: string, extra: Record<string, unknown> = {}): Promise<Message> {
  const payload = { roomId, clientId: clientId(), question: 'Lunch?', options: ['Pizza', 'Sushi', 'Tacos'], ...extra };
  return data<{ message: Message }>(await ask(socket, 'poll:create', payload)).message;
}
const vote = (socket: RawSocket, roomId: string, messageId: string, optionIds: unknown) =>
  ask(socket, 'poll:vote', { roomId, messageId, optionIds });
const close = (socket: RawSocket, roomId: string, messageId: string) => ask(socket, 'poll:close', { roomId, messageId });
const counts = (poll: Poll | undefined) => poll?.options.map((o) => o.votes);

/** Every `message:updated` of one message a socket receives, and the latest poll. */
function watch(socket: RawSocket, messageId: () => string) {
  const frames: Message[] = [];
  on<Message>(socket, 'message:updated', (m) => {
    if (m.id === messageId()) frames.push(m);
  });
  return { frames, latest: () => frames.at(-1)?.poll };
}
/** A socket's choices in each poll, from the latest `polls:updated` (the whole map, as a join answer has it). */
function myVotesOf(socket: RawSocket) {
  const seen: PollsUpdated[] = [];
  on<PollsUpdated>(socket, 'polls:updated', (e) => seen.push(e));
  // A poll the map leaves out has none of the user's votes.
  return (messageId: string) => {
    const last = seen.at(-1);
    return last && (last.myVotes[messageId] ?? []);
  };
}
const joinVotes = (joined: { plugins?: Record<string, unknown> }) => (joined.plugins?.polls as PollsJoin | undefined)?.myVotes;
async function exported(chat: ChatServer, userId: string): Promise<{ plugins?: { polls?: unknown } } & Record<string, unknown>> {
  let text = '';
  for await (const chunk of chat.exportUser(userId)) text += chunk;
  return JSON.parse(text) as { plugins?: { polls?: unknown } };
}

eachStore('polls', (store) => {
  it('a poll reaches the room with its message; votes count, change and are taken back; myVotes on each device of the voter', async () => {
    const { url } = await startWithRest({ store: store(), plugins: [polls()] });
    const room = fresh('room');
    const [anaId, benId] = [fresh('ana'), fresh('ben')];
    const [ana, phone, laptop] = await Promise.all([connect(url, anaId), connect(url, benId), connect(url, benId)]);
    for (const socket of [ana, phone, laptop]) await join(socket, room);
    let id = '';
    const toAna = watch(ana, () => id);
    const onLaptop = myVotesOf(laptop);
    const arrived = new Promise<Message>((resolve) => on<Message>(phone, 'message', resolve));
    const sent = await create(ana, room);
    id = sent.id;
    expect(sent).toMatchObject({
      text: 'Lunch?',
      poll: { question: 'Lunch?', multiple: false, anonymous: false, closed: false, myVotes: [] },
    });
    expect((await arrived).poll?.options).toEqual([
      { id: '0', text: 'Pizza', votes: 0, voterIds: [] },
      { id: '1', text: 'Sushi', votes: 0, voterIds: [] },
      { id: '2', text: 'Tacos', votes: 0, voterIds: [] },
    ]);

    expect(data(await vote(phone, room, id, ['1']))).toEqual({ roomId: room, messageId: id, myVotes: ['1'] });
    await waitFor(() => expect(onLaptop(id)).toEqual(['1']));
    await waitFor(() => expect(counts(toAna.latest())).toEqual([0, 1, 0]));
    expect(toAna.latest()?.options[1]?.voterIds).toEqual([benId]);
    // The room's copy names no one's own choices.
    expect(toAna.frames.every((m) => m.poll?.myVotes.length === 0)).toBe(true);

    expect(data(await vote(laptop, room, id, ['2']))).toMatchObject({ myVotes: ['2'] });
    await waitFor(() => expect(counts(toAna.latest())).toEqual([0, 0, 1]));
    expect(joinVotes(await join(await connect(url, benId), room))).toEqual({ [id]: ['2'] });
    expect(joinVotes(await join(await connect(url, anaId), room))).toEqual({});

    expect(data(await vote(phone, room, id, []))).toMatchObject({ myVotes: [] });
    await waitFor(() => expect(counts(toAna.latest())).toEqual([0, 0, 0]));
    await waitFor(() => expect(onLaptop(id)).toEqual([]));
    const later = await join(await connect(url, fresh('eva')), room);
    expect(later.messages.find((m) => m.id === id)?.poll).toMatchObject({ closed: false, myVotes: [] });
  });

  it('a poll keeps its poll in the parent sent with a thread reply, and in the conversations’ last message', async () => {
    const { url } = await startWithRest({ store: store(), plugins: [polls()] });
    const room = fresh('room');
    const [ana, ben] = await Promise.all([connect(url, fresh('ana')), connect(url, fresh('ben'))]);
    await join(ana, room);
    await join(ben, room);
    const poll = await create(ana, room);
    const toBen = watch(ben, () => poll.id);
    expect(await vote(ben, room, poll.id, [poll.poll?.options[1]?.id])).toMatchObject({ ok: true });
    await waitFor(() => expect(counts(toBen.latest())).toEqual([0, 1, 0]));
    expect((await rowOf(ben, room))?.lastMessage?.poll?.options.map((o) => o.votes)).toEqual([0, 1, 0]);
    const reply = { roomId: room, clientId: clientId(), text: 'Sushi, of course', threadOf: poll.id };
    expect(await ask(ana, 'message:send', reply)).toMatchObject({ ok: true });
    // The parent's update for its new reply count is the whole message: its poll too.
    await waitFor(() => expect(toBen.frames.at(-1)?.thread?.replyCount).toBe(1));
    expect(counts(toBen.latest())).toEqual([0, 1, 0]);
  });

  it('a multiple-choice poll takes several options; a single-choice one refuses two', async () => {
    const { url } = await startWithRest({ store: store(), plugins: [polls()] });
    const room = fresh('room');
    const [ana, ben] = await Promise.all([connect(url, fresh('ana')), connect(url, fresh('ben'))]);
    await join(ana, room);
    await join(ben, room);
    const many = await create(ana, room, { multiple: true });
    let id = many.id;
    const toAna = watch(ana, () => id);
    expect(data(await vote(ben, room, id, ['0', '2']))).toMatchObject({ myVotes: ['0', '2'] });
    expect(data(await vote(ana, room, id, ['2']))).toMatchObject({ myVotes: ['2'] });
    await waitFor(() => expect(counts(toAna.latest())).toEqual([1, 0, 2]));
    const one = await create(ana, room);
    id = one.id;
    expect(await vote(ben, room, id, ['0', '1'])).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/optionIds: this poll takes one option/u) },
    });
  });

  it('an anonymous poll names no voter: not in frames, history, a moderator’s join or another person’s export; the voter’s export has it', async () => {
    const { url, chat } = await startWithRest({ store: store(), plugins: [polls()] });
    const room = fresh('room');
    const [modId, voterId] = [fresh('mod'), fresh('voter')];
    const [mod, voter] = await Promise.all([connect(url, modId), connect(url, voterId)]);
    await join(mod, room);
    await join(voter, room);
    await chat.setRole(room, modId, 'moderator');
    let id = '';
    const toMod = watch(mod, () => id);
    const sent = await create(mod, room, { anonymous: true });
    id = sent.id;
    expect(sent.poll?.options.every((o) => o.voterIds === undefined)).toBe(true);
    await vote(voter, room, id, ['0']);
    await waitFor(() => expect(counts(toMod.latest())).toEqual([1, 0, 0]));

    // What a moderator reads of the poll: its frames, its message in a join, the join's own votes, their export.
    const joined = await join(await connect(url, modId), room);
    const modExport = await exported(chat, modId);
    const read = [toMod.frames, joined.messages.find((m) => m.id === id), joined.plugins?.polls, modExport];
    for (const seen of read) expect(JSON.stringify(seen)).not.toContain(voterId);
    expect((await exported(chat, voterId)).plugins?.polls).toMatchObject([
      { roomId: room, messageId: id, userId: voterId, optionIds: ['0'] },
    ]);
    expect(modExport.plugins?.polls).toEqual([]);
  });

  it('its creator or a moderator closes a poll, a member may not; a vote after close is POLL_CLOSED', async () => {
    const { url, chat } = await startWithRest({ store: store(), plugins: [polls()] });
    const room = fresh('room');
    const [anaId, benId, modId] = [fresh('ana'), fresh('ben'), fresh('mod')];
    const [ana, ben, mod] = await Promise.all([connect(url, anaId), connect(url, benId), connect(url, modId)]);
    for (const socket of [ana, ben, mod]) await join(socket, room);
    await chat.setRole(room, modId, 'moderator');
    const first = await create(ana, room);
    await vote(ben, room, first.id, ['1']);
    expect(await close(ben, room, first.id)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringMatching(/creator and the room’s owners and moderators/u) },
    });
    const closed = data<{ message: Message }>(await close(ana, room, first.id)).message;
    expect(closed.poll).toMatchObject({ closed: true });
    expect(counts(closed.poll)).toEqual([0, 1, 0]);
    expect(await vote(ben, room, first.id, ['0'])).toMatchObject({
      ok: false,
      error: { code: 'POLL_CLOSED', message: 'This poll is closed: it takes no more votes.' },
    });

    const second = await create(ana, room);
    expect(data<{ message: Message }>(await close(mod, room, second.id)).message.poll?.closed).toBe(true);
    // Closing again changes nothing.
    expect(await close(mod, room, second.id)).toMatchObject({ ok: true });
  });

  it('a poll closes by itself at closesAt: the room hears it and votes are refused', async () => {
    const { url } = await startWithRest({ store: store(), plugins: [polls()] });
    const room = fresh('room');
    const [ana, ben] = await Promise.all([connect(url, fresh('ana')), connect(url, fresh('ben'))]);
    await join(ana, room);
    await join(ben, room);
    let id = '';
    const toBen = watch(ben, () => id);
    id = (await create(ana, room, { closesAt: new Date(Date.now() + 1500).toISOString() })).id;
    await waitFor(() => expect(toBen.latest()?.closed).toBe(true));
    expect(await vote(ben, room, id, ['0'])).toMatchObject({ ok: false, error: { code: 'POLL_CLOSED' } });
  });

  it('a storm of 200 votes from 50 voters comes as few message:updated frames, the last with exact counts', async () => {
    const { url } = await startWithRest({ store: store(), plugins: [polls()] });
    const room = fresh('room');
    const watcher = await connect(url, fresh('watcher'));
    await join(watcher, room);
    const voters = await Promise.all(Array.from({ length: 50 }, () => connect(url, fresh('voter'))));
    await Promise.all(voters.map((socket) => join(socket, room)));
    let id = '';
    const seen = watch(watcher, () => id);
    id = (await create(watcher, room, { anonymous: true })).id;
    // Each voter votes four times, changing its vote; its last choice is its index modulo 3.
    await Promise.all(
      voters.map(async (socket, i) => {
        for (const choice of [(i + 1) % 3, (i + 2) % 3, i % 3, i % 3])
          expect(await vote(socket, room, id, [String(choice)])).toMatchObject({ ok: true });
      }),
    );
    await waitFor(() => expect(counts(seen.latest())).toEqual([17, 17, 16]));
    expect(seen.frames.length).toBeLessThan(50);
  });

  it('refuses bad input naming the field, polls in encrypted rooms, and a poll of another room', async () => {
    const { url, chat } = await startWithRest({ store: store(), plugins: [polls()] });
    const [room, elsewhere] = [fresh('room'), fresh('elsewhere')];
    const ana = await connect(url, fresh('ana'));
    await join(ana, room);
    await join(ana, elsewhere);
    const base = { roomId: room, clientId: 'c1', question: 'Q?', options: ['a', 'b'] };
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ options: ['only'] }, /options: options must have at least 2/u],
      [{ options: Array.from({ length: 11 }, (_, i) => `o${i}`) }, /options: options must have at most 10/u],
      [{ question: '  ' }, /question: question must not be empty/u],
      [{ question: 'x'.repeat(301) }, /question: question must be at most 300/u],
      [{ options: ['a', ''] }, /options\.1: options must not be empty/u],
      [{ options: ['a', 'y'.repeat(101)] }, /options\.1: options must be at most 100/u],
      [{ closesAt: new Date(Date.now() - 60_000).toISOString() }, /closesAt: closesAt must be in the future/u],
      [{ closesAt: 'tomorrow' }, /closesAt: closesAt must be an ISO 8601 time/u],
      [{ multiple: 'yes' }, /multiple/u],
    ];
    for (const [bad, message] of cases) {
      expect(await ask(ana, 'poll:create', { ...base, ...bad })).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED', message },
      });
    }
    const poll = await create(ana, room);
    expect(await vote(ana, room, poll.id, ['7'])).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/optionIds: "7" is not an option/u) },
    });
    expect(await vote(ana, room, poll.id, 'all')).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/optionIds/u) },
    });
    expect(await vote(ana, room, poll.id, ['0', '0'])).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await vote(ana, elsewhere, poll.id, ['0'])).toMatchObject({ ok: false, error: { code: 'MESSAGE_NOT_FOUND' } });
    expect(await close(ana, room, 'no-such-poll')).toMatchObject({ ok: false, error: { code: 'MESSAGE_NOT_FOUND' } });
    // People vote on a poll's question: its message's text is not edited, by its creator or the host.
    const edit = await ask(ana, 'message:edit', { roomId: room, messageId: poll.id, text: 'Another question?' });
    expect(edit).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/A poll cannot be edited/u) },
    });
    await expect(chat.editMessage(room, poll.id, 'Another question?')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });

    const secret = fresh('secret');
    await chat.createRoom({ id: secret, options: { encrypted: true } });
    await join(ana, secret);
    expect(await ask(ana, 'poll:create', { ...base, roomId: secret })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/not available in end-to-end encrypted rooms/u) },
    });
  });

  it('authorize decides who creates ("poll"); a resend with the same clientId answers the same poll', async () => {
    const allowed = fresh('ana');
    const { url } = await startWithRest({
      store: store(),
      plugins: [polls()],
      authorize: (action, ctx) => action !== 'poll' || ctx.user.id === allowed,
    });
    const room = fresh('room');
    const [ana, luis] = await Promise.all([connect(url, allowed), connect(url, fresh('luis'))]);
    await join(ana, room);
    await join(luis, room);
    const payload = { roomId: room, clientId: 'same', question: 'Q?', options: ['a', 'b'] };
    const first = data<{ message: Message }>(await ask(ana, 'poll:create', payload)).message;
    expect(data<{ message: Message }>(await ask(ana, 'poll:create', payload)).message.id).toBe(first.id);
    expect(await ask(luis, 'poll:create', { ...payload, clientId: 'other' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('erasing its creator leaves nothing of a poll stored: not its question, not its options', async () => {
    const { url, chat } = await startWithRest({ store: store(), plugins: [polls()] });
    const room = fresh('room');
    const [anaId, benId] = [fresh('ana'), fresh('ben')];
    const [ana, ben] = await Promise.all([connect(url, anaId), connect(url, benId)]);
    await join(ana, room);
    await join(ben, room);
    const marker = fresh('words');
    const poll = await create(ben, room, { question: `Pizza or ${marker}?`, options: ['Pizza', `${marker} bowl`] });
    expect(await vote(ana, room, poll.id, [poll.poll?.options[1]?.id])).toMatchObject({ ok: true });
    await chat.eraseUser(benId);
    await expectStoredNowhere(chat, marker, [benId], { found: poll.id });
  });

  it('erasing a voter takes their votes out of the counts; a deleted poll takes no votes', async () => {
    const { url, chat } = await startWithRest({ store: store(), plugins: [polls()] });
    const room = fresh('room');
    const [anaId, benId] = [fresh('ana'), fresh('ben')];
    const [ana, ben] = await Promise.all([connect(url, anaId), connect(url, benId)]);
    await join(ana, room);
    await join(ben, room);
    let id = '';
    const toAna = watch(ana, () => id);
    id = (await create(ana, room)).id;
    await vote(ana, room, id, ['0']);
    await vote(ben, room, id, ['0']);
    await waitFor(() => expect(counts(toAna.latest())).toEqual([2, 0, 0]));
    expect((await exported(chat, benId)).plugins?.polls).toHaveLength(1);
    await chat.eraseUser(benId);
    await waitFor(() => expect(counts(toAna.latest())).toEqual([1, 0, 0]));
    expect(toAna.latest()?.options[0]?.voterIds).toEqual([anaId]);
    expect((await exported(chat, benId)).plugins?.polls).toEqual([]);

    expect(await ask(ana, 'message:delete', { roomId: room, messageId: id })).toMatchObject({ ok: true });
    await waitFor(async () => expect(await vote(ana, room, id, ['1'])).toMatchObject({ ok: false, error: { code: 'MESSAGE_NOT_FOUND' } }));
  });
});

clusterSuite('polls', (twoProcesses) => {
  it('votes on both processes count exactly on each; the voter’s devices on both get myVotes; a close on one refuses votes on the other', async () => {
    const [one, two] = await twoProcesses({ authenticate: byHandshake, plugins: [polls()] });
    const room = fresh('room');
    const [anaId, benId] = [fresh('ana'), fresh('ben')];
    const [ana, benOne, benTwo] = await Promise.all([connect(one.url, anaId), connect(one.url, benId), connect(two.url, benId)]);
    for (const socket of [ana, benOne, benTwo]) await join(socket, room);
    const voters = await Promise.all(Array.from({ length: 20 }, (_, i) => connect((i % 2 === 0 ? one : two).url, fresh('voter'))));
    await Promise.all(voters.map((socket) => join(socket, room)));
    let id = '';
    const onOne = watch(ana, () => id);
    const onTwo = watch(benTwo, () => id);
    const benTwoVotes = myVotesOf(benTwo);
    id = (await create(ana, room, { multiple: true })).id;

    expect(data(await vote(benOne, room, id, ['0', '1']))).toMatchObject({ myVotes: ['0', '1'] });
    await waitFor(() => expect(benTwoVotes(id)).toEqual(['0', '1']));
    await Promise.all(voters.map(async (socket, i) => expect(await vote(socket, room, id, [String(i % 3)])).toMatchObject({ ok: true })));
    for (const seen of [onOne, onTwo]) await waitFor(() => expect(counts(seen.latest())).toEqual([8, 8, 6]));

    expect(data<{ message: Message }>(await close(ana, room, id)).message.poll?.closed).toBe(true);
    expect(await vote(benTwo, room, id, ['2'])).toMatchObject({ ok: false, error: { code: 'POLL_CLOSED' } });
    await waitFor(() => expect(onTwo.latest()?.closed).toBe(true));
  });
});
