// @vitest-environment jsdom
import { render } from 'lit';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '@chat/client';
import { groupMessages } from '../group-messages.js';
import { loadLocale, resolveStrings } from '../i18n/locales.js';
import { createMessageTools } from '../message-tools/message-tools.js';
import { fileSize } from './attachments.js';
import { highlight, renderMessageList, type MessageListView, type MessageUi, type Notice } from './message-list.js';

// Spanish is loaded on demand (the widget does it for its `lang`).
beforeAll(() => loadLocale('es'));

const at = (daysAgo: number, hour: number, minute = 0) => {
  const now = new Date();
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() - daysAgo, hour, minute).toISOString();
};
const msg = (seq: number, userId: string, createdAt: string, extra: Partial<Message> = {}): Message => ({
  id: `m${seq}`,
  roomId: 'r',
  seq,
  clientId: `c${seq}`,
  user: { id: userId, name: userId },
  text: `text ${seq}`,
  attachments: [],
  createdAt,
  rev: 0,
  ...extra,
});
const noop = () => undefined;
const ui: MessageUi = {
  active: undefined,
  mode: undefined,
  reply: noop,
  choose: noop,
  react: noop,
  edit: noop,
  save: noop,
  cancel: noop,
  _askDelete: noop,
  delete: noop,
  _askReport: noop,
  report: noop,
  jump: noop,
  thread: noop,
  _line: (m) => m.text,
  // In: the log draws a message's actions once the message tools' chunk is.
  _tools: createMessageTools({ renderRoot: document.createElement('div') }),
};

/** The log of `messages` rendered in `lang`, into a new element. */
function rendered(messages: Message[], lang: string, notices: Notice[] = []): HTMLElement {
  const view: MessageListView = {
    messages,
    all: messages,
    more: false,
    _notices: notices,
    outbox: [],
    selfId: 'ana',
    moderator: false,
    selfName: 'ana',
    _textLang: undefined,
    names: new Map(),
    reacted: () => false,
    threadUnread: () => 0,
    ui,
    strings: resolveStrings(lang),
    lang,
    _timeFormat: new Intl.DateTimeFormat(lang, { hour: 'numeric', minute: '2-digit' }),
    _dayFormat: new Intl.DateTimeFormat(lang, { dateStyle: 'full' }),
    _files: { _onView: noop, _sealed: () => undefined, _voice: () => undefined },
    _atBeginning: false,
    loadingOlder: false,
    _onRetry: undefined,
    _onDiscard: noop,
  };
  const root = document.createElement('div');
  render(renderMessageList(view), root);
  return root;
}

/** The log's lines (days, texts, notices, attachments) for `messages`, rendered in `lang`. */
function lines(messages: Message[], lang: string, notices: Notice[] = []): string[] {
  return Array.from(rendered(messages, lang, notices).querySelectorAll('[part=day], [part=notice], .text, .file, .thumb')).map((n) =>
    n.matches('[part=day]')
      ? `-- ${n.textContent} --`
      : n.matches('[part=notice]')
        ? `(${n.textContent})`
        : n.matches('.thumb')
          ? `[${n.getAttribute('aria-label')}: ${n.querySelector('img')?.alt}]`
          : (n.textContent ?? ''),
  );
}

describe('date lines in the log', () => {
  const fourDaysAgo = at(4, 9);
  const messages = [
    msg(1, 'luis', fourDaysAgo),
    msg(2, 'luis', at(4, 9, 1)),
    // Luis again, a minute before and after midnight: two groups, two days.
    msg(3, 'luis', at(1, 23, 59)),
    msg(4, 'luis', at(0, 0, 1)),
    msg(5, 'ana', at(0, 10)),
  ];

  it('puts "Today", "Yesterday" or the date above the first messages of each day (en)', () => {
    const date = new Intl.DateTimeFormat('en', { dateStyle: 'full' }).format(new Date(fourDaysAgo));
    expect(lines(messages, 'en')).toEqual([
      `-- ${date} --`,
      'text 1',
      'text 2',
      '-- Yesterday --',
      'text 3',
      '-- Today --',
      'text 4',
      'text 5',
    ]);
  });

  it('in the widget language (es)', () => {
    const date = new Intl.DateTimeFormat('es', { dateStyle: 'full' }).format(new Date(fourDaysAgo));
    expect(date).toMatch(/de/u); // "lunes, 5 de enero de 2026"
    expect(lines(messages, 'es')).toEqual([`-- ${date} --`, 'text 1', 'text 2', '-- Ayer --', 'text 3', '-- Hoy --', 'text 4', 'text 5']);
  });

  it('a message with no valid time gets no line, and does not break the list', () => {
    expect(lines([msg(1, 'luis', 'not a time'), msg(2, 'luis', at(0, 10))], 'en')).toEqual(['text 1', '-- Today --', 'text 2']);
  });

  it('the first day line comes before a notice from before the first message; a break in the history stays above it', () => {
    // Luis joined an empty room (after seq 0), then wrote; Ana joined after his message.
    const notices: Notice[] = [
      { id: 1, text: 'Luis joined', _afterSeq: 0 },
      { id: 2, text: 'Ana joined', _afterSeq: 1 },
    ];
    expect(lines([msg(1, 'luis', at(0, 10)), msg(2, 'luis', at(0, 11))], 'en', notices)).toEqual([
      '-- Today --',
      '(Luis joined)',
      'text 1',
      '(Ana joined)',
      'text 2',
    ]);
    // A break in the history stays above the day line: the history started over before it.
    expect(
      lines([msg(1, 'luis', at(0, 10))], 'en', [...notices.slice(0, 1), { id: 4, text: 'History reset', _afterSeq: 0, kind: 'reset' }]),
    ).toEqual(['(History reset)', '-- Today --', '(Luis joined)', 'text 1']);
    // The unread line of a direct room never read (after seq 0), above older messages.
    const date = new Intl.DateTimeFormat('en', { dateStyle: 'full' }).format(new Date(fourDaysAgo));
    expect(lines(messages.slice(0, 3), 'en', [{ id: 3, text: 'New messages', _afterSeq: 0, kind: 'new' }])).toEqual([
      `-- ${date} --`,
      '(New messages)',
      'text 1',
      'text 2',
      '-- Yesterday --',
      'text 3',
    ]);
  });

  it('a group of one sender is split at midnight', () => {
    expect(groupMessages(messages).map((g) => g.messages.map((m) => m.seq))).toEqual([[1, 2], [3], [4], [5]]);
  });
});

