// The pins() plugin on real chat servers: a moderator pins and the room hears it, a later join
// lists it, members are refused unless `authorize` allows `'pin'`, at most `maxPins`, a pinned
// message's edit and delete update the list, REST for readers only, a pinner's data; on both
// stores and on two processes.
import { expect, it } from 'vitest';
import type { Message, PinsUpdated } from '@chat/protocol';
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
import { ask, on, type Answer } from '../plugin-socket-fixtures.js';
import { pins } from './index.js';

const pin = (socket: RawSocket, roomId: string, messageId: unknown) => ask(socket, 'message:pin', { roomId, messageId });
const unpin = (socket: RawSocket, roomId: string, messageId: string) => ask(socket, 'message:unpin', { roomId, messageId });

/** Every `pins:updated` a socket receives, and the latest list of a room. */
function watch(socket: RawSocket) {
  const seen: PinsUpdated[] = [];
  on<PinsUpdated>(socket, 'pins:updated', (e) => seen.push(e));
  const latest = (roomId: string) =>
    seen
      .filter((e) => e.roomId === roomId)
      .at(-1)
      ?.pinned.map((m) => m.text);
  return { seen, latest };
}
const ids = (answer: Answer) => (answer.ok ? (answer.data as { pinned: Message[] }).pinned.map((m) => m.id) : answer.error.code);

