import { describe, expect, it } from 'vitest';
import { ChatError, type Message } from '@chat/protocol';
import type { ChatStore } from '../core/chat-store.js';
import type { MessageSearchPage } from '../core/search-records.js';
import { draft, freshRoomId } from './fixtures.js';

const texts = (page: MessageSearchPage) => page.messages.map((m) => m.text);

/**
 * The `ChatStore` cases about message search: newest first, only the rooms asked, deleted
 * messages never, edits by their new text, case and accents folded, web-search operators, cursor
 * pages, and input that finds nothing rather than failing. Part of `describeStoreConformance`.
 */
export function describeSearchConformance(store: () => ChatStore): void {
  describe('message search', () => {
    async function room(...lines: string[]): Promise<{ id: string; messages: Message[] }> {
      const id = freshRoomId('search');
      await store().createRoom({ id });
      const messages: Message[] = [];
      for (const [i, text] of lines.entries()) messages.push((await store().appendMessage(draft(id, `c${i}`, text))).message);
      return { id, messages };
    }
    const search = (roomIds: string[], query: string, limit = 20, before?: string) =>
      store().searchMessages({ roomIds, query, limit, ...(before === undefined ? {} : { before }) });

    it('finds words in the rooms asked only, newest first, in any case and with or without accents', async () => {
      const a = await room('Lunch at the café?', 'unrelated', 'CAFE closes at five');
      const b = await room('the cafe downstairs');
      const hidden = await room('secret cafe plans');
      const page = await search([a.id, b.id], 'cafe');
      expect(page.messages.map((m) => m.id).sort()).toEqual([a.messages[0]!.id, a.messages[2]!.id, b.messages[0]!.id].sort());
      expect(page.next).toBeUndefined();
      const times = page.messages.map((m) => m.createdAt);
      expect(times).toEqual([...times].sort().reverse());
      expect(texts(await search([a.id], 'CAFÉ'))).toEqual(['CAFE closes at five', 'Lunch at the café?']);
      expect(texts(await search([a.id], 'secret'))).toEqual([]);
      expect(texts(await search([a.id, hidden.id], 'secret'))).toEqual(['secret cafe plans']);
      expect(await search([], 'cafe')).toEqual({ messages: [] });
      expect(texts(await search([a.id], 'caf'))).toEqual([]); // whole words, not substrings
    });

    it('never finds a deleted message, and finds an edited one by its new text only', async () => {
      const r = await room('the blue door', 'the red door', 'the green door');
      await store().changeMessage(r.id, r.messages[0]!.id, { type: 'delete', at: new Date().toISOString() });
      await store().changeMessage(r.id, r.messages[1]!.id, { type: 'edit', text: 'the yellow gate', at: new Date().toISOString() });
      expect(texts(await search([r.id], 'door'))).toEqual(['the green door']);
      expect(texts(await search([r.id], 'blue'))).toEqual([]);
      expect(texts(await search([r.id], 'red'))).toEqual([]);
      expect(texts(await search([r.id], 'yellow gate'))).toEqual(['the yellow gate']);
    });

    it('reads quoted phrases, -word and or as a web search does', async () => {
      const r = await room('release notes for version two', 'notes about the release', 'version two is out', "don't panic");
      expect(texts(await search([r.id], '"release notes"'))).toEqual(['release notes for version two']);
      expect(texts(await search([r.id], 'release -version'))).toEqual(['notes about the release']);
      expect(texts(await search([r.id], 'panic or out'))).toEqual(["don't panic", 'version two is out']);
      expect(texts(await search([r.id], 'notes release'))).toEqual(['notes about the release', 'release notes for version two']);
      expect(texts(await search([r.id], '"version two'))).toEqual(['version two is out', 'release notes for version two']);
      expect(texts(await search([r.id], "don't"))).toEqual(["don't panic"]);
    });

    it('takes % and _ as punctuation, not as patterns, and finds nothing (no error) for operators alone', async () => {
      const r = await room('50% off today', 'snake_case names', 'plain words');
      for (const query of ['%', '_', '%%', '"', '""', '-', '- -', '-plain', '"  "', '*', '!', '&', '|', '(', ')', ':*', "'"]) {
        expect(await search([r.id], query), query).toEqual({ messages: [] });
      }
      expect(texts(await search([r.id], '50%'))).toEqual(['50% off today']);
      expect(texts(await search([r.id], 'snake_case'))).toEqual(['snake_case names']);
      expect(texts(await search([r.id], 'plain & (words)'))).toEqual(['plain words']);
    });

    it('pages with the cursor, newest first, each message once', async () => {
      const r = await room('note 1', 'note 2', 'note 3', 'note 4', 'note 5', 'other');
      const first = await search([r.id], 'note', 2);
      expect(texts(first)).toEqual(['note 5', 'note 4']);
      const second = await search([r.id], 'note', 2, first.next);
      expect(texts(second)).toEqual(['note 3', 'note 2']);
      const third = await search([r.id], 'note', 2, second.next);
      expect(third).toEqual({ messages: [expect.objectContaining({ text: 'note 1' })] });
      expect(texts(await search([r.id], 'note', 3))).toEqual(['note 5', 'note 4', 'note 3']);
    });

    it('refuses a cursor it did not hand out with VALIDATION_FAILED', async () => {
      const r = await room('note');
      for (const before of ['nope', Buffer.from('[1,2]').toString('base64url'), Buffer.from('["x","r",1]').toString('base64url')]) {
        await expect(search([r.id], 'note', 5, before)).rejects.toSatisfy(
          (e: unknown) => e instanceof ChatError && e.code === 'VALIDATION_FAILED',
        );
      }
    });
  });
}
