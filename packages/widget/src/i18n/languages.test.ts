// Every built-in language has every text of the widget (its parts' included) and a sentence for
// every error code, and each of its sentences with a number, a name or a choice reads as one.
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@chat/client';
import { callEn } from '../call/call-strings.js';
import { callLinesEn } from '../call-lines/call-line-strings.js';
import { originEn } from '../chat-room/origin-strings.js';
import { inboxEn } from '../chat-inbox/inbox-strings.js';
import { fileEn } from '../e2ee/file-strings.js';
import { keyEn } from '../e2ee/key-strings.js';
import { liveReactionsEn } from '../live-reactions/live-reaction-strings.js';
import { toolsEn } from '../message-tools/tool-strings.js';
import { moderationEn } from '../moderation/moderation-strings.js';
import { panelsEn } from '../panels/panel-strings.js';
import { pickersEn } from '../pickers/picker-strings.js';
import { pinsEn } from '../pins/pin-strings.js';
import { pollsEn } from '../polls/poll-strings.js';
import { previewsEn } from '../previews/preview-strings.js';
import { questionsEn } from '../questions/question-strings.js';
import { pushEn } from '../push/push-strings.js';
import { searchEn } from '../search/search-strings.js';
import { threadEn } from '../threads/thread-strings.js';
import { uploadsEn } from '../uploads/upload-strings.js';
import { recorderEn } from '../voice/recorder-strings.js';
import { voiceEn } from '../voice/voice-strings.js';
import { en } from './en.js';
import { builtInLanguages, load } from './languages.js';
import type { ChatStrings } from './strings.js';

/** English, with the texts of every part loaded on first use: the keys every language must have. */
const english: Record<string, unknown> = {
  ...en,
  ...callEn,
  ...callLinesEn,
  ...originEn,
  ...inboxEn,
  ...fileEn,
  ...keyEn,
  ...liveReactionsEn,
  ...toolsEn,
  ...moderationEn,
  ...panelsEn,
  ...pickersEn,
  ...pinsEn,
  ...pollsEn,
  ...previewsEn,
  ...questionsEn,
  ...pushEn,
  ...searchEn,
  ...threadEn,
  ...uploadsEn,
  ...voiceEn,
  ...recorderEn,
  you: en.you,
};

/** What each text that is a function is called with: every branch it may take. */
const SAMPLES: Record<string, unknown[][]> = {
  callPerson: [['Ana']],
  incomingCall: [
    ['Ana', true],
    ['Ana', false],
  ],
  callLabel: [[true], [false]],
  calling: [['Ana']],
  joinedCall: [['Ana']],
  leftCall: [['Ana']],
  missedCall: [['Ana']],
  callGoingOn: [['Ana']],
  devicesFailed: ['blocked', 'missing', 'busy'].flatMap((why) => [
    [true, why],
    [false, why],
  ]),
  keyChanged: [['Ana']],
  sendLiveReaction: [['👏']],
  fileOpening: [['plan.pdf']],
  fileFailed: [['plan.pdf']],
  confirmAction: [['Ban', 'Ana']],
  everySeconds: [[10], [120]],
  membersShown: [[50, 120]],
  pinnedCount: [[1], [2], [5], [22]],
  unpinMessage: [['Agenda']],
  pollLegend: [[true], [false]],
  pollResult: [
    [1, 50],
    [2, 25],
    [5, 10],
    [22, 5],
  ],
  pollTotal: [[1], [2], [5], [22]],
  pollClosesAt: [['10:30']],
  pollOption: [[1]],
  removeOption: [[3]],
  questionsTab: [[0], [1], [2], [5], [22]],
  upvoteQuestion: [[0], [1], [2], [5], [22]],
  moreQuestionsShown: [[0], [1], [2], [5], [22], [101]],
  voiceAt: [['0:03', '0:12']],
  searchFound: [
    [1, false],
    [2, true],
    [5, false],
    [22, false],
  ],
  threadOpened: [['Ana']],
  uploading: [['plan.pdf']],
  removeFile: [['plan.pdf']],
  membersCount: [[1], [2], [5], [22]],
  typing: [[['Ana']], [['Ana', 'Luis']], [['Ana', 'Luis', 'Eva']], [['Ana', 'Luis', 'Eva', 'Leo', 'Mia']]],
  joined: [['Ana']],
  left: [['Ana']],
  newMessages: [[1], [2], [5], [22]],
  replyingTo: [['Agenda']],
  replyCount: [[1], [2], [5], [22]],
  reactedBy: [
    [['Ana'], 0],
    [['Ana', 'Luis'], 0],
    [['Ana', 'Luis'], 3],
  ],
  replyingToLabel: [['Agenda']],
  originRefused: [['https://chat.example', 'https://page.example']],
  viewImage: [['photo.png']],
  lastSeen: [['10:30']],
  backTo: [['Ana']],
  unread: [[1], [2], [5], [22]],
  mentions: [[1], [2], [5], [22]],
  callStartedLine: [
    ['Ana', true],
    ['Ana', false],
  ],
  callEndedLine: [
    [true, '2:05'],
    [false, '2:05'],
  ],
  missedCallLine: [
    ['Ana', true],
    ['Ana', false],
  ],
  mutedUntil: [['10:30']],
  slowWait: [[30]],
  kickedLine: [[undefined], ['spam']],
  bannedLine: [
    [undefined, undefined],
    ['10:30', 'spam'],
  ],
};

