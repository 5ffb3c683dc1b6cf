// The questions() plugin on real chat servers: a question asked and upvoted once per person, an
// upvote taken back, `myUpvotes` on each device of the upvoter, lists by upvotes and newest,
// answering and hiding by moderators only, an upvote storm coalesced into few frames with exact
// counts, bad input, a person's data; on both stores and on two processes.
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Message, Question, QuestionsJoin, QuestionsUpdated } from '@chat/protocol';
import { waitFor } from '../../../../../test-support/wait.js';
import type { RawSocket } from '../../../../../test-support/servers.js';
import {
  byHandshake,
  clusterSuite,
  connect,
  eachStore,
  fresh,
  join,
  say,
  startWithRest,
} from '../../capabilities/conversations/conversation-fixtures.js';
import type { ChatServer } from '../../chat-server.js';
import type { ChatStore } from '../../core/chat-store.js';
import { ask, data, on } from '../plugin-socket-fixtures.js';
import { questions } from './index.js';

async function askQuestion(socket: RawSocket, roomId: string, text = 'When is the next release?'): Promise<Message> {
  const clientId = randomBytes(8).toString('hex');
  return data<{ message: Message }>(await ask(socket, 'question:ask', { roomId, clientId, text })).message;
}
const upvote = (socket: RawSocket, roomId: string, messageId: string) => ask(socket, 'question:upvote', { roomId, messageId });
const unvote = (socket: RawSocket, roomId: string, messageId: string) => ask(socket, 'question:unvote', { roomId, messageId });
const listed = async (socket: RawSocket, roomId: string, extra: Record<string, unknown> = {}) =>
  data<{ questions: Message[] }>(await ask(socket, 'question:list', { roomId, ...extra })).questions;

/** Every `message:updated` a socket receives, and the latest question of one message. */
function watch(socket: RawSocket) {
  const frames: Message[] = [];
  on<Message>(socket, 'message:updated', (m) => frames.push(m));
  const of = (id: string) => frames.filter((m) => m.id === id);
  return { frames: of, latest: (id: string): Question | undefined => of(id).at(-1)?.question };
}
/** A socket's upvotes in the room, from the latest `questions:updated`. */
function myUpvotesOf(socket: RawSocket) {
  const seen: QuestionsUpdated[] = [];
  on<QuestionsUpdated>(socket, 'questions:updated', (e) => seen.push(e));
  return () => seen.at(-1)?.myUpvotes;
}
const joinUpvotes = (joined: { plugins?: Record<string, unknown> }) => (joined.plugins?.questions as QuestionsJoin | undefined)?.myUpvotes;
async function exported(
  chat: ChatServer,
  userId: string,
): Promise<{ plugins?: { questions?: { questions: unknown[]; upvotes: unknown[] } } }> {
  let text = '';
  for await (const chunk of chat.exportUser(userId)) text += chunk;
  return JSON.parse(text) as { plugins?: { questions?: { questions: unknown[]; upvotes: unknown[] } } };
}

/** A room with Ana, a member, and a moderator, on a server with questions(); what Ana's socket receives is watched. */
async function moderated(store: ChatStore) {
  const { url, chat } = await startWithRest({ store, plugins: [questions()] });
  const room = fresh('room');
  const [anaId, modId] = [fresh('ana'), fresh('mod')];
  const [ana, mod] = await Promise.all([connect(url, anaId), connect(url, modId)]);
  await join(ana, room);
  await join(mod, room);
  await chat.setRole(room, modId, 'moderator');
  return { chat, room, modId, ana, mod, toAna: watch(ana) };
}

