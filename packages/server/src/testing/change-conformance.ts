import { describe, expect, it } from 'vitest';
import { ID_LIMITS, type Message } from '@chat/protocol';
import type { ChatStore, MessageChange, MessageDraft } from '../core/chat-store.js';
import { draft, freshRoomId } from './fixtures.js';

const MAX_EMOJIS = 20;
const react = (userId: string, emoji = '👍', maxEmojis = MAX_EMOJIS): MessageChange => ({ type: 'react', emoji, userId, maxEmojis });
const unreact = (userId: string, emoji = '👍'): MessageChange => ({ type: 'unreact', emoji, userId });
const edit = (text: string, mentions?: string[]): MessageChange =>
  mentions === undefined
    ? { type: 'edit', text, at: new Date().toISOString() }
    : { type: 'edit', text, mentions, at: new Date().toISOString() };
const remove = (): MessageChange => ({ type: 'delete', at: new Date().toISOString() });
const users = (n: number, prefix = 'user') => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);

/**
 * The `ChatStore` cases about messages that change: edit, delete, reactions, the per-room rev
 * counter and `changedAfter` reads. Part of `describeStoreConformance`; `store()` gives the
 * current test's store, `openAgain` a second instance on the same data (another process).
 */
export function describeChangeConformance(store: () => ChatStore, openAgain?: (store: ChatStore) => Promise<ChatStore>): void {
  async function room(): Promise<string> {
    const id = freshRoomId('change');
    await store().createRoom({ id });
    return id;
  }
  async function post(roomId: string, clientId: string, extra: Partial<MessageDraft> = {}): Promise<Message> {
    return (await store().appendMessage({ ...draft(roomId, clientId), ...extra })).message;
  }
  // Two handles on the same data when the store can open one, so that races cross "processes".
  async function twoHandles(): Promise<[ChatStore, ChatStore]> {
    const first = store();
    return [first, openAgain ? await openAgain(first) : first];
  }

  describe('messages that change', () => {
    it('gives a new message rev 0 and keeps its mentions (none: no field); roomRev starts at 0', async () => {
      const id = await room();
      const mentioned = await post(id, 'a', { mentions: ['u2', 'u3'] });
      expect(mentioned).toMatchObject({ rev: 0, mentions: ['u2', 'u3'] });
      expect(mentioned).not.toHaveProperty('editedAt');
      expect(mentioned).not.toHaveProperty('deletedAt');
      expect(mentioned).not.toHaveProperty('reactions');
      expect(await store().getMessage(id, mentioned.id)).toEqual(mentioned);
      expect(await post(id, 'b')).not.toHaveProperty('mentions');
      expect(await post(id, 'c', { mentions: [] })).not.toHaveProperty('mentions');
      expect(await store().roomRev(id)).toBe(0);
      expect(await store().roomRev(freshRoomId('none'))).toBe(0);
    });

    it('edits: new text, editedAt, mentions replaced, a higher rev; an identical edit changes nothing', async () => {
      const id = await room();
      const original = await post(id, 'a', { mentions: ['u2'] });
      const other = await post(id, 'b');
      const change = edit('new text', ['u3', 'u4']);
      const first = await store().changeMessage(id, original.id, change);
      expect(first.changed).toBe(true);
      expect(first.message).toEqual({
        ...original,
        text: 'new text',
        mentions: ['u3', 'u4'],
        editedAt: (change as { at: string }).at,
        rev: first.message.rev,
      });
      expect(first.message.rev).toBeGreaterThan(0);
      expect(await store().roomRev(id)).toBe(first.message.rev);
      expect(await store().getMessage(id, original.id)).toEqual(first.message);

      const same = await store().changeMessage(id, original.id, edit('new text', ['u3', 'u4']));
      expect(same).toEqual({ message: first.message, changed: false });
      expect(await store().roomRev(id)).toBe(first.message.rev);

      const second = await store().changeMessage(id, other.id, edit('other'));
      expect(second.message.rev).toBeGreaterThan(first.message.rev);
      // An edit without mentions takes them all away.
      const third = await store().changeMessage(id, original.id, edit('new text'));
      expect(third.changed).toBe(true);
      expect(third.message).not.toHaveProperty('mentions');
      expect(third.message.rev).toBeGreaterThan(second.message.rev);
      expect(await store().roomRev(id)).toBe(third.message.rev);
      expect((await store().listMessages(id, { limit: 10 })).messages).toEqual([third.message, second.message]);
    });

    it('deletes for real: text, attachments, mentions and reactions gone; id, seq, user, replyTo kept; a second delete changes nothing', async () => {
      const id = await room();
      const parent = await post(id, 'parent');
      const attachment = { url: 'https://files.example/x.png', type: 'image/png', name: 'x.png', size: 3 };
      const target = await post(id, 'target', { text: 'secret', attachments: [attachment], mentions: ['u2'], replyTo: parent.id });
      const reply = await post(id, 'reply', { replyTo: target.id });
      await store().changeMessage(id, target.id, react('u2'));
      const at = new Date().toISOString();
      const deleted = await store().changeMessage(id, target.id, { type: 'delete', at });
      expect(deleted.changed).toBe(true);
      const { text: _text, attachments: _attachments, mentions: _mentions, ...kept } = target;
      expect(deleted.message).toEqual({ ...kept, text: '', attachments: [], deletedAt: at, rev: deleted.message.rev });
      expect(deleted.message.rev).toBe(await store().roomRev(id));
      expect(await store().getMessage(id, target.id)).toEqual(deleted.message);
      const history = await store().listMessages(id, { limit: 10 });
      expect(history.messages.map((m) => m.text)).toEqual(['parent', '', 'reply']);
      expect(history.messages[1]).toEqual(deleted.message);
      expect(JSON.stringify(history)).not.toContain('secret');
      expect(JSON.stringify(history)).not.toContain('x.png');
      expect(await store().getMessage(id, reply.id)).toEqual(reply);

      const again = await store().changeMessage(id, target.id, remove());
      expect(again).toEqual({ message: deleted.message, changed: false });
      expect(await store().roomRev(id)).toBe(deleted.message.rev);
    });

    it('refuses an edit or a reaction on a deleted message with MESSAGE_NOT_FOUND; taking a reaction back changes nothing', async () => {
      const id = await room();
      const target = await post(id, 'a');
      const { message: deleted } = await store().changeMessage(id, target.id, remove());
      for (const change of [edit('back from the dead'), react('u2')]) {
        await expect(store().changeMessage(id, target.id, change)).rejects.toMatchObject({
          code: 'MESSAGE_NOT_FOUND',
          message: 'This message was deleted.',
        });
      }
      expect(await store().changeMessage(id, target.id, unreact('u2'))).toEqual({ message: deleted, changed: false });
      expect(await store().getMessage(id, target.id)).toEqual(deleted);
      expect(await store().roomRev(id)).toBe(deleted.rev);
    });

    it('counts a user once per emoji, takes reactions back, and drops an emoji nobody uses', async () => {
      const id = await room();
      const target = await post(id, 'a');
      const one = await store().changeMessage(id, target.id, react('u1'));
      expect(one.changed).toBe(true);
      expect(one.message.reactions).toEqual({ '👍': { count: 1, userIds: ['u1'] } });
      expect(await store().changeMessage(id, target.id, react('u1'))).toEqual({ message: one.message, changed: false });
      await store().changeMessage(id, target.id, react('u2'));
      const hearts = await store().changeMessage(id, target.id, react('u1', '❤️'));
      expect(hearts.message.reactions).toEqual({ '👍': { count: 2, userIds: ['u1', 'u2'] }, '❤️': { count: 1, userIds: ['u1'] } });
      expect(Object.keys(hearts.message.reactions ?? {})).toEqual(['👍', '❤️']);

      const back = await store().changeMessage(id, target.id, unreact('u1'));
      expect(back.changed).toBe(true);
      expect(back.message.rev).toBeGreaterThan(hearts.message.rev);
      expect(back.message.reactions).toEqual({ '👍': { count: 1, userIds: ['u2'] }, '❤️': { count: 1, userIds: ['u1'] } });
      expect(await store().changeMessage(id, target.id, unreact('u1'))).toEqual({ message: back.message, changed: false });
      expect(await store().changeMessage(id, target.id, unreact('u9', '🎉'))).toEqual({ message: back.message, changed: false });
      await store().changeMessage(id, target.id, unreact('u2'));
      const last = await store().changeMessage(id, target.id, unreact('u1', '❤️'));
      expect(last.message).not.toHaveProperty('reactions');
      expect(last.message).toEqual({ ...target, rev: last.message.rev });
      expect(await store().getMessage(id, target.id)).toEqual(last.message);
      expect(await store().roomRev(id)).toBe(last.message.rev);
    });

    it(`counts exactly past ${ID_LIMITS.reactionUserIds} users and lists the first ${ID_LIMITS.reactionUserIds}, oldest first, refilled when one of them leaves`, async () => {
      const id = await room();
      const target = await post(id, 'a');
      const everyone = users(ID_LIMITS.reactionUserIds + 5);
      for (const user of everyone) await store().changeMessage(id, target.id, react(user));
      const full = await store().getMessage(id, target.id);
      expect(full?.reactions?.['👍']).toEqual({ count: everyone.length, userIds: everyone.slice(0, ID_LIMITS.reactionUserIds) });

      // A listed user leaves: the next oldest takes the free place.
      const listedLeaves = await store().changeMessage(id, target.id, unreact(everyone[3] as string));
      const rest = everyone.filter((u) => u !== everyone[3]);
      expect(listedLeaves.message.reactions?.['👍']).toEqual({ count: rest.length, userIds: rest.slice(0, ID_LIMITS.reactionUserIds) });
      // An unlisted user leaves: only the count moves.
      const unlistedLeaves = await store().changeMessage(id, target.id, unreact(everyone.at(-1) as string));
      expect(unlistedLeaves.message.reactions?.['👍']).toEqual({
        count: rest.length - 1,
        userIds: rest.slice(0, ID_LIMITS.reactionUserIds),
      });
      // Coming back puts a user last.
      const back = await store().changeMessage(id, target.id, react(everyone[3] as string));
      expect(back.message.reactions?.['👍']?.count).toBe(rest.length);
      expect(back.message.reactions?.['👍']?.userIds).not.toContain(everyone[3]);
    });

    it('refuses a new emoji past maxEmojis with PAYLOAD_TOO_LARGE, changing nothing; existing emojis still take users', async () => {
      const id = await room();
      const target = await post(id, 'a');
      for (const emoji of ['👍', '❤️', '😂']) await store().changeMessage(id, target.id, react('u1', emoji, 3));
      const before = await store().getMessage(id, target.id);
      const error = await store()
        .changeMessage(id, target.id, react('u2', '🎉', 3))
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
      expect((error as Error).message).toMatch(/at most 3 different reactions/u);
      expect(await store().getMessage(id, target.id)).toEqual(before);
      expect(await store().roomRev(id)).toBe(before?.rev);

      const more = await store().changeMessage(id, target.id, react('u2', '😂', 3));
      expect(more.message.reactions?.['😂']).toEqual({ count: 2, userIds: ['u1', 'u2'] });
      await store().changeMessage(id, target.id, unreact('u1', '❤️'));
      const fits = await store().changeMessage(id, target.id, react('u2', '🎉', 3));
      expect(Object.keys(fits.message.reactions ?? {})).toEqual(['👍', '😂', '🎉']);
    });

    it('counts reactions made at once exactly (through two instances on the same data when the store has them)', async () => {
      const id = await room();
      const target = await post(id, 'a');
      const [a, b] = await twoHandles();
      const everyone = users(40);
      // Every user twice, half through each instance: 40 changes, 40 repeats that change nothing.
      const added = await Promise.all(
        [...everyone, ...everyone].map((user, i) => (i % 2 === 0 ? a : b).changeMessage(id, target.id, react(user))),
      );
      const changed = added.filter((r) => r.changed);
      expect(changed).toHaveLength(everyone.length);
      expect(new Set(changed.map((r) => r.message.rev)).size).toBe(everyone.length);
      const after = await store().getMessage(id, target.id);
      expect(after?.reactions?.['👍']?.count).toBe(everyone.length);
      expect(after?.reactions?.['👍']?.userIds).toHaveLength(ID_LIMITS.reactionUserIds);
      expect(after?.rev).toBe(Math.max(...changed.map((r) => r.message.rev)));
      expect(await store().roomRev(id)).toBe(after?.rev);
      // The list holds the first users in the order the store took them.
      const inOrder = [...changed].sort((x, y) => x.message.rev - y.message.rev);
      const firstIn = inOrder.map((r) => r.message.reactions?.['👍']?.userIds.at(-1));
      expect(after?.reactions?.['👍']?.userIds).toEqual(firstIn.slice(0, ID_LIMITS.reactionUserIds));

      // Half take theirs back at once, while the other half react with a second emoji.
      const leaving = everyone.slice(0, 20);
      await Promise.all([
        ...leaving.map((user, i) => (i % 2 === 0 ? b : a).changeMessage(id, target.id, unreact(user))),
        ...everyone.slice(20).map((user, i) => (i % 2 === 0 ? a : b).changeMessage(id, target.id, react(user, '🎉'))),
      ]);
      const end = await store().getMessage(id, target.id);
      expect(end?.reactions?.['👍']?.count).toBe(20);
      expect(new Set(end?.reactions?.['👍']?.userIds)).toEqual(new Set(everyone.slice(20)));
      expect(end?.reactions?.['🎉']?.count).toBe(20);
    });

    it('never leaves text on a deleted message when an edit races the delete (and no reactions when reactions race it)', async () => {
      const id = await room();
      const [a, b] = await twoHandles();
      for (let i = 0; i < 8; i++) {
        const target = await post(id, `race-${i}`);
        const outcomes = await Promise.allSettled([
          a.changeMessage(id, target.id, edit(`edited ${i}`)),
          b.changeMessage(id, target.id, remove()),
          a.changeMessage(id, target.id, react('u2')),
          b.changeMessage(id, target.id, react('u3', '🎉')),
        ]);
        const end = await store().getMessage(id, target.id);
        expect(end).toMatchObject({ text: '', attachments: [], deletedAt: expect.any(String) as unknown });
        expect(end).not.toHaveProperty('reactions');
        expect(outcomes[1]).toMatchObject({ status: 'fulfilled', value: { changed: true } });
        const deleteRev = (outcomes[1] as PromiseFulfilledResult<{ message: Message }>).value.message.rev;
        expect(end?.rev).toBe(deleteRev);
        for (const outcome of [outcomes[0], outcomes[2], outcomes[3]]) {
          // Applied before the delete (a lower rev), or refused after it: never after it.
          if (outcome?.status === 'fulfilled') expect(outcome.value.message.rev).toBeLessThan(deleteRev);
          else expect(outcome?.reason).toMatchObject({ code: 'MESSAGE_NOT_FOUND' });
        }
      }
    });

    it('reads changed messages by rev with changedAfter: each once in its latest state, within minSeq..maxSeq, in pages', async () => {
      const id = await room();
      const m: Message[] = [];
      for (let i = 1; i <= 10; i++) m.push(await post(id, `c${i}`));
      const ids = (page: { messages: Message[]; hasMore: boolean }) => [page.messages.map((x) => x.seq), page.hasMore];
      expect(ids(await store().listMessages(id, { changedAfter: 0, limit: 10 }))).toEqual([[], false]);

      const change = async (seq: number, c: MessageChange) => (await store().changeMessage(id, (m[seq - 1] as Message).id, c)).message;
      await change(3, edit('three'));
      await change(5, react('u1'));
      await change(3, edit('three again'));
      await change(7, remove());
      await change(1, react('u2'));
      await change(5, react('u2'));
      await change(9, edit('nine'));
      // Latest changes, by rev: 3, 7, 1, 5, 9.
      expect(ids(await store().listMessages(id, { changedAfter: 0, limit: 2 }))).toEqual([[3, 7], true]);
      const all = await store().listMessages(id, { changedAfter: 0, limit: 10 });
      expect(ids(all)).toEqual([[3, 7, 1, 5, 9], false]);
      for (const message of all.messages) expect(await store().getMessage(id, message.id)).toEqual(message);
      expect(all.messages[0]?.text).toBe('three again');
      const revs = all.messages.map((x) => x.rev);
      expect(revs).toEqual([...revs].sort((x, y) => x - y));
      expect(revs.at(-1)).toBe(await store().roomRev(id));

      // Paging on from the last rev read gives every changed message once.
      const seen: number[] = [];
      let cursor = 0;
      for (;;) {
        const page = await store().listMessages(id, { changedAfter: cursor, limit: 2 });
        seen.push(...page.messages.map((x) => x.seq));
        if (!page.hasMore) break;
        cursor = page.messages.at(-1)?.rev ?? cursor;
      }
      expect(seen).toEqual([3, 7, 1, 5, 9]);

      const byRev = (i: number) => (all.messages[i] as Message).rev;
      expect(ids(await store().listMessages(id, { changedAfter: byRev(1), limit: 10 }))).toEqual([[1, 5, 9], false]);
      expect(ids(await store().listMessages(id, { changedAfter: byRev(4), limit: 10 }))).toEqual([[], false]);
      expect(ids(await store().listMessages(id, { changedAfter: 0, minSeq: 2, maxSeq: 8, limit: 10 }))).toEqual([[3, 7, 5], false]);
      expect(ids(await store().listMessages(id, { changedAfter: 0, minSeq: 2, maxSeq: 8, limit: 2 }))).toEqual([[3, 7], true]);
      expect(ids(await store().listMessages(id, { changedAfter: byRev(1), minSeq: 4, limit: 10 }))).toEqual([[5, 9], false]);
      expect(ids(await store().listMessages(id, { changedAfter: 0, maxSeq: 3, limit: 10 }))).toEqual([[3, 1], false]);
      expect(ids(await store().listMessages(freshRoomId('none'), { changedAfter: 0, limit: 10 }))).toEqual([[], false]);

      // A message changed again moves to the end, still once.
      await change(3, react('u3'));
      expect(ids(await store().listMessages(id, { changedAfter: 0, limit: 10 }))).toEqual([[7, 1, 5, 9, 3], false]);
    });

    it('keeps one rev counter per room, moved only by changes that change something', async () => {
      const a = await room();
      const b = await room();
      const inA = await post(a, 'x');
      const inB = await post(b, 'x');
      const first = await store().changeMessage(a, inA.id, react('u1'));
      await store().changeMessage(a, inA.id, react('u1'));
      await store().changeMessage(a, inA.id, unreact('u9'));
      expect(await store().roomRev(a)).toBe(first.message.rev);
      expect(await store().roomRev(b)).toBe(0);
      const inBChanged = await store().changeMessage(b, inB.id, edit('y'));
      expect(await store().roomRev(b)).toBe(inBChanged.message.rev);
      expect(await store().roomRev(a)).toBe(first.message.rev);
      // New messages do not move it.
      await post(a, 'later');
      expect(await store().roomRev(a)).toBe(first.message.rev);
    });

    it('is MESSAGE_NOT_FOUND for a message of another room, an unknown id or an unknown room, and changes nothing', async () => {
      const a = await room();
      const b = await room();
      const inA = await post(a, 'x');
      for (const [roomId, messageId] of [
        [b, inA.id],
        [a, 'no-such-message'],
        [freshRoomId('none'), inA.id],
      ] as const) {
        for (const change of [edit('y'), remove(), react('u1'), unreact('u1')]) {
          await expect(store().changeMessage(roomId, messageId, change)).rejects.toMatchObject({ code: 'MESSAGE_NOT_FOUND' });
        }
      }
      expect(await store().getMessage(a, inA.id)).toEqual(inA);
      expect([await store().roomRev(a), await store().roomRev(b)]).toEqual([0, 0]);
    });

    it('returns copies of changed messages: changing a result changes nothing stored', async () => {
      const id = await room();
      const target = await post(id, 'a', { mentions: ['u2'], attachments: [{ url: 'https://files.example/a.png', type: 'image/png' }] });
      const { message } = await store().changeMessage(id, target.id, react('u1'));
      const stored = structuredClone(message);
      message.reactions?.['👍']?.userIds.push('intruder');
      if (message.reactions?.['👍']) message.reactions['👍'].count = 99;
      message.mentions?.push('intruder');
      (message.attachments[0] as { url: string }).url = 'https://evil.example/';
      expect(await store().getMessage(id, target.id)).toEqual(stored);
      const page = await store().listMessages(id, { changedAfter: 0, limit: 10 });
      page.messages[0]?.reactions?.['👍']?.userIds.push('intruder');
      page.messages[0]?.mentions?.push('intruder');
      expect(await store().getMessage(id, target.id)).toEqual(stored);
      const again = await store().changeMessage(id, target.id, react('u2'));
      expect(again.message.reactions?.['👍']).toEqual({ count: 2, userIds: ['u1', 'u2'] });
      expect(again.message.mentions).toEqual(['u2']);
    });
  });
}
