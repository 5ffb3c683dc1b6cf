import { expect, it } from 'vitest';
import type { AckResponse, ChatUser, MessageSearchResult } from '@chat/protocol';
import { okData, rawSocket, request, type RawSocket } from '../../../../../test-support/servers.js';
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

const found = (result: MessageSearchResult) => result.results.map((r) => r.message.text);
const searchAs = (socket: RawSocket, payload: Record<string, unknown>) => request(socket, 'message:search', payload as never);
async function texts(socket: RawSocket, payload: Record<string, unknown>): Promise<string[]> {
  return found(okData(await searchAs(socket, payload)));
}

// Room for the many searches of one test (a storm has its own test, with the default budget).
const roomy = { eventBurst: 1000, eventsPerSecond: 1000 };

eachStore('message search', (store) => {
  it('finds words in the rooms the user reads, newest first, with the room, a highlight and a cursor', async () => {
    const { url, chat, rest } = await startWithRest({ store: store(), limits: roomy });
    const [ana, luis] = [fresh('ana'), fresh('luis')];
    const [town, market, elsewhere] = [fresh('town'), fresh('market'), fresh('elsewhere')];
    const anaSocket = await connect(url, ana);
    const luisSocket = await connect(url, luis);
    for (const room of [town, market]) await join(anaSocket, room);
    await join(luisSocket, elsewhere);
    await say(anaSocket, town, 'The Fiesta starts at nine');
    await say(luisSocket, elsewhere, 'fiesta in a room Ana never joined');
    const gone = await say(anaSocket, market, 'fiesta plans to delete');
    const edited = await say(anaSocket, market, 'a quiet evening');
    await say(anaSocket, market, `${'x '.repeat(100)}then the fiesta, in a long message`);
    await chat.deleteMessage(market, gone.id);
    await chat.editMessage(market, edited.id, 'a fiesta after all');

    const result = okData(await searchAs(anaSocket, { query: 'FIESTA' }));
    // Newest first: by time, then (in the same millisecond) room and seq, both descending.
    const newestFirst = [...result.results].sort(
      (a, b) =>
        b.message.createdAt.localeCompare(a.message.createdAt) ||
        (a.roomId < b.roomId ? 1 : a.roomId > b.roomId ? -1 : b.message.seq - a.message.seq),
    );
    expect(result.results).toEqual(newestFirst);
    expect(found(result).sort()).toEqual(
      ['The Fiesta starts at nine', 'a fiesta after all', `${'x '.repeat(100)}then the fiesta, in a long message`].sort(),
    );
    expect(result.results.filter((r) => r.roomId === market).map((r) => r.message.text)).toEqual([
      `${'x '.repeat(100)}then the fiesta, in a long message`,
      'a fiesta after all',
    ]);
    expect(result.next).toBeUndefined();
    const long = result.results.find((r) => r.message.text.startsWith('x '))!.highlight;
    expect(long.text.startsWith('…')).toBe(true);
    expect(long.ranges).toHaveLength(1);
    expect(long.text.slice(long.ranges[0]!.start, long.ranges[0]!.end)).toBe('fiesta');
    expect(result.results.find((r) => r.roomId === town)!.highlight).toEqual({
      text: 'The Fiesta starts at nine',
      ranges: [{ start: 4, end: 10 }],
    });
    expect(await texts(anaSocket, { query: 'quiet' })).toEqual([]);

    // A public room Ana never joined is searched when she names it (she may read its history).
    expect(await texts(anaSocket, { query: 'fiesta', roomId: elsewhere })).toEqual(['fiesta in a room Ana never joined']);
    expect(await texts(anaSocket, { query: 'fiesta', roomId: town })).toEqual(['The Fiesta starts at nine']);

    // Pages: newest first, each once.
    const first = okData(await searchAs(anaSocket, { query: 'fiesta', limit: 2 }));
    expect(found(first)).toHaveLength(2);
    expect(typeof first.next).toBe('string');
    const second = await texts(anaSocket, { query: 'fiesta', limit: 2, before: first.next });
    expect([...found(first), ...second]).toEqual(found(result));

    // REST: the same answer.
    const viaRest = await rest('GET', `/search?q=${encodeURIComponent('"fiesta starts"')}&limit=5`, ana);
    expect(viaRest.status).toBe(200);
    expect(found(viaRest.body as unknown as MessageSearchResult)).toEqual(['The Fiesta starts at nine']);
    const named = await rest('GET', `/search?q=fiesta&roomId=${elsewhere}`, ana);
    expect(found(named.body as unknown as MessageSearchResult)).toEqual(['fiesta in a room Ana never joined']);
  });

  it('never reads a private or direct room of others, a room the user is banned from, or an ended room', async () => {
    const { url, chat, rest } = await startWithRest({ store: store(), limits: roomy });
    const [ana, eva] = [fresh('ana'), fresh('eva')];
    const anaSocket = await connect(url, ana);
    const evaSocket = await connect(url, eva);
    const secret = await chat.createRoom({ id: fresh('secret'), options: { private: true }, createdBy: ana });
    const direct = await chat.openDirectRoom([
      { id: ana, name: ana },
      { id: fresh('luis'), name: 'Luis' },
    ]);
    const [pub, ended] = [fresh('pub'), fresh('ended')];
    await join(anaSocket, secret.id);
    await say(anaSocket, secret.id, 'treasure in the private room');
    await join(anaSocket, direct.id);
    await say(anaSocket, direct.id, 'treasure in the direct room');
    for (const room of [pub, ended]) {
      await join(anaSocket, room);
      await join(evaSocket, room);
      await say(anaSocket, room, `treasure in ${room}`);
    }
    await chat.ban(pub, eva);
    await chat.endRoom(ended);

    expect((await texts(anaSocket, { query: 'treasure' })).sort()).toEqual(
      ['treasure in the private room', 'treasure in the direct room', `treasure in ${pub}`].sort(),
    );
    expect(await texts(evaSocket, { query: 'treasure' })).toEqual([]);
    for (const [roomId, code] of [
      [secret.id, 'FORBIDDEN'],
      [direct.id, 'ROOM_NOT_FOUND'],
      [pub, 'BANNED'],
      [ended, 'ROOM_ENDED'],
      [fresh('nowhere'), 'ROOM_NOT_FOUND'],
    ]) {
      expect(await searchAs(evaSocket, { query: 'treasure', roomId }), roomId).toMatchObject({ ok: false, error: { code } });
    }
    // Search says why in its own words (the audience rule's sentence is for every reader).
    expect(await searchAs(evaSocket, { query: 'treasure', roomId: ended })).toMatchObject({
      error: { message: 'This room has ended: its messages are no longer searched.' },
    });
    const viaRest = await rest('GET', `/search?q=treasure&roomId=${secret.id}`, eva);
    expect(viaRest).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
  });

  it('reads bans and memberships at the moment of the search: kick and leave keep a room, a ban or removal ends it', async () => {
    const s = store();
    const { url, chat } = await startWithRest({
      store: s,
      limits: roomy,
      // `auth.admin` makes an admin (never banned).
      authenticate: (h) => ({ ...(byHandshake(h) as ChatUser), ...((h.auth as { admin?: boolean }).admin && { roles: ['admin'] }) }),
    });
    const [eva, boss] = [fresh('eva'), fresh('boss')];
    const evaSocket = await connect(url, eva);
    const bossSocket = await rawSocket(url, { id: boss, admin: true });
    const [pub, kicked, expired, secret, kickedSecret] = [
      fresh('pub'),
      fresh('kicked'),
      fresh('expired'),
      fresh('secret'),
      fresh('ksecret'),
    ];
    for (const id of [secret, kickedSecret]) {
      await chat.createRoom({ id, options: { private: true }, createdBy: 'host' });
      await chat.addMembers(id, [eva]);
    }
    for (const room of [pub, kicked, expired, secret, kickedSecret]) {
      await join(evaSocket, room);
      await say(evaSocket, room, `clue in ${room}`);
    }
    await join(bossSocket, pub);
    const all = async (socket: RawSocket) => (await texts(socket, { query: 'clue' })).sort();
    expect(await all(evaSocket)).toEqual([pub, kicked, expired, secret, kickedSecret].map((r) => `clue in ${r}`).sort());

    // Kicked (public or private) and left: she may join again and read the history, so search reads them.
    await chat.kick(kicked, eva);
    await chat.kick(kickedSecret, eva);
    okData(await request(evaSocket, 'room:leave', { roomId: secret }));
    expect(await all(evaSocket)).toEqual([pub, kicked, expired, secret, kickedSecret].map((r) => `clue in ${r}`).sort());

    // A ban holds: the host cannot make her a member again while it does (BANNED); an expired one
    // does not hold; an admin is never banned.
    await chat.ban(pub, eva);
    await expect(chat.addMembers(pub, [eva])).rejects.toMatchObject({ code: 'BANNED' });
    await s.setStanding(expired, eva, { ban: { until: '2001-01-01T00:00:00.000Z' } });
    await s.setStanding(pub, boss, { ban: {} });
    // Her membership of a private room ends: the room is closed to her.
    await chat.removeMembers(secret, [eva]);
    expect(await all(evaSocket)).toEqual([kicked, expired, kickedSecret].map((r) => `clue in ${r}`).sort());
    expect(await searchAs(evaSocket, { query: 'clue', roomId: secret })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await searchAs(evaSocket, { query: 'clue', roomId: pub })).toMatchObject({ ok: false, error: { code: 'BANNED' } });
    expect(await texts(bossSocket, { query: 'clue' })).toEqual([`clue in ${pub}`]);
  });

  it("hands authorize the whole room (privateMetadata too) for each of the user's rooms", async () => {
    const seen: Record<string, unknown>[] = [];
    const { url, chat } = await startWithRest({
      store: store(),
      limits: roomy,
      authorize: (action, c) => {
        if (action !== 'message:history') return true;
        seen.push({ roomId: c.roomId, tier: c.room?.privateMetadata?.['tier'] });
        return c.room?.privateMetadata?.['tier'] !== 'gold';
      },
    });
    const ana = fresh('ana');
    const socket = await connect(url, ana);
    const [basic, gold] = [fresh('basic'), fresh('gold')];
    for (const [id, tier] of [
      [basic, 'basic'],
      [gold, 'gold'],
    ] as const) {
      await chat.createRoom({ id, privateMetadata: { tier } });
      await join(socket, id);
      await say(socket, id, `offer in ${tier}`);
    }
    expect(await texts(socket, { query: 'offer' })).toEqual(['offer in basic']);
    expect(seen.sort((a, b) => String(a['tier']).localeCompare(String(b['tier'])))).toEqual([
      { roomId: basic, tier: 'basic' },
      { roomId: gold, tier: 'gold' },
    ]);
  });

  it('asks authorize (message:history) for every room searched, at the moment of the search', async () => {
    const denied = new Set<string>();
    const { url } = await startWithRest({
      store: store(),
      limits: roomy,
      authorize: (action, c) => !(action === 'message:history' && denied.has(`${c.user.id}/${c.roomId}`)),
    });
    const eva = fresh('eva');
    const socket = await connect(url, eva);
    const [open, vault] = [fresh('open'), fresh('vault')];
    for (const room of [open, vault]) {
      await join(socket, room);
      await say(socket, room, `gold in ${room}`);
    }
    expect((await texts(socket, { query: 'gold' })).sort()).toEqual([`gold in ${open}`, `gold in ${vault}`].sort());
    denied.add(`${eva}/${vault}`);
    expect(await texts(socket, { query: 'gold' })).toEqual([`gold in ${open}`]);
    expect(await searchAs(socket, { query: 'gold', roomId: vault })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('bad input: a sentence for empty, huge, NUL and 10,000-word queries; operators, % and _ and quotes find nothing', async () => {
    const { url, rest } = await startWithRest({ store: store(), limits: roomy });
    const ana = fresh('ana');
    const socket = await connect(url, ana);
    const room = fresh('room');
    await join(socket, room);
    await say(socket, room, '100% sure, snake_case "quoted" words');
    for (const [query, message] of [
      ['', 'A search needs at least one word: the query is empty.'],
      ['   ', 'A search needs at least one word: the query is empty.'],
      ['a'.repeat(300), 'A search can be at most 256 characters.'],
      ['a\u0000b', 'A search cannot contain NUL characters.'],
      [Array.from({ length: 10_000 }, (_, i) => `w${i}`).join(' '), 'A search can be at most 256 characters.'],
      [Array.from({ length: 40 }, () => 'w').join(' '), 'A search can have at most 32 words.'],
    ]) {
      expect(await searchAs(socket, { query })).toEqual({
        ok: false,
        error: expect.objectContaining({ code: 'VALIDATION_FAILED', message }),
      });
    }
    expect(await searchAs(socket, { query: 'sure', before: 'bm9wZQ' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await searchAs(socket, { query: 'sure', limit: 1000 })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    for (const query of ['%', '_', '%_%', '"', '""', '-', 'or', '-sure', "'; DROP TABLE chat_messages; --"]) {
      expect(await texts(socket, { query }), query).toEqual([]);
    }
    expect(await texts(socket, { query: '100%' })).toEqual(['100% sure, snake_case "quoted" words']);
    expect(await texts(socket, { query: '"quoted" snake_case' })).toEqual(['100% sure, snake_case "quoted" words']);
    for (const path of [
      '/search',
      '/search?q=',
      `/search?q=${'a'.repeat(2000)}`,
      '/search?q=a%00b',
      '/search?q=sure&limit=x',
      '/search?q=sure&limit=-1',
    ]) {
      const reply = await rest('GET', path, ana);
      expect(reply, path).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    }
  });

  it('a search storm from one user is refused with RATE_LIMITED; another user searches meanwhile', async () => {
    // The budget refills one event a second, so that a search (10 events) comes back only after
    // 10 s: the storm's last answer and the next search are never far enough apart on a busy machine.
    const { url } = await startWithRest({ store: store(), limits: { eventsPerSecond: 1 } });
    const [ana, eva] = [fresh('ana'), fresh('eva')];
    const storm = await connect(url, ana);
    const calm = await connect(url, eva);
    const room = fresh('room');
    await join(storm, room);
    await join(calm, room);
    await say(calm, room, 'needle');
    const answers: AckResponse<MessageSearchResult>[] = await Promise.all(
      Array.from({ length: 40 }, () => request(storm, 'message:search', { query: 'needle' })),
    );
    const refused = answers.filter((a) => !a.ok);
    expect(refused.length).toBeGreaterThan(20);
    for (const a of refused) expect(a).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(answers.filter((a) => a.ok).length).toBeGreaterThan(0);
    // Asked again at once, with how long to wait.
    expect(await searchAs(storm, { query: 'needle' })).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) },
    });
    expect(await texts(calm, { query: 'needle' })).toEqual(['needle']);
  });
});

clusterSuite('message search', (twoProcesses) => {
  it('finds on one process what was said, edited and deleted on the other, and a ban there closes the room here', async () => {
    const [a, b] = await twoProcesses({ limits: roomy });
    const [ana, eva] = [fresh('ana'), fresh('eva')];
    const room = fresh('room');
    const anaOnA = await connect(a.url, ana);
    const evaOnB = await connect(b.url, eva);
    await join(anaOnA, room);
    await join(evaOnB, room);
    const kept = await say(anaOnA, room, 'meeting moved to friday');
    const gone = await say(anaOnA, room, 'meeting notes, secret');
    await a.chat.editMessage(room, kept.id, 'meeting moved to monday');
    await a.chat.deleteMessage(room, gone.id);
    expect(await texts(evaOnB, { query: 'meeting' })).toEqual(['meeting moved to monday']);
    expect(await texts(evaOnB, { query: 'friday' })).toEqual([]);
    await a.chat.ban(room, eva);
    expect(await texts(evaOnB, { query: 'meeting' })).toEqual([]);
    expect(await searchAs(evaOnB, { query: 'meeting', roomId: room })).toMatchObject({ ok: false, error: { code: 'BANNED' } });
  });
});