eachStore('questions', (store) => {
  it('a question reaches the room with its message; an upvote counts once, is taken back; myUpvotes on each device', async () => {
    const { url } = await startWithRest({ store: store(), plugins: [questions()] });
    const room = fresh('room');
    const [anaId, benId] = [fresh('ana'), fresh('ben')];
    const [ana, phone, laptop] = await Promise.all([connect(url, anaId), connect(url, benId), connect(url, benId)]);
    for (const socket of [ana, phone, laptop]) await join(socket, room);
    const toAna = watch(ana);
    const onLaptop = myUpvotesOf(laptop);
    const arrived = new Promise<Message>((resolve) => on<Message>(phone, 'message', resolve));
    const sent = await askQuestion(ana, room, '  Will there be a recording?  ');
    const id = sent.id;
    expect(sent).toMatchObject({ text: 'Will there be a recording?', question: { upvotes: 0, answered: false, hidden: false } });
    expect((await arrived).question).toEqual({ upvotes: 0, answered: false, hidden: false });

    expect(data(await upvote(phone, room, id))).toEqual({ roomId: room, messageId: id, upvoted: true });
    expect(data(await upvote(laptop, room, id))).toEqual({ roomId: room, messageId: id, upvoted: true });
    await waitFor(() => expect(onLaptop()).toEqual([id]));
    await waitFor(() => expect(toAna.latest(id)?.upvotes).toBe(1));
    expect(joinUpvotes(await join(await connect(url, benId), room))).toEqual([id]);
    expect(joinUpvotes(await join(await connect(url, anaId), room))).toEqual([]);
    // What the whole room gets names no one's upvotes.
    expect(JSON.stringify(toAna.frames(id))).not.toContain(benId);

    expect(data(await unvote(phone, room, id))).toEqual({ roomId: room, messageId: id, upvoted: false });
    expect(data(await unvote(phone, room, id))).toMatchObject({ upvoted: false });
    await waitFor(() => expect(toAna.latest(id)?.upvotes).toBe(0));
    await waitFor(() => expect(onLaptop()).toEqual([]));
    const later = await join(await connect(url, fresh('eva')), room);
    expect(later.messages.find((m) => m.id === id)?.question).toEqual({ upvotes: 0, answered: false, hidden: false });
  });

  it('lists the room’s questions by upvotes or newest, by socket and by REST, paged', async () => {
    const { url, rest } = await startWithRest({ store: store(), plugins: [questions()] });
    const room = fresh('room');
    const anaId = fresh('ana');
    const ana = await connect(url, anaId);
    await join(ana, room);
    const voters = await Promise.all(Array.from({ length: 3 }, () => connect(url, fresh('voter'))));
    for (const socket of voters) await join(socket, room);
    const [first, second, third] = [
      await askQuestion(ana, room, 'first'),
      await askQuestion(ana, room, 'second'),
      await askQuestion(ana, room, 'third'),
    ];
    await say(ana, room, 'not a question');
    for (const socket of voters) await upvote(socket, room, second.id);
    await upvote(voters[0] as RawSocket, room, third.id);
    const ids = (messages: Message[]) => messages.map((m) => m.id);

    const top = await listed(ana, room, { sort: 'top' });
    expect(ids(top)).toEqual([second.id, third.id, first.id]);
    expect(top.map((m) => m.question?.upvotes)).toEqual([3, 1, 0]);
    expect(ids(await listed(ana, room))).toEqual(ids(top));
    expect(ids(await listed(ana, room, { sort: 'new' }))).toEqual([third.id, second.id, first.id]);
    expect(ids(await listed(ana, room, { sort: 'top', limit: 1, offset: 1 }))).toEqual([third.id]);

    const read = await rest('GET', `/rooms/${room}/questions?sort=new&limit=2`, anaId);
    expect(read.status).toBe(200);
    expect(ids(read.body.questions as Message[])).toEqual([third.id, second.id]);
    expect(await rest('GET', `/rooms/${room}/questions?sort=old`, anaId)).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/sort must be 'top' or 'new'/u) } },
    });
  });

  it('a moderator answers and hides a question, a member may not; hidden ones are listed for moderators only', async () => {
    const { room, ana, mod, toAna } = await moderated(store());
    const question = await askQuestion(ana, room);
    const id = question.id;
    for (const [event, sentence] of [
      ['question:answer', /Only the room’s owners and moderators can mark a question answered/u],
      ['question:hide', /Only the room’s owners and moderators can hide a question/u],
    ] as const) {
      expect(await ask(ana, event, { roomId: room, messageId: id })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN', message: expect.stringMatching(sentence) },
      });
    }

    const answered = data<{ message: Message }>(await ask(mod, 'question:answer', { roomId: room, messageId: id })).message;
    expect(answered.question).toEqual({ upvotes: 0, answered: true, hidden: false });
    await waitFor(() => expect(toAna.latest(id)?.answered).toBe(true));
    const unanswered = data<{ message: Message }>(await ask(mod, 'question:answer', { roomId: room, messageId: id, answered: false }));
    expect(unanswered.message.question?.answered).toBe(false);

    const hidden = data<{ message: Message }>(await ask(mod, 'question:hide', { roomId: room, messageId: id })).message;
    expect(hidden.question).toMatchObject({ hidden: true });
    // The room still gets the message, flagged: readers' clients leave it out.
    await waitFor(() => expect(toAna.latest(id)?.hidden).toBe(true));
    expect(await listed(ana, room)).toEqual([]);
    expect((await listed(mod, room)).map((m) => m.id)).toEqual([id]);
    expect(await upvote(ana, room, id)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/messageId: this question is hidden/u) },
    });
    await ask(mod, 'question:hide', { roomId: room, messageId: id, hidden: false });
    expect((await listed(ana, room)).map((m) => m.id)).toEqual([id]);
  });

  it('an answer with a reply posts it once in the question’s thread, then marks it answered; bad replies and members are refused', async () => {
    const { chat, room, modId, ana, mod, toAna } = await moderated(store());
    const { id } = await askQuestion(ana, room);
    const thread = async () =>
      data<{ messages: Message[] }>(await ask(ana, 'message:history', { roomId: room, threadOf: id })).messages.map((m) => [
        m.user.id,
        m.text,
      ]);

    const refused: Array<[RawSocket, Record<string, unknown>, string, RegExp]> = [
      [ana, { reply: 'Next week', clientId: 'r0' }, 'FORBIDDEN', /Only the room’s owners and moderators can mark a question answered/u],
      [mod, { reply: 'Next week' }, 'VALIDATION_FAILED', /clientId is required with reply/u],
      [mod, { reply: 'Next week', clientId: 'r0', answered: false }, 'VALIDATION_FAILED', /cannot come with answered: false/u],
      [mod, { reply: '  ', clientId: 'r0' }, 'VALIDATION_FAILED', /reply: reply must not be empty/u],
      [mod, { reply: 'x'.repeat(501), clientId: 'r0' }, 'VALIDATION_FAILED', /reply: reply must be at most 500/u],
    ];
    for (const [socket, extra, code, message] of refused) {
      expect(await ask(socket, 'question:answer', { roomId: room, messageId: id, ...extra })).toMatchObject({
        ok: false,
        error: { code, message },
      });
    }
    expect(await thread()).toEqual([]);

    const payload = { roomId: room, messageId: id, reply: ' Next week, on Tuesday. ', clientId: 'answer-1' };
    const answered = data<{ message: Message; reply: Message }>(await ask(mod, 'question:answer', payload));
    expect(answered.message.question).toEqual({ upvotes: 0, answered: true, hidden: false });
    expect(answered.reply).toMatchObject({ text: 'Next week, on Tuesday.', threadOf: id, user: { id: modId } });
    await waitFor(() => expect(toAna.latest(id)?.answered).toBe(true));
    // A resend (a lost ack) posts nothing more.
    const again = data<{ reply: Message }>(await ask(mod, 'question:answer', payload));
    expect(again.reply.id).toBe(answered.reply.id);
    expect(await thread()).toEqual([[modId, 'Next week, on Tuesday.']]);

    // A muted moderator's reply is refused, and the question is not marked.
    await ask(mod, 'question:answer', { roomId: room, messageId: id, answered: false });
    await chat.mute(room, modId);
    expect(await ask(mod, 'question:answer', { ...payload, clientId: 'answer-2' })).toMatchObject({ ok: false, error: { code: 'MUTED' } });
    expect((await listed(ana, room))[0]?.question?.answered).toBe(false);
  });

  it('a storm of upvotes from 40 people comes as few message:updated frames, the last with the exact count', async () => {
    const { url } = await startWithRest({ store: store(), plugins: [questions()] });
    const room = fresh('room');
    const watcher = await connect(url, fresh('watcher'));
    await join(watcher, room);
    const voters = await Promise.all(Array.from({ length: 40 }, () => connect(url, fresh('voter'))));
    await Promise.all(voters.map((socket) => join(socket, room)));
    const seen = watch(watcher);
    const [one, two] = [await askQuestion(watcher, room, 'one'), await askQuestion(watcher, room, 'two')];
    // Each upvotes both twice; every third takes its upvote of `two` back.
    await Promise.all(
      voters.map(async (socket, i) => {
        for (const id of [one.id, two.id, one.id, two.id]) expect(await upvote(socket, room, id)).toMatchObject({ ok: true });
        if (i % 3 === 0) expect(await unvote(socket, room, two.id)).toMatchObject({ ok: true });
      }),
    );
    await waitFor(() => expect(seen.latest(one.id)?.upvotes).toBe(40));
    await waitFor(() => expect(seen.latest(two.id)?.upvotes).toBe(26));
    expect(seen.frames(one.id).length).toBeLessThan(40);
    expect((await listed(watcher, room)).map((m) => m.question?.upvotes)).toEqual([40, 26]);
  });

  it('refuses bad input naming the field, a message that is no question, and questions in encrypted rooms', async () => {
    const { url, chat } = await startWithRest({ store: store(), plugins: [questions()] });
    const [room, elsewhere] = [fresh('room'), fresh('elsewhere')];
    const ana = await connect(url, fresh('ana'));
    await join(ana, room);
    await join(ana, elsewhere);
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['question:ask', { roomId: room, clientId: 'c1', text: '   ' }, /text: text must not be empty/u],
      ['question:ask', { roomId: room, clientId: 'c1', text: 'x'.repeat(501) }, /text: text must be at most 500/u],
      ['question:ask', { roomId: room, clientId: 'c1', text: 'a\u0007b' }, /text: text must not contain control characters/u],
      ['question:ask', { roomId: room, clientId: 'c1' }, /text/u],
      ['question:upvote', { roomId: room }, /messageId/u],
      ['question:answer', { roomId: room, messageId: 'm1', answered: 'yes' }, /answered: answered must be true or false/u],
      ['question:hide', { roomId: room, messageId: 'm1', hidden: 1 }, /hidden: hidden must be true or false/u],
      ['question:list', { roomId: room, sort: 'best' }, /sort: sort must be 'top' or 'new'/u],
      ['question:list', { roomId: room, limit: 101 }, /limit: limit must be at most 100/u],
    ];
    for (const [event, payload, message] of cases) {
      expect(await ask(ana, event, payload)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message } });
    }
    const plain = await say(ana, room, 'just chatting');
    const question = await askQuestion(ana, room);
    // People upvote a question as it was asked: its text is not edited.
    expect(await ask(ana, 'message:edit', { roomId: room, messageId: question.id, text: 'Another one?' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/A question cannot be edited/u) },
    });
    for (const event of ['question:upvote', 'question:unvote', 'question:answer', 'question:hide']) {
      expect(await ask(ana, event, { roomId: room, messageId: 'no-such-message' })).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/messageId: there is no message "no-such-message"/u) },
      });
      expect(await ask(ana, event, { roomId: room, messageId: plain.id })).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/messageId: this message is not a question/u) },
      });
    }
    expect(await upvote(ana, elsewhere, question.id)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });

    const secret = fresh('secret');
    await chat.createRoom({ id: secret, options: { encrypted: true } });
    await join(ana, secret);
    expect(await ask(ana, 'question:ask', { roomId: secret, clientId: 'c2', text: 'Q?' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/not available in end-to-end encrypted rooms/u) },
    });
  });

  it('exports a person’s questions and upvotes; erasing them takes their upvotes out of the counts; a deleted question goes', async () => {
    const { url, chat } = await startWithRest({ store: store(), plugins: [questions()] });
    const room = fresh('room');
    const [anaId, benId] = [fresh('ana'), fresh('ben')];
    const [ana, ben] = await Promise.all([connect(url, anaId), connect(url, benId)]);
    await join(ana, room);
    await join(ben, room);
    const toAna = watch(ana);
    const mine = await askQuestion(ana, room);
    const theirs = await askQuestion(ben, room, 'Is lunch included?');
    await upvote(ana, room, mine.id);
    await upvote(ben, room, mine.id);
    await upvote(ben, room, theirs.id);
    await waitFor(() => expect(toAna.latest(mine.id)?.upvotes).toBe(2));

    const benData = (await exported(chat, benId)).plugins?.questions;
    expect(benData?.questions).toMatchObject([{ roomId: room, messageId: theirs.id, askedBy: benId, answered: false, hidden: false }]);
    expect(benData?.upvotes).toHaveLength(2);
    expect(benData?.upvotes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ messageId: mine.id, userId: benId }),
        expect.objectContaining({ messageId: theirs.id }),
      ]),
    );
    await chat.eraseUser(benId);
    await waitFor(() => expect(toAna.latest(mine.id)?.upvotes).toBe(1));
    expect((await exported(chat, benId)).plugins?.questions).toEqual({ questions: [], upvotes: [], pending: [] });
    expect((await listed(ana, room)).map((m) => m.id)).toEqual([mine.id]);

    expect(await ask(ana, 'message:delete', { roomId: room, messageId: mine.id })).toMatchObject({ ok: true });
    await waitFor(async () => expect(await listed(ana, room)).toEqual([]));
    await waitFor(async () => expect(await upvote(ana, room, mine.id)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } }));
  });
});