describe('attachments of received messages', () => {
  it('images as thumbnails that open the full view, other files as links with name and size; names as text', () => {
    const message = msg(1, 'luis', at(0, 9), {
      attachments: [
        { url: 'https://files.example/a.png', type: 'image/png', name: 'dot.png', size: 67 },
        { url: 'https://files.example/b.pdf', type: 'application/pdf', name: '<b>report</b>.pdf', size: 1_572_864 },
        { url: 'javascript:alert(1)', type: 'application/pdf', name: 'evil.pdf' },
      ],
    });
    // The image's text alternative is its name; the file link's icon is SVG, no character.
    expect(lines([message], 'en').slice(2)).toEqual(['[View dot.png: dot.png]', ' <b>report</b>.pdf (1.5 MB)']);
  });

  it('sizes in the language', () => {
    expect([fileSize(512, 'en'), fileSize(2048, 'en'), fileSize(1_572_864, 'es')]).toEqual(['512 bytes', '2 kB', '1,5 MB']);
  });
});

describe('the @You mark in a message that mentions you', () => {
  it('marks @Name where it is the whole name, not the start of a longer one (@Luisa for Luis)', () => {
    expect(highlight('ping @Luisa and @Luis', '@Luis')).toEqual(['ping @Luisa and ', '@Luis', '']);
    expect(highlight('@luis, @Luis2 @Luisito @Luís', '@Luis')).toEqual(['', '@luis', ', @Luis2 @Luisito @Luís']);
    expect(highlight('@Lucía Pérez: hola @Lucía Pérezz', '@Lucía Pérez')).toEqual(['', '@Lucía Pérez', ': hola @Lucía Pérezz']);
    expect(highlight('@Ana.@Ana', '@Ana')).toEqual(['', '@Ana', '.', '@Ana', '']);
    expect(highlight('@a@a@a', '@a@a')).toEqual(['', '@a@a', '@a']);
  });
});

describe('the actions of your own messages', () => {
  const actions = (m: Message) =>
    Array.from(rendered([m], 'en').querySelectorAll('.actions button'), (b) => b.className).filter((c) => c !== 'act-thread');

  it('offer Edit where the text can be edited here, not on a call line or a message this device cannot read', () => {
    expect(actions(msg(1, 'ana', at(0, 10)))).toEqual(['act-reply', 'act-react', 'act-edit', 'act-delete']);
    // A call's line has no text to edit (its editor never opened, and focus was lost).
    expect(actions(msg(2, 'ana', at(0, 10), { text: '', system: { type: 'call:started', callId: 'c', kind: 'video' } }))).toEqual([
      'act-reply',
      'act-react',
      'act-delete',
    ]);
    expect(actions(msg(3, 'ana', at(0, 10), { undecryptable: true }))).toEqual(['act-reply', 'act-react', 'act-delete']);
  });
});

describe("an erased person's messages", () => {
  it('name them "Deleted user" in the language shown, not the name the server sent', () => {
    const erased = { id: 'erased-user', name: 'as the server names them' };
    const placeholder = (seq: number) => msg(seq, 'erased-user', at(0, 10, seq), { user: erased, text: '', deletedAt: at(0, 11) });
    for (const [lang, name] of [
      ['en', 'Deleted user'],
      ['es', 'Usuario eliminado'],
    ] as const) {
      const names = Array.from(rendered([placeholder(1), placeholder(2)], lang).querySelectorAll('.name'), (n) => n.textContent?.trim());
      expect(names).toEqual([name]);
    }
  });
});
