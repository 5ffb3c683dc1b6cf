import { io as ioClient } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import type { ChatErrorData } from '@chat/protocol';
import { eachRedis, startClusterChats } from '../../../../../test-support/cluster.js';
import { rawSocket, request, startChat, track, type TestChat } from '../../../../../test-support/servers.js';

// The attacker's names, each tried next to "Ana": it must be NAME_TAKEN in the room, or refused
// at sign-in with a sentence. Never a second "Ana" that looks the same.
const TAKEN = 'NAME_TAKEN';
const table: Array<[string, string, string | RegExp]> = [
  ['lower case', 'ana', TAKEN],
  ['upper case', 'ANA', TAKEN],
  ['zero-width space', 'A\u200Bna', TAKEN],
  ['zero-width joiner', 'A\u200Dna', TAKEN],
  ['zero-width non-joiner', 'An\u200Ca', TAKEN],
  ['word joiner', 'A\u2060na', TAKEN],
  ['byte order mark', '\uFEFFAna', TAKEN],
  ['soft hyphen', 'Ana\u00AD', TAKEN],
  ['combining grapheme joiner', 'A\u034Fna', TAKEN],
  ['Mongolian vowel separator', 'Ana\u180E', TAKEN],
  ['variation selector', 'Ana\uFE0F', TAKEN],
  ['Cyrillic А', '\u0410na', TAKEN],
  ['Cyrillic а and А', '\u0410n\u0430', TAKEN],
  ['Greek capitals', '\u0391\u039D\u0391', TAKEN],
  ['fullwidth letters', '\uFF21\uFF4E\uFF41', TAKEN],
  ['Hangul filler in front', '\u3164Ana', TAKEN],
  ['halfwidth Hangul filler', 'Ana\uFFA0', TAKEN],
  ['Hangul choseong filler', 'Ana\u115F', TAKEN],
  ['braille blank after', 'Ana\u2800', TAKEN],
  ['no-break and ideographic spaces', '\u00A0Ana\u3000', TAKEN],
  ['RTL override', '\u202EanA', /text-direction control characters/u],
  ['LTR override', 'Ana\u202D', /text-direction control characters/u],
  ['isolates', '\u2066Ana\u2069', /text-direction control characters/u],
  ['right-to-left mark', 'Ana\u200F', /text-direction control characters/u],
  ['Arabic letter mark', 'Ana\u061C', /text-direction control characters/u],
  ['C1 control (NEL)', 'A\u0085na', /control characters/u],
  ['C1 control (CSI)', 'Ana\u009B', /control characters/u],
  ['NUL', 'Ana\u0000', /control characters/u],
  ['lone surrogate', 'Ana\uD800', /valid Unicode/u],
  ['braille blank only', '\u2800', /choose a name/u],
  ['Hangul filler only', '\u3164', /choose a name/u],
  ['Hangul jamo fillers only', '\u115F\u1160', /choose a name/u],
  ['zero-width only', '\u200B\u200B', /choose a name/u],
  ['soft hyphen only', '\u00AD', /choose a name/u],
];

type Outcome = string;

// What happens to `name` when it tries to join `roomId` on `url`: 'joined', an error code, or the sign-in refusal.
async function tryJoin(url: string, roomId: string, name: string): Promise<Outcome> {
  const socket = ioClient(url, { auth: { name }, transports: ['websocket'], reconnection: false, forceNew: true });
  track(() => void socket.disconnect());
  const connected = await new Promise<true | ChatErrorData | undefined>((resolve) => {
    socket.once('connect', () => resolve(true));
    socket.once('connect_error', (error: Error & { data?: ChatErrorData }) => resolve(error.data));
  });
  if (connected !== true) return `${connected?.code}: ${connected?.message}`;
  const ack = (await (socket.timeout(5000) as unknown as { emitWithAck(e: string, p: unknown): Promise<unknown> }).emitWithAck(
    'room:join',
    {
      roomId,
    },
  )) as { ok: boolean; error?: ChatErrorData };
  return ack.ok ? 'joined' : `${ack.error?.code}: ${ack.error?.message}`;
}

