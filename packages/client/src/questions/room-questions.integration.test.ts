import { describe, expect, it } from 'vitest';
import { ChatError, ErrorCode, MemberRole } from '@chat/protocol';
import type { ChatServerOptions } from '@chat/server';
import { questions } from '@chat/server';
import type { ChatClient } from '../chat-client.js';
import type { ChatRoom } from '../chat-room.js';
import { awayAndBack, sdkClient, startChat } from '../../../../test-support/servers.js';
import { waitFor } from '../../../../test-support/wait.js';

// `room.questions` against a real server with the questions() plugin: a question in the log,
// counts on the message, your own upvotes on each of your devices and after a reconnect,
// answering and hiding by moderators only, pages by upvotes and newest, refusals.

/** Users by their token, so that two clients of one token are two devices of one user. */
const byToken: ChatServerOptions['authenticate'] = (h) => ({ id: String(h.auth['token']), name: String(h.auth['token']) });
const questionOf = (room: ChatRoom, messageId: string) => room.messages.find((m) => m.id === messageId)?.question;
const ids = (messages: readonly { id: string }[]) => messages.map((m) => m.id);

/**
 * Drops every `questions:updated` a client receives (as if it came late, through another process),
 * so that only the answers to its own requests set its upvotes.
 */
function deafToQuestionsUpdated(client: ChatClient): void {
  const socket = client.socket as unknown as { onevent(packet: { data: unknown[] }): void };
  const onevent = socket.onevent.bind(socket);
  socket.onevent = (packet) => {
    if (packet.data[0] !== 'questions:updated') onevent(packet);
  };
}

/** Ana creates the room by her join, as its owner (`ownerOnJoin`); then Luis joins it from his laptop and his phone. */
async function town(roomId = 'town-hall') {
  const { url, chat } = await startChat({ authenticate: byToken, ownerOnJoin: true, plugins: [questions()] });
  const client = (token: string) => sdkClient(url, { auth: { token } });
  const ana = await client('ana').join(roomId);
  const [luis, luisPhone] = [await client('luis').join(roomId), await client('luis').join(roomId)];
  return { url, chat, ana, luis, luisPhone };
}