/** Texts that name only some of what they are given (the first names of a list), or none of it. */
const SUMMED = new Set(['typing', 'reactedBy', 'originRefused']);

describe('the built-in languages', () => {
  it('are twelve with English, two of them written right to left', () => {
    expect(['en', ...builtInLanguages].length).toBeGreaterThanOrEqual(12);
    // Written right to left: Arabic, Hebrew, Persian, Urdu.
    expect(builtInLanguages.filter((code) => ['ar', 'he', 'fa', 'ur'].includes(code)).length).toBeGreaterThanOrEqual(2);
  });

  it('every function among the English texts has its samples here', () => {
    const functions = Object.keys(english).filter((key) => typeof english[key] === 'function');
    expect(functions.filter((key) => !SAMPLES[key])).toEqual([]);
  });

  for (const code of builtInLanguages) {
    describe(code, () => {
      const table = async (): Promise<Record<string, unknown> & ChatStrings> => {
        const strings = await load(code, new Map());
        expect(strings, `${code} is a table of its own`).not.toBe(en);
        return strings as Record<string, unknown> & ChatStrings;
      };

      it('has every text, of the same kind as the English one, and no other', async () => {
        const strings = await table();
        for (const [key, value] of Object.entries(english)) {
          expect(typeof strings[key], `${code}.${key}`).toBe(typeof value);
          if (typeof value === 'string') expect((strings[key] as string).trim(), `${code}.${key}`).not.toBe('');
        }
        const extra = Object.keys(strings).filter((key) => !(key in english) && key !== 'errors');
        expect(extra, `${code}: keys English does not have`).toEqual([]);
      });

      it('says every error code in its own words', async () => {
        const { errors } = await table();
        expect(errors?.lang).toBe(code);
        for (const error of Object.values(ErrorCode)) expect(errors?.[error]?.trim(), `${code}.errors.${error}`).toBeTruthy();
        for (const where of ['name', 'file'] as const)
          expect(Object.keys(errors?.[where] ?? {}).length, `${code}.errors.${where}`).toBeGreaterThan(0);
      });

      it('gives a whole sentence for every sample of every text with a value in it', async () => {
        const strings = await table();
        for (const [key, samples] of Object.entries(SAMPLES)) {
          const say = strings[key] as (...args: unknown[]) => string;
          for (const args of samples) {
            const said = say(...args);
            expect(typeof said, `${code}.${key}(${JSON.stringify(args)})`).toBe('string');
            expect(said, `${code}.${key}(${JSON.stringify(args)})`).not.toMatch(/undefined|NaN|\[object|^\s*$/u);
            for (const arg of args.flat()) {
              // Names, quotes, times and reasons appear as given; numbers as the language writes them.
              if (typeof arg === 'string' && !['blocked', 'missing', 'busy'].includes(arg) && !SUMMED.has(key))
                expect(said, `${code}.${key}(${JSON.stringify(args)})`).toContain(arg);
            }
          }
        }
      });
    });
  }
});

describe("the service worker's notification words", () => {
  /** The words chat-sw.js picks for a reader whose browser is in `code`. */
  const wordsFor = (code: string) => {
    const self = { addEventListener: () => undefined, navigator: { languages: [code] }, location: { origin: 'https://portal.example' } };
    const context: { self: typeof self; strings?: () => Record<string, unknown> } = { self };
    runInNewContext(readFileSync(new URL('../../chat-sw.js', import.meta.url), 'utf8'), context);
    return (context.strings as () => Record<string, unknown>)();
  };

  it('are in every built-in language', () => {
    const english = wordsFor('en');
    for (const code of builtInLanguages) {
      const words = wordsFor(`${code}-XX`);
      expect(words, code).not.toBe(english);
      expect(Object.keys(words).sort(), code).toEqual(Object.keys(english).sort());
      const inRoom = words['inRoom'] as (sender: string, room: string) => string;
      const more = words['more'] as (n: number) => string;
      expect(inRoom('Ana', 'Plaza'), code).toMatch(/Ana.*Plaza|Plaza.*Ana/su);
      for (const n of [1, 2, 5, 22]) expect(more(n), `${code} more(${n})`).not.toMatch(/undefined|NaN/u);
      for (const key of ['attachment', 'encrypted', 'newMessage']) expect(String(words[key]).trim(), `${code}.${key}`).not.toBe('');
    }
  });
});
