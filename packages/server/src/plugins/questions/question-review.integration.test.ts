// questions({ approval: true }) on real chat servers: an asked question waits, seen by its asker
// and the room's moderators only (the others learn the count), until a moderator approves it (the
// asker's message then reaches the room as any question) or rejects it; a resend keeps one; the
// checks of a message at the ask, not again at the approval; a refused approval keeps it waiting;
// bad input; a person's data; on both stores and on two processes.
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Message, PendingQuestion, QuestionsJoin, QuestionsUpdated } from '@chat/protocol';
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
import type { ChatStore } from '../../core/chat-store.js';
import { ask, data, on } from '../plugin-socket-fixtures.js';
import { questions } from './index.js';

const newId = () => randomBytes(8).toString('hex');
async function askWaiting(socket: RawSocket, roomId: string, text: string, clientId = newId()): Promise<PendingQuestion> {
  return data<{ pending: PendingQuestion }>(await ask(socket, 'question:ask', { roomId, clientId, text })).pending;
}
const waiting = async (socket: RawSocket, roomId: string) =>
  data<{ pending: PendingQuestion[] }>(await ask(socket, 'question:pending', { roomId })).pending;
const review = (socket: RawSocket, roomId: string, questionId: string, approve: boolean) =>
  ask(socket, 'question:review', { roomId, questionId, approve });

/** Every event a socket receives, as JSON text: what it could read of the room. */
function everything(socket: RawSocket): () => string {
  const seen: unknown[] = [];
  (socket as unknown as { onAny(fn: (event: string, ...args: unknown[]) => void): void }).onAny((event, ...args) =>
    seen.push([event, args]),
  );
  return () => JSON.stringify(seen);
}
/** The latest `questions:updated` keys a socket received, merged as the SDK merges them. */
function stateOf(socket: RawSocket): () => Partial<QuestionsJoin> {
  let state: Partial<QuestionsJoin> = {};
  on<QuestionsUpdated>(socket, 'questions:updated', ({ roomId: _, ...rest }) => (state = { ...state, ...rest }));
  return () => state;
}
function newMessages(socket: RawSocket): Message[] {
  const got: Message[] = [];
  on<Message>(socket, 'message', (m) => got.push(m));
  return got;
}

/** A room with Ana (two devices), Ben and a moderator, on a server whose questions wait for approval. */
async function reviewed(store: ChatStore) {
  const { url, chat } = await startWithRest({ store, plugins: [questions({ approval: true })] });
  const room = fresh('room');
  const [anaId, benId, modId] = [fresh('ana'), fresh('ben'), fresh('mod')];
  const [ana, anaPhone, ben, mod] = await Promise.all([connect(url, anaId), connect(url, anaId), connect(url, benId), connect(url, modId)]);
  for (const socket of [ana, anaPhone, ben, mod]) await join(socket, room);
  await chat.setRole(room, modId, 'moderator');
  return { url, chat, room, anaId, benId, ana, anaPhone, ben, mod };
}