function expectOutcome(outcome: Outcome, expected: string | RegExp, label: string): void {
  if (expected === TAKEN) {
    expect(outcome, label).toMatch(/^NAME_TAKEN: Someone in this room is already called ".+"\. Please choose another name\.$/u);
  } else {
    expect(outcome, label).toMatch(/^UNAUTHENTICATED: [A-Z]/u);
    expect(outcome, label).toMatch(expected);
  }
}

describe('look-alike and invisible names cannot pass for another member', () => {
  it.each(table)('%s (%j) next to "Ana"', async (label, name, expected) => {
    const { url } = await startChat();
    const ana = await rawSocket(url, { name: 'Ana' });
    expect(await request(ana, 'room:join', { roomId: 'lobby' })).toMatchObject({ ok: true });
    expectOutcome(await tryJoin(url, 'lobby', name), expected, label);
  });

  it('names in any script still join side by side, shown as cleaned', async () => {
    const { url } = await startChat();
    const names = ['José', 'Jose', 'محمد', '李雷', 'Ana 🎉', 'Ana', '👩‍💻 Dev', 'Zoë'];
    for (const name of names) expect(await tryJoin(url, 'world', name), name).toBe('joined');
    const probe = await rawSocket(url, { name: '  Lu\u200Bis\u00AD ' });
    const joined = await request(probe, 'room:join', { roomId: 'world' });
    expect(joined.ok && joined.data.members.map((m) => m.name).sort()).toEqual([...names, 'Luis'].sort());
  });
});

describe('a custom authenticate that passes names through gets the same rules', () => {
  it('cleans its names for NAME_TAKEN, refuses controls, and shows the cleaned name', async () => {
    const { url } = await startChat({
      authenticate: (handshake) => ({ id: String(handshake.auth['id']), name: String(handshake.auth['name']) }),
    });
    const ana = await rawSocket(url, { id: 'ana', name: 'Ana' });
    expect(await request(ana, 'room:join', { roomId: 'lobby' })).toMatchObject({ ok: true });
    const spoof = await rawSocket(url, { id: 'mallory', name: '\u0410n\u0430\u200B' });
    expect(await request(spoof, 'room:join', { roomId: 'lobby' })).toMatchObject({ ok: false, error: { code: 'NAME_TAKEN' } });
    const cleaned = await rawSocket(url, { id: 'luis', name: ' Lu\u00ADis\u2800' });
    const joined = await request(cleaned, 'room:join', { roomId: 'lobby' });
    expect(joined.ok && joined.data.members.map((m) => m.name).sort()).toEqual(['Ana', 'Luis']);
    for (const name of ['\u202EanA', '\u2800', 'A\u0085na']) {
      const outcome = await tryJoin(url, 'lobby', name);
      expect(outcome, JSON.stringify(name)).toMatch(/^UNAUTHENTICATED: This display name cannot be used: [A-Z]/u);
    }
  });
});

eachRedis('look-alike names across processes', (redis) => {
  it('a look-alike on the other server is NAME_TAKEN too', async () => {
    const [a, b] = (await startClusterChats(2, {}, redis())) as [TestChat, TestChat];
    const ana = await rawSocket(a.url, { name: 'Ana' });
    expect(await request(ana, 'room:join', { roomId: 'town' })).toMatchObject({ ok: true });
    for (const [label, name, expected] of table) expectOutcome(await tryJoin(b.url, 'town', name), expected, label);
    // The key is freed when Ana leaves: a look-alike may then join.
    expect(await request(ana, 'room:leave', { roomId: 'town' })).toMatchObject({ ok: true });
    expect(await tryJoin(b.url, 'town', '\u0410na')).toBe('joined');
  });
});