eachStore('pins', (store) => {
  it('a moderator pins and unpins; everyone in the room hears it; a later join lists it; a member is refused', async () => {
    const { url, chat } = await startWithRest({ store: store(), plugins: [pins()] });
    const room = fresh('room');
    const [modId, anaId] = [fresh('mod'), fresh('ana')];
    const [mod, ana] = await Promise.all([connect(url, modId), connect(url, anaId)]);
    await join(mod, room);
    await join(ana, room);
    await chat.setRole(room, modId, 'moderator');
    const toAna = watch(ana);
    const sent = await say(ana, room, 'Welcome, everyone');

    expect(ids(await pin(mod, room, sent.id))).toEqual([sent.id]);
    await waitFor(() => expect(toAna.latest(room)).toEqual(['Welcome, everyone']));
    // Pinning twice changes nothing, and sends nothing.
    expect(ids(await pin(mod, room, sent.id))).toEqual([sent.id]);

    const eva = await connect(url, fresh('eva'));
    const joined = await join(eva, room);
    expect((joined.plugins?.pins as { pinned: Message[] }).pinned.map((m) => m.id)).toEqual([sent.id]);

    const refused = await pin(ana, room, (await say(ana, room, 'mine')).id);
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/owners and moderators/u) } });
    expect(await unpin(ana, room, sent.id)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    expect(ids(await unpin(mod, room, sent.id))).toEqual([]);
    await waitFor(() => expect(toAna.latest(room)).toEqual([]));
    expect(toAna.seen.filter((e) => e.roomId === room)).toHaveLength(2);
  });

  it('authorize allowing "pin" lets a member pin; the room’s owner (its creator) pins without it', async () => {
    const allowed = fresh('ana');
    const { url } = await startWithRest({
      store: store(),
      plugins: [pins()],
      authorize: (action, ctx) => action !== 'pin' || ctx.user.id === allowed,
    });
    const room = fresh('room');
    const [ana, luis] = await Promise.all([connect(url, allowed), connect(url, fresh('luis'))]);
    await join(ana, room);
    await join(luis, room);
    const sent = await say(luis, room, 'pin me');
    expect(ids(await pin(ana, room, sent.id))).toEqual([sent.id]);
    expect(await pin(luis, room, sent.id)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    // Without `authorize`: the room's owner (its creator) pins, a member does not.
    const plain = await startWithRest({ store: store(), plugins: [pins()] });
    const owned = fresh('owned');
    const ownerId = fresh('owner');
    await plain.chat.createRoom({ id: owned, createdBy: ownerId });
    const [owner, member] = await Promise.all([connect(plain.url, ownerId), connect(plain.url, fresh('member'))]);
    await join(owner, owned);
    await join(member, owned);
    const theirs = await say(member, owned, 'by a member');
    expect(await pin(member, owned, theirs.id)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(ids(await pin(owner, owned, theirs.id))).toEqual([theirs.id]);
  });

  it('refuses a pin past maxPins, a message of another room or a deleted one, and bad payloads, naming the field', async () => {
    const { url, chat } = await startWithRest({ store: store(), plugins: [pins({ maxPins: 2 })] });
    const [room, elsewhere] = [fresh('room'), fresh('elsewhere')];
    const modId = fresh('mod');
    const mod = await connect(url, modId);
    await join(mod, room);
    await join(mod, elsewhere);
    await chat.setRole(room, modId, 'moderator');
    const [a, b, c] = [await say(mod, room, 'a'), await say(mod, room, 'b'), await say(mod, room, 'c')];
    expect(ids(await pin(mod, room, a.id))).toEqual([a.id]);
    expect(ids(await pin(mod, room, b.id))).toEqual([b.id, a.id]); // newest pin first
    const full = await pin(mod, room, c.id);
    expect(full).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/2 pinned messages/u) } });

    const foreign = await say(mod, elsewhere, 'not here');
    expect(await pin(mod, room, foreign.id)).toMatchObject({ ok: false, error: { code: 'MESSAGE_NOT_FOUND' } });
    expect(await pin(mod, room, 'no-such-message')).toMatchObject({ ok: false, error: { code: 'MESSAGE_NOT_FOUND' } });
    await chat.deleteMessage(room, c.id);
    expect(await unpin(mod, room, a.id)).toMatchObject({ ok: true });
    expect(await pin(mod, room, c.id)).toMatchObject({
      ok: false,
      error: { code: 'MESSAGE_NOT_FOUND', message: expect.stringMatching(/deleted/u) },
    });

    for (const bad of [{ roomId: room }, { roomId: room, messageId: 42 }]) {
      const answer = await ask(mod, 'message:pin', bad);
      expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/messageId/u) } });
    }
  });

  it('an edit of a pinned message updates the list; a delete takes it off', async () => {
    const { url, chat } = await startWithRest({ store: store(), plugins: [pins()] });
    const room = fresh('room');
    const [modId, anaId] = [fresh('mod'), fresh('ana')];
    const [mod, ana] = await Promise.all([connect(url, modId), connect(url, anaId)]);
    await join(mod, room);
    await join(ana, room);
    await chat.setRole(room, modId, 'moderator');
    const toAna = watch(ana);
    const [first, second] = [await say(ana, room, 'first'), await say(ana, room, 'second')];
    await pin(mod, room, first.id);
    await pin(mod, room, second.id);
    await waitFor(() => expect(toAna.latest(room)).toEqual(['second', 'first']));

    expect(await ask(ana, 'message:edit', { roomId: room, messageId: first.id, text: 'first, edited' })).toMatchObject({ ok: true });
    await waitFor(() => expect(toAna.latest(room)).toEqual(['second', 'first, edited']));
    expect(await ask(ana, 'message:delete', { roomId: room, messageId: second.id })).toMatchObject({ ok: true });
    await waitFor(() => expect(toAna.latest(room)).toEqual(['first, edited']));
    const later = await join(await connect(url, fresh('eva')), room);
    expect((later.plugins?.pins as { pinned: Message[] }).pinned.map((m) => m.text)).toEqual(['first, edited']);
  });

  it('GET /rooms/:id/pins answers readers; a banned user and a stranger to a private room are refused', async () => {
    const { url, chat, rest } = await startWithRest({ store: store(), plugins: [pins()] });
    const room = fresh('room');
    const [modId, anaId, badId] = [fresh('mod'), fresh('ana'), fresh('bad')];
    const mod = await connect(url, modId);
    await join(mod, room);
    await chat.setRole(room, modId, 'moderator');
    const sent = await say(mod, room, 'rules');
    await pin(mod, room, sent.id);

    const read = await rest('GET', `/rooms/${room}/pins`, anaId);
    expect(read.status).toBe(200);
    expect((read.body.pinned as Message[]).map((m) => m.id)).toEqual([sent.id]);
    await chat.ban(room, badId);
    expect((await rest('GET', `/rooms/${room}/pins`, badId)).status).toBe(403);

    const secret = fresh('secret');
    await chat.createRoom({ id: secret, options: { private: true }, createdBy: modId });
    expect((await rest('GET', `/rooms/${secret}/pins`, modId)).status).toBe(200);
    expect(await rest('GET', `/rooms/${secret}/pins`, anaId)).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
  });

  it('the host pins its announcement; a pinner’s pins are exported, and erasing them keeps the pins', async () => {
    const plugin = pins();
    const { url, chat } = await startWithRest({ store: store(), plugins: [plugin] });
    const room = fresh('room');
    const [modId, anaId] = [fresh('mod'), fresh('ana')];
    const [mod, ana] = await Promise.all([connect(url, modId), connect(url, anaId)]);
    await join(mod, room);
    await join(ana, room);
    await chat.setRole(room, modId, 'moderator');
    const toAna = watch(ana);
    const note = await chat.sendMessage(room, { user: { id: 'host', name: 'Host' }, text: 'Q&A at 3pm' });
    expect((await plugin.pin(room, note.id)).pinned.map((m) => m.id)).toEqual([note.id]);
    await waitFor(() => expect(toAna.latest(room)).toEqual(['Q&A at 3pm']));

    const other = await say(ana, room, 'by ana');
    await pin(mod, room, other.id);
    const exported = async (userId: string) => {
      let text = '';
      for await (const chunk of chat.exportUser(userId)) text += chunk;
      return JSON.parse(text) as { plugins?: { pins?: Array<{ roomId: string; messageId: string; pinnedBy: string }> } };
    };
    expect((await exported(modId)).plugins?.pins).toMatchObject([{ roomId: room, messageId: other.id, pinnedBy: modId }]);
    await chat.eraseUser(modId);
    expect((await exported(modId)).plugins?.pins).toEqual([]);
    expect((await plugin.pinned(room)).map((m) => m.id)).toEqual([other.id, note.id]);
  });
});

clusterSuite('pins', (twoProcesses) => {
  it('a pin made on one process reaches the room on the other, and its delete there updates both', async () => {
    const [one, two] = await twoProcesses({ authenticate: byHandshake, plugins: [pins()] });
    const room = fresh('room');
    const [modId, anaId] = [fresh('mod'), fresh('ana')];
    const [mod, ana] = await Promise.all([connect(one.url, modId), connect(two.url, anaId)]);
    await join(mod, room);
    await join(ana, room);
    await one.chat.setRole(room, modId, 'moderator');
    const toAna = watch(ana);
    const toMod = watch(mod);
    const sent = await say(ana, room, 'across');
    expect(ids(await pin(mod, room, sent.id))).toEqual([sent.id]);
    await waitFor(() => expect(toAna.latest(room)).toEqual(['across']));
    expect(await ask(ana, 'message:delete', { roomId: room, messageId: sent.id })).toMatchObject({ ok: true });
    await waitFor(() => expect(toMod.latest(room)).toEqual([]));
  });
});