eachStore('questions waiting for approval', (store) => {
  it('a question waits, seen by its asker and the moderators only; approved, it reaches the room as the asker’s question', async () => {
    const { room, anaId, ana, anaPhone, ben, mod } = await reviewed(store());
    const benSaw = everything(ben);
    const [benState, phoneState, modState] = [stateOf(ben), stateOf(anaPhone), stateOf(mod)];
    const benNew = newMessages(ben);
    const text = 'Will the slides be shared afterwards?';
    const clientId = newId();
    const pending = await askWaiting(ana, room, text, clientId);
    expect(pending).toMatchObject({ pending: true, roomId: room, text, user: { id: anaId } });
    // A resend of the same ask keeps one.
    expect(await askWaiting(ana, room, text, clientId)).toEqual(pending);

    await waitFor(() => expect(benState().pending).toBe(1));
    await waitFor(() => expect(phoneState().myPending).toEqual([pending]));
    await waitFor(() => expect(modState().pending).toBe(1));
    expect(await waiting(mod, room)).toEqual([pending]);
    expect(await ask(ben, 'question:pending', { roomId: room })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await review(ben, room, pending.id, true)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await ask(ben, 'question:list', { roomId: room })) as unknown).toMatchObject({ ok: true, data: { questions: [] } });
    // A re-join tells the count to everyone and their own waiting questions to the asker.
    const again = (await join(anaPhone, room)) as { plugins?: Record<string, unknown> };
    expect(again.plugins?.questions).toMatchObject({ pending: 1, myPending: [pending] });
    expect(((await join(ben, room)) as { plugins?: Record<string, unknown> }).plugins?.questions).toMatchObject({
      pending: 1,
      myPending: [],
    });

    const approved = data<{ message: Message }>(await review(mod, room, pending.id, true)).message;
    expect(approved).toMatchObject({ text, clientId, user: { id: anaId }, question: { upvotes: 0, answered: false, hidden: false } });
    await waitFor(() => expect(benNew.map((m) => m.id)).toEqual([approved.id]));
    await waitFor(() => expect(benState().pending).toBe(0));
    await waitFor(() => expect(phoneState().myPending).toEqual([]));
    expect((await ask(ben, 'question:list', { roomId: room })) as unknown).toMatchObject({
      ok: true,
      data: { questions: [{ id: approved.id }] },
    });
    expect(await review(mod, room, pending.id, true)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    // Until the approval, nothing Ben received carried the text.
    expect(benSaw().split(text).length - 1).toBe(1);
  });

  it('rejected, a question goes and nobody else ever saw it; a resent ask after approval posts the message once', async () => {
    const { room, ana, ben, mod } = await reviewed(store());
    const benSaw = everything(ben);
    const anaState = stateOf(ana);
    const secret = 'A question nobody but moderators should read';
    const pending = await askWaiting(ana, room, secret);
    expect(data(await review(mod, room, pending.id, false))).toEqual({});
    await waitFor(() => expect(anaState().myPending).toEqual([]));
    expect(await waiting(mod, room)).toEqual([]);
    expect(await review(mod, room, pending.id, false)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(benSaw()).not.toContain(secret);

    // The same ask twice at once (a resend racing the first): one question, the same to both.
    const twice = newId();
    const [one, other] = await Promise.all([askWaiting(ana, room, 'At once?', twice), askWaiting(ana, room, 'At once?', twice)]);
    expect(other.id).toBe(one.id);
    expect((await waiting(mod, room)).map((q) => q.id)).toEqual([one.id]);
    expect(data(await review(mod, room, one.id, false))).toEqual({});

    const clientId = newId();
    const first = await askWaiting(ana, room, 'Asked twice?', clientId);
    const posted = data<{ message: Message }>(await review(mod, room, first.id, true)).message;
    const resent = await askWaiting(ana, room, 'Asked twice?', clientId);
    expect(data<{ message: Message }>(await review(mod, room, resent.id, true)).message.id).toBe(posted.id);
    const history = data<{ questions: Message[] }>(await ask(ben, 'question:list', { roomId: room })).questions;
    expect(history.map((m) => m.id)).toEqual([posted.id]);
  });

  it('the checks of a message at the ask (ban, slow mode, a cap per person), not slow mode again at the approval; an approval refused for its asker drops it', async () => {
    const { chat, room, anaId, ana, ben, mod } = await reviewed(store());
    await chat.updateRoom(room, { options: { slowModeMs: 60_000 } });
    const firstId = newId();
    const first = await askWaiting(ana, room, 'First one', firstId);
    // A resend of the same ask answers the one kept, slow mode or not.
    expect(await askWaiting(ana, room, 'First one', firstId)).toEqual(first);
    // Slow mode took Ana's one message a minute: a second ask or message waits.
    expect(await ask(ana, 'question:ask', { roomId: room, clientId: newId(), text: 'Second' })).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED' },
    });
    // The approval does not take it again.
    expect(data<{ message: Message }>(await review(mod, room, first.id, true)).message.user.id).toBe(anaId);
    await chat.updateRoom(room, { options: { slowModeMs: 0 } });

    for (let i = 0; i < 10; i++) await askWaiting(ben, room, `Ben's question ${i}`);
    expect(await ask(ben, 'question:ask', { roomId: room, clientId: newId(), text: 'Eleventh' })).toMatchObject({
      ok: false,
      error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('waiting for a moderator') },
    });
    expect(await waiting(mod, room)).toHaveLength(10);

    const late = await askWaiting(ana, room, 'Asked before a ban');
    await chat.ban(room, anaId);
    expect(await review(mod, room, late.id, true)).toMatchObject({
      ok: false,
      error: { code: 'BANNED', message: expect.stringContaining('no longer waits') },
    });
    expect((await waiting(mod, room)).map((q) => q.id)).not.toContain(late.id);
    // The ban put her sockets out of the room.
    expect(await ask(ana, 'question:ask', { roomId: room, clientId: newId(), text: 'Banned now' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_IN_ROOM' },
    });
  });

  it('bad input gets a sentence; a server without approval refuses the review events', async () => {
    const { room, ana, mod } = await reviewed(store());
    expect(await ask(mod, 'question:review', { roomId: room, questionId: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('approve') },
    });
    expect(await ask(ana, 'question:ask', { roomId: room, clientId: newId(), text: '   ' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    const plain = await startWithRest({ store: store(), plugins: [questions()] });
    const other = fresh('room');
    const owner = await connect(plain.url, fresh('owner'));
    await join(owner, other);
    expect(await ask(owner, 'question:pending', { roomId: other })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('approval') },
    });
    expect(() => questions({ approval: 'yes' as unknown as boolean })).toThrow(/approval must be true or false/);
  });

  it('a waiting question is its asker’s data: exported to them, erased with them, and the room’s count follows', async () => {
    const { chat, room, anaId, ana, ben } = await reviewed(store());
    const benState = stateOf(ben);
    const pending = await askWaiting(ana, room, 'Mine to export');
    let text = '';
    for await (const chunk of chat.exportUser(anaId)) text += chunk;
    const mine = (JSON.parse(text) as { plugins: { questions: { pending: Array<{ id: string; text: string }> } } }).plugins.questions
      .pending;
    expect(mine).toEqual([expect.objectContaining({ id: pending.id, text: 'Mine to export' })]);
    await waitFor(() => expect(benState().pending).toBe(1));
    await chat.eraseUser(anaId);
    await waitFor(() => expect(benState().pending).toBe(0));
    text = '';
    for await (const chunk of chat.exportUser(anaId)) text += chunk;
    expect(text).not.toContain('Mine to export');
    await say(ben, room, 'still here');
  });
});

clusterSuite('questions waiting for approval', (twoProcesses) => {
  it('asked on one process, counted and reviewed on the other; the approved question reaches members on both', async () => {
    const [one, two] = await twoProcesses({ authenticate: byHandshake, plugins: [questions({ approval: true })] });
    const room = fresh('room');
    const [anaId, benId, modId] = [fresh('ana'), fresh('ben'), fresh('mod')];
    const [ana, ben, mod] = await Promise.all([connect(one.url, anaId), connect(one.url, benId), connect(two.url, modId)]);
    for (const socket of [ana, ben, mod]) await join(socket, room);
    await two.chat.setRole(room, modId, 'moderator');
    const [modState, benNew] = [stateOf(mod), newMessages(ben)];
    const pending = await askWaiting(ana, room, 'Across processes?');
    await waitFor(() => expect(modState().pending).toBe(1));
    expect(await waiting(mod, room)).toEqual([pending]);
    const approved = data<{ message: Message }>(await review(mod, room, pending.id, true)).message;
    await waitFor(() => expect(benNew.map((m) => m.id)).toEqual([approved.id]));
    await waitFor(() => expect(modState().pending).toBe(0));
  });
});
