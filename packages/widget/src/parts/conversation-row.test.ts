// @vitest-environment jsdom
import { render } from 'lit';
import { describe, expect, it } from 'vitest';
import type { Message, RoomSummary } from '@chat/client';
import { resolveStrings } from '../i18n/locales.js';
import { conversationRow, type ConversationRowView } from './conversation-row.js';

const last = (extra: Partial<Message> = {}): Message => ({
  id: 'm1',
  roomId: 'dm',
  seq: 1,
  clientId: 'c1',
  user: { id: 'chloe', name: 'Chloé' },
  text: 'bonjour à tous',
  attachments: [],
  createdAt: new Date().toISOString(),
  rev: 0,
  ...extra,
});
const summary = (message: Message | undefined): RoomSummary =>
  ({
    room: { id: 'dm', options: { direct: true, private: true } },
    unread: 0,
    mentions: 0,
    readSeq: 0,
    ...(message && { lastMessage: message }),
  }) as unknown as RoomSummary;
const view = (textLang: string | undefined): ConversationRowView => ({
  name: 'Chloé',
  people: [{ id: 'chloe', name: 'Chloé' }],
  presence: undefined,
  strings: resolveStrings('en'),
  when: '10:42',
  selfId: 'ana',
  _textLang: textLang,
});
/** The row's preview line, and the language marked on its message text (null: none). */
function preview(message: Message | undefined, textLang: string | undefined): [string, string | null] {
  const root = document.createElement('div');
  render(conversationRow(summary(message), view(textLang)), root);
  return [root.querySelector('small')?.textContent ?? '', root.querySelector('small [lang]')?.getAttribute('lang') ?? null];
}

describe('a conversation row (the last message as a preview)', () => {
  it("marks the text with the page's language when the widget shows another (WCAG 3.1.2), only the text", () => {
    expect(preview(last(), 'fr')).toEqual(['Chloé: bonjour à tous', 'fr']);
    expect(preview(last(), undefined)).toEqual(['Chloé: bonjour à tous', null]);
  });

  it('your own message reads "You", a file-only message and a deleted one in the widget language (not marked)', () => {
    expect(preview(last({ user: { id: 'ana', name: 'Ana' } }), 'fr')).toEqual(['You: bonjour à tous', 'fr']);
    const file = { url: 'https://files.example/a.pdf', type: 'application/pdf', name: 'a.pdf' };
    expect(preview(last({ text: '', attachments: [file] }), 'fr')[1]).toBeNull();
    expect(preview(last({ deletedAt: new Date().toISOString(), text: '' }), 'fr')).toEqual(['Chloé: a deleted message', null]);
    expect(preview(undefined, 'fr')).toEqual(['', null]);
  });
});