describe('room.questions', () => {
  it('asks a question into the log; upvotes count once, follow you to your other device, reach everyone; unvote', async () => {
    const { ana, luis, luisPhone } = await town();
    expect(ana.questions.available).toBe(true);
    expect(luis.questions.myUpvotes).toEqual([]);

    const asked = await ana.questions.ask('  Will there be a recording?  ');
    expect(asked).toMatchObject({ text: 'Will there be a recording?', question: { upvotes: 0, answered: false, hidden: false } });
    expect(questionOf(ana, asked.id)).toEqual({ upvotes: 0, answered: false, hidden: false }); // in the asker's log from the answer
    expect(ana.messages.filter((m) => m.id === asked.id)).toHaveLength(1);
    await waitFor(() => expect(questionOf(luis, asked.id)).toEqual({ upvotes: 0, answered: false, hidden: false }));

    // Luis upvotes on his laptop: at once there, by `questions:updated` on his phone (with `updated`).
    let phoneUpdates = 0;
    luisPhone.on('updated', () => phoneUpdates++);
    let laptopUpdates = 0;
    luis.on('updated', () => laptopUpdates++);
    expect(await luis.questions.upvote(asked.id)).toBe(true);
    expect(luis.questions.myUpvotes).toEqual([asked.id]);
    expect(luis.questions.upvoted(asked.id)).toBe(true);
    expect(laptopUpdates).toBeGreaterThan(0);
    await waitFor(() => expect(luisPhone.questions.myUpvotes).toEqual([asked.id]));
    expect(phoneUpdates).toBeGreaterThan(0);
    expect(ana.questions.myUpvotes).toEqual([]);
    expect(ana.questions.upvoted(asked.id)).toBe(false);
    for (const room of [ana, luis, luisPhone]) await waitFor(() => expect(questionOf(room, asked.id)?.upvotes).toBe(1));

    // Again from his phone: still his one upvote. Ana's then makes 2, never 3.
    expect(await luisPhone.questions.upvote(asked.id)).toBe(true);
    expect(luisPhone.questions.myUpvotes).toEqual([asked.id]);
    expect(await ana.questions.upvote(asked.id)).toBe(true);
    for (const room of [ana, luis]) await waitFor(() => expect(questionOf(room, asked.id)?.upvotes).toBe(2));
    expect((await ana.questions.list()).map((m) => m.question?.upvotes)).toEqual([2]);

    // Taken back on the phone, twice: the laptop follows; the count drops by one.
    expect(await luisPhone.questions.unvote(asked.id)).toBe(false);
    expect(luisPhone.questions.myUpvotes).toEqual([]);
    expect(await luisPhone.questions.unvote(asked.id)).toBe(false);
    await waitFor(() => expect(luis.questions.myUpvotes).toEqual([]));
    expect(luis.questions.upvoted(asked.id)).toBe(false);
    for (const room of [ana, luis, luisPhone]) await waitFor(() => expect(questionOf(room, asked.id)?.upvotes).toBe(1));
    expect(ana.questions.myUpvotes).toEqual([asked.id]);
  });

  it('keeps your other upvotes when one changes, the newest first', async () => {
    const { ana, luis, luisPhone } = await town();
    const [first, second, third] = [await ana.questions.ask('first'), await ana.questions.ask('second'), await ana.questions.ask('third')];
    await luis.questions.upvote(first.id);
    await luisPhone.questions.upvote(second.id);
    // The server orders by the upvote's time (two in one millisecond by message id): compared as sets.
    await waitFor(() => expect([...luis.questions.myUpvotes].sort()).toEqual([first.id, second.id].sort()));
    expect(await luis.questions.upvote(third.id)).toBe(true);
    expect(luis.questions.myUpvotes[0]).toBe(third.id);
    await luis.questions.unvote(first.id);
    expect([...luis.questions.myUpvotes].sort()).toEqual([second.id, third.id].sort());
    await waitFor(() => expect([...luisPhone.questions.myUpvotes].sort()).toEqual([second.id, third.id].sort()));
  });

  it('sets your upvotes from the answer itself, without waiting for questions:updated', async () => {
    const { url } = await startChat({ authenticate: byToken, plugins: [questions()] });
    const laptop = sdkClient(url, { auth: { token: 'luis' } });
    deafToQuestionsUpdated(laptop);
    const [luis, luisPhone] = [await laptop.join('lobby'), await sdkClient(url, { auth: { token: 'luis' } }).join('lobby')];
    const [first, second] = [await luis.questions.ask('first'), await luis.questions.ask('second')];
    let updates = 0;
    luis.on('updated', () => updates++);

    expect(await luis.questions.upvote(first.id)).toBe(true);
    expect(luis.questions.myUpvotes).toEqual([first.id]);
    expect(updates).toBeGreaterThan(0);
    // The phone's upvote reaches the deaf laptop by no frame: the laptop keeps what it had.
    await luisPhone.questions.upvote(second.id);
    await waitFor(() => expect(questionOf(luis, second.id)?.upvotes).toBe(1));
    expect(luis.questions.myUpvotes).toEqual([first.id]);
    expect(await luis.questions.unvote(first.id)).toBe(false);
    expect(luis.questions.myUpvotes).toEqual([]);
  });

  it('answering and hiding: the owner and a moderator may, a member gets FORBIDDEN; hidden ones leave the lists of members', async () => {
    const { chat, ana, luis, luisPhone } = await town();
    const asked = await luis.questions.ask('Is the bar open?');
    const other = await luis.questions.ask('Where is room B?');

    await expect(luis.questions.answer(asked.id)).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
    await expect(luis.questions.hide(asked.id)).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
    expect(questionOf(luis, asked.id)).toEqual({ upvotes: 0, answered: false, hidden: false });

    const answered = await ana.questions.answer(asked.id);
    expect(answered.question).toEqual({ upvotes: 0, answered: true, hidden: false });
    await waitFor(() => expect(questionOf(luis, asked.id)?.answered).toBe(true));
    expect((await ana.questions.answer(asked.id, false)).question?.answered).toBe(false);
    await waitFor(() => expect(questionOf(luis, asked.id)?.answered).toBe(false));
    // A text answers it, posted as Ana's reply in the question's thread.
    expect((await ana.questions.answer(asked.id, 'Yes, until ten.')).question?.answered).toBe(true);
    await waitFor(() => expect(luis.messages.find((m) => m.id === asked.id)?.thread?.replyCount).toBe(1));
    const thread = luis.thread(asked.id);
    await thread.ready();
    expect(thread.messages.map((m) => [m.user.id, m.text])).toEqual([['ana', 'Yes, until ten.']]);
    await expect(ana.questions.answer(asked.id, '   ')).rejects.toMatchObject({ code: ErrorCode.VALIDATION_FAILED });
    await ana.questions.answer(asked.id, false);

    // Luis's phone is Luis: made a moderator, both his devices may.
    await chat.setRole('town-hall', 'luis', MemberRole.MODERATOR);
    await waitFor(() => expect(luisPhone.canModerate).toBe(true));
    expect((await luisPhone.questions.answer(other.id)).question?.answered).toBe(true);
    await chat.setRole('town-hall', 'luis', MemberRole.MEMBER);
    await waitFor(() => expect(luis.canModerate).toBe(false));
    await expect(luis.questions.answer(other.id, false)).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });

    const hidden = await ana.questions.hide(asked.id);
    expect(hidden.question).toMatchObject({ hidden: true });
    // Still in everyone's log, marked (a reader's view leaves it out); not in a member's list.
    await waitFor(() => expect(questionOf(luis, asked.id)?.hidden).toBe(true));
    expect(ids(await luis.questions.list({ sort: 'new' }))).toEqual([other.id]);
    expect(ids(await ana.questions.list({ sort: 'new' }))).toEqual([other.id, asked.id]);
    await expect(luis.questions.upvote(asked.id)).rejects.toMatchObject({ code: ErrorCode.VALIDATION_FAILED });
    expect(luis.questions.myUpvotes).toEqual([]);

    expect((await ana.questions.hide(asked.id, false)).question?.hidden).toBe(false);
    expect(ids(await luis.questions.list({ sort: 'new' }))).toEqual([other.id, asked.id]);
  });

  it('lists by upvotes or newest, a page at a time', async () => {
    const { ana, luis } = await town();
    const [first, second, third] = [await ana.questions.ask('first'), await ana.questions.ask('second'), await ana.questions.ask('third')];
    await ana.send('not a question');
    await ana.questions.upvote(second.id);
    await luis.questions.upvote(second.id);
    await luis.questions.upvote(third.id);

    const top = await luis.questions.list();
    expect(ids(top)).toEqual([second.id, third.id, first.id]);
    expect(top.map((m) => m.question?.upvotes)).toEqual([2, 1, 0]);
    expect(ids(await luis.questions.list({ sort: 'top' }))).toEqual(ids(top));
    expect(ids(await luis.questions.list({ sort: 'new' }))).toEqual([third.id, second.id, first.id]);
    expect(ids(await luis.questions.list({ sort: 'top', limit: 2 }))).toEqual([second.id, third.id]);
    expect(ids(await luis.questions.list({ sort: 'top', limit: 2, offset: 2 }))).toEqual([first.id]);
    expect(ids(await luis.questions.list({ sort: 'new', limit: 1, offset: 1 }))).toEqual([second.id]);
    expect(await luis.questions.list({ offset: 3 })).toEqual([]);
  });

  it('a reconnect keeps your upvotes, and brings those made on another device while away', async () => {
    const { url, chat } = await startChat({ authenticate: byToken, plugins: [questions()] });
    const ana = await sdkClient(url, { auth: { token: 'ana' } }).join('lobby');
    const [first, second] = [await ana.questions.ask('Tea or coffee?'), await ana.questions.ask('Morning or evening?')];
    await ana.questions.upvote(first.id);
    let updates = 0;
    ana.on('updated', () => updates++);

    // While Ana's laptop is away, her phone upvotes the second: the re-join's answer brings it.
    await awayAndBack(chat, 'lobby', async () => {
      const phone = await sdkClient(url, { auth: { token: 'ana' }, socketOptions: { reconnection: false } }).join('lobby');
      await phone.questions.upvote(second.id);
    });
    await waitFor(() => expect([...ana.questions.myUpvotes].sort()).toEqual([first.id, second.id].sort()));
    await waitFor(() => expect(questionOf(ana, second.id)?.upvotes).toBe(1));
    await waitFor(() => expect(updates).toBeGreaterThan(0));

    // A later device of hers has both from its join answer.
    const tablet = await sdkClient(url, { auth: { token: 'ana' } }).join('lobby');
    expect([...tablet.questions.myUpvotes].sort()).toEqual([first.id, second.id].sort());
  });

  it('refuses bad input with VALIDATION_FAILED, leaving your upvotes as they were', async () => {
    const { ana, luis } = await town();
    await expect(ana.questions.ask('')).rejects.toMatchObject({ code: ErrorCode.VALIDATION_FAILED });
    await expect(ana.questions.ask('   ')).rejects.toMatchObject({
      code: ErrorCode.VALIDATION_FAILED,
      message: expect.stringMatching(/text/),
    });
    await expect(ana.questions.ask('x'.repeat(501))).rejects.toMatchObject({ code: ErrorCode.VALIDATION_FAILED });
    expect(ana.messages).toEqual([]);

    const plain = await ana.send('not a question');
    await expect(luis.questions.upvote(plain.id)).rejects.toMatchObject({ code: ErrorCode.VALIDATION_FAILED });
    await expect(luis.questions.upvote('no-such-message')).rejects.toMatchObject({ code: ErrorCode.VALIDATION_FAILED });
    await expect(luis.questions.answer(plain.id)).rejects.toMatchObject({ code: ErrorCode.VALIDATION_FAILED });
    await expect(luis.questions.list({ limit: 101 })).rejects.toMatchObject({ code: ErrorCode.VALIDATION_FAILED });
    await expect(luis.questions.list({ offset: -1 })).rejects.toMatchObject({ code: ErrorCode.VALIDATION_FAILED });
    expect(luis.questions.myUpvotes).toEqual([]);
    expect(luis.questions.available).toBe(true);
  });

  it('says a server without the plugin offers none, and refuses its requests with a sentence that says so', async () => {
    const { url } = await startChat();
    const room = await sdkClient(url).join('lobby');
    expect(room.questions.available).toBe(false);
    expect(room.questions.myUpvotes).toEqual([]);
    expect(room.questions.upvoted('any')).toBe(false);
    const refused = await room.questions.ask('Anyone?').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ChatError);
    expect(refused).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, message: expect.stringMatching(/does not offer questions/) });
    await expect(room.questions.upvote('any')).rejects.toMatchObject({ message: expect.stringMatching(/does not offer questions/) });
    await expect(room.questions.list()).rejects.toMatchObject({ message: expect.stringMatching(/does not offer questions/) });
    expect(room.messages).toEqual([]);
  });

  it('offers none in a direct room, and passes on the server’s sentence when asked there', async () => {
    const { url } = await startChat({ authenticate: byToken, plugins: [questions()] });
    const [ana, luis] = [sdkClient(url, { auth: { token: 'ana' } }), sdkClient(url, { auth: { token: 'luis' } })];
    expect((await ana.join('town-hall')).questions.available).toBe(true);
    await luis.join('town-hall');
    const direct = await ana.direct('luis');
    expect(direct.questions.available).toBe(false);
    const refused = await direct.questions.ask('Anyone?').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ChatError);
    expect(refused).toMatchObject({
      code: ErrorCode.VALIDATION_FAILED,
      message: expect.stringMatching(/^Questions are not available in direct conversations/),
    });
    expect(direct.messages).toEqual([]);
  });
});