clusterSuite('questions', (twoProcesses) => {
  it('upvotes on both processes count exactly on each; the upvoter’s devices on both get myUpvotes; a moderator’s hide on one shows on the other', async () => {
    const [one, two] = await twoProcesses({ authenticate: byHandshake, plugins: [questions()] });
    const room = fresh('room');
    const [anaId, benId, modId] = [fresh('ana'), fresh('ben'), fresh('mod')];
    const [ana, benOne, benTwo, mod] = await Promise.all([
      connect(one.url, anaId),
      connect(one.url, benId),
      connect(two.url, benId),
      connect(one.url, modId),
    ]);
    for (const socket of [ana, benOne, benTwo, mod]) await join(socket, room);
    await one.chat.setRole(room, modId, 'moderator');
    const voters = await Promise.all(Array.from({ length: 20 }, (_, i) => connect((i % 2 === 0 ? one : two).url, fresh('voter'))));
    await Promise.all(voters.map((socket) => join(socket, room)));
    const onOne = watch(ana);
    const onTwo = watch(benTwo);
    const benTwoUpvotes = myUpvotesOf(benTwo);
    const id = (await askQuestion(ana, room)).id;

    expect(data(await upvote(benOne, room, id))).toMatchObject({ upvoted: true });
    await waitFor(() => expect(benTwoUpvotes()).toEqual([id]));
    // Both of ben's devices at once, on two processes: one upvote.
    await Promise.all([upvote(benOne, room, id), upvote(benTwo, room, id)]);
    await Promise.all(voters.map(async (socket) => expect(await upvote(socket, room, id)).toMatchObject({ ok: true })));
    for (const seen of [onOne, onTwo]) await waitFor(() => expect(seen.latest(id)?.upvotes).toBe(21));
    expect((await listed(benTwo, room)).map((m) => m.question?.upvotes)).toEqual([21]);

    expect(data<{ message: Message }>(await ask(mod, 'question:hide', { roomId: room, messageId: id })).message.question?.hidden).toBe(
      true,
    );
    await waitFor(() => expect(onTwo.latest(id)?.hidden).toBe(true));
    expect(await listed(benTwo, room)).toEqual([]);
    expect((await listed(mod, room)).map((m) => m.id)).toEqual([id]);
    expect(await upvote(benTwo, room, id)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });
});