describe('room.questions where questions wait for approval', () => {
  it('an asked question waits in myPending; moderators see the count, list and review; approved, it reaches every log', async () => {
    const { url } = await startChat({ authenticate: byToken, ownerOnJoin: true, plugins: [questions({ approval: true })] });
    const client = (token: string) => sdkClient(url, { auth: { token } });
    const ana = await client('ana').join('webinar');
    const [luis, luisPhone] = [await client('luis').join('webinar'), await client('luis').join('webinar')];
    expect([luis.questions.approval, luis.questions.pendingCount, luis.questions.myPending]).toEqual([true, 0, []]);

    const asked = await luis.questions.ask('Is the recording public?');
    expect(asked).toMatchObject({ pending: true, text: 'Is the recording public?', user: { id: 'luis' } });
    expect(luis.questions.myPending).toEqual([asked]);
    expect(luis.messages).toEqual([]);
    await waitFor(() => expect(luisPhone.questions.myPending).toEqual([asked]));
    await waitFor(() => expect(ana.questions.pendingCount).toBe(1));
    // The count merged into the state: the user's own upvotes stay.
    expect(ana.questions.myUpvotes).toEqual([]);
    expect(ana.questions.myPending).toEqual([]);
    await expect(luis.questions.pending()).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
    expect(await ana.questions.pending()).toEqual([asked]);

    const approved = await ana.questions.review(asked.id, true);
    expect(approved).toMatchObject({ text: 'Is the recording public?', user: { id: 'luis' }, question: { upvotes: 0 } });
    for (const room of [ana, luis, luisPhone]) await waitFor(() => expect(ids(room.messages)).toEqual([approved?.id]));
    await waitFor(() => expect(luis.questions.myPending).toEqual([]));
    await waitFor(() => expect(luis.questions.pendingCount).toBe(0));

    const second = await luis.questions.ask('And the slides?');
    expect(await ana.questions.review(second.id, false)).toBeUndefined();
    await waitFor(() => expect(luisPhone.questions.myPending).toEqual([]));
    expect(ids(luis.messages)).toEqual([approved?.id]);
  });
});
