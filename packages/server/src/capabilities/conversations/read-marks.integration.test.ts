import { describe, expect, it } from 'vitest';
import type { ReadEvent } from '@chat/protocol';
import { PostgresStore } from '../../store/postgres/postgres-store.js';
import { skipWithoutPostgres, useTestSchema, type TestSchema } from '../../../../../test-support/postgres.js';
import { okData, request, startChat, type RawSocket } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { byHandshake, connect, eachStore, fresh, join, list, rowOf, say, startWithRest } from './conversation-fixtures.js';

const mark = async (socket: RawSocket, roomId: string, seq: number) => okData(await request(socket, 'read:mark', { roomId, seq })).seq;

eachStore('read marks', (store) => {
  it('move forward only, stop at the last message, and need a stored member', async () => {
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake });
    const roomId = fresh('room');
    const [ana, luis] = [await connect(url, fresh('ana')), await connect(url, fresh('luis'))];
    await join(ana, roomId);
    await join(luis, roomId);
    for (const text of ['one', 'two', 'three']) await say(ana, roomId, text);

    expect(await mark(luis, roomId, 2)).toBe(2);
    expect(await mark(luis, roomId, 1)).toBe(2); // a lower seq leaves the mark: the answer says where it is
    expect(await mark(luis, roomId, 2)).toBe(2);
    expect(await mark(luis, roomId, 99)).toBe(3); // beyond the last message: up to the last one
    expect(await mark(luis, roomId, 0)).toBe(3);

    const eva = await connect(url, fresh('eva'));
    expect(await request(eva, 'read:mark', { roomId, seq: 1 })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    expect(await request(ana, 'read:mark', { roomId: fresh('nowhere'), seq: 1 })).toMatchObject({
      ok: false,
      error: { code: 'ROOM_NOT_FOUND' },
    });
    for (const seq of [-1, 1.5, '2', 2 ** 53]) {
      expect(await request(luis, 'read:mark', { roomId, seq: seq as number })).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED' },
      });
    }
    const ephemeral = await chat.createRoom({ id: fresh('eph'), options: { ephemeral: true } });
    await join(ana, ephemeral.id);
    expect(await request(ana, 'read:mark', { roomId: ephemeral.id, seq: 1 })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    expect((await list(ana)).map((c) => c.room.id)).not.toContain(ephemeral.id);
  });

  it('unread is exact on two devices and after a reload; one’s own messages never count; mentions are counted', async () => {
    const { url, chat, rest } = await startWithRest({ store: store() });
    const roomId = fresh('room');
    const [ana, luis] = [fresh('ana'), fresh('luis')];
    const anaPhone = await connect(url, ana);
    const anaLaptop = await connect(url, ana); // an inbox: in no room
    const luisSocket = await connect(url, luis);
    await join(anaPhone, roomId);
    await join(luisSocket, roomId);

    await say(luisSocket, roomId, 'hola');
    await say(luisSocket, roomId, '@ana ¿vienes?', [ana]);
    await say(luisSocket, roomId, 'avísame');
    expect(await rowOf(anaLaptop, roomId)).toMatchObject({ unread: 3, mentions: 1, readSeq: 0, lastMessage: { seq: 3 } });
    expect(await rowOf(luisSocket, roomId)).toMatchObject({ unread: 0, mentions: 0, readSeq: 3 });

    // Writing marks one's own message read, and what came before it.
    await say(anaPhone, roomId, 'sí');
    expect(await rowOf(anaLaptop, roomId)).toMatchObject({ unread: 0, mentions: 0, readSeq: 4 });
    await say(luisSocket, roomId, 'genial');
    await say(luisSocket, roomId, '@ana trae café', [ana]);
    expect(await rowOf(anaLaptop, roomId)).toMatchObject({ unread: 2, mentions: 1 });
    // Read on the phone: the laptop's count is the same, as is a new device's (a reload).
    expect(await mark(anaPhone, roomId, 5)).toBe(5);
    expect(await rowOf(anaLaptop, roomId)).toMatchObject({ unread: 1, mentions: 1, readSeq: 5 });
    const reloaded = await connect(url, ana);
    expect(await rowOf(reloaded, roomId)).toMatchObject({
      unread: 1,
      mentions: 1,
      readSeq: 5,
      lastMessage: { seq: 6, text: '@ana trae café' },
    });
    expect((await join(reloaded, roomId)).readSeq).toBe(5);
    expect(await rowOf(luisSocket, roomId)).toMatchObject({ unread: 0 });
    // The same from REST and the server API.
    const viaRest = await rest('GET', '/me/rooms', ana);
    expect(viaRest.status).toBe(200);
    expect((viaRest.body['conversations'] as Array<{ room: { id: string } }>).find((c) => c.room.id === roomId)).toMatchObject({
      unread: 1,
      mentions: 1,
    });
    expect((await chat.conversations(ana)).find((c) => c.room.id === roomId)).toMatchObject({
      unread: 1,
      mentions: 1,
      notifications: 'all',
    });
    const nobody = fresh('nobody');
    expect(await rest('GET', '/me/rooms', nobody)).toEqual({
      status: 200,
      body: { conversations: [], self: { id: nobody, name: nobody } },
    });
    expect(await rest('GET', '/me/nothing', ana)).toMatchObject({ status: 404 });
  });

  it('conversations: newest activity first, ended rooms left out, private metadata never sent', async () => {
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake });
    const ana = fresh('ana');
    const socket = await connect(url, ana);
    const [first, second, third] = [fresh('first'), fresh('second'), fresh('third')];
    await chat.createRoom({ id: third, privateMetadata: { secret: 1 } });
    for (const id of [first, second, third]) await join(socket, id);
    // One message per room, each a millisecond later than the one before (order is by time).
    for (const id of [first, third, second]) {
      const sent = await say(socket, id, `in ${id}`);
      await waitFor(() => expect(Date.now()).toBeGreaterThan(Date.parse(sent.createdAt)));
    }
    expect((await list(socket)).map((c) => c.room.id)).toEqual([second, third, first]);
    const row = (await list(socket))[1];
    expect(row).toMatchObject({ room: { id: third }, lastMessage: { text: `in ${third}` }, unread: 0, notifications: 'all' });
    expect(row?.room).not.toHaveProperty('privateMetadata');
    await chat.endRoom(third);
    expect((await list(socket)).map((c) => c.room.id)).toEqual([second, first]);
    expect(await request(socket, 'conversations:list', [] as never)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it('a membership that ends and starts again starts at the mark it had: banned then let back, removed then added', async () => {
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake });
    const roomId = fresh('room');
    const [anaId, benId] = [fresh('ana'), fresh('ben')];
    const [ana, ben] = [await connect(url, anaId), await connect(url, benId)];
    await join(ana, roomId);
    await join(ben, roomId);
    await say(ben, roomId, 'one');
    await say(ana, roomId, 'two');
    const read = await say(ben, roomId, 'three');
    expect(await mark(ana, roomId, read.seq)).toBe(read.seq);
    await say(ben, roomId, 'four');
    await chat.ban(roomId, anaId);
    await say(ben, roomId, 'five');
    await chat.unban(roomId, anaId);
    // Her own message and what she had read stay read; what came after her mark is unread.
    const back = await join(ana, roomId);
    expect({ readSeq: back.readSeq, unread: back.unread }).toEqual({ readSeq: read.seq, unread: 2 });
    expect(await rowOf(ana, roomId)).toMatchObject({ readSeq: read.seq, unread: 2 });
    const last = await say(ben, roomId, 'six');
    expect(await mark(ana, roomId, last.seq)).toBe(last.seq);
    await chat.removeMembers(roomId, [anaId]);
    // The kept mark is hers: in her export while it waits.
    let exported = '';
    for await (const chunk of chat.exportUser(anaId)) exported += chunk;
    expect((JSON.parse(exported) as { endedReads: unknown }).endedReads).toEqual([{ roomId, readSeq: last.seq }]);
    await say(ben, roomId, 'seven');
    await chat.addMembers(roomId, [anaId]);
    expect(await rowOf(ana, roomId)).toMatchObject({ readSeq: last.seq, unread: 1 });
  });

  it('the join ack carries the joiner’s mark and the others’ in small rooms', async () => {
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake });
    const roomId = fresh('room');
    const [ana, luis] = [fresh('ana'), fresh('luis')];
    const anaSocket = await connect(url, ana);
    const luisSocket = await connect(url, luis);
    expect(await join(anaSocket, roomId)).toMatchObject({ readSeq: 0, reads: [] });
    for (const text of ['a', 'b', 'c']) await say(anaSocket, roomId, text);
    expect(await join(luisSocket, roomId)).toMatchObject({ readSeq: 0, reads: [{ userId: ana, seq: 3 }] });
    await mark(luisSocket, roomId, 2);
    const again = await connect(url, ana);
    expect(await join(again, roomId)).toMatchObject({ readSeq: 3, reads: [{ userId: luis, seq: 2 }] });
    // A room of more than readsInJoin (50) stored members: the joiner's mark only.
    const big = fresh('big');
    await chat.createRoom({ id: big });
    await chat.addMembers(
      big,
      Array.from({ length: 50 }, (_, i) => ({ id: `${big}-m${i}`, name: `M${i}` })),
    );
    await join(anaSocket, big);
    await say(anaSocket, big, 'hi all');
    expect(await join(luisSocket, big)).toMatchObject({ readSeq: 0, reads: [] });
    expect(await join(await connect(url, ana), big)).toMatchObject({ readSeq: 1, reads: [] });
  });

  it('read events are coalesced per reader; a room above the threshold gets none', async () => {
    // 60 marks in a row: more than the default burst of requests, which is not what this is about.
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake, limits: { eventBurst: 500 } });
    const [small, big] = [fresh('small'), fresh('big')];
    const [ana, luis] = [fresh('ana'), fresh('luis')];
    const anaSocket = await connect(url, ana);
    const luisSocket = await connect(url, luis);
    await chat.createRoom({ id: big });
    await chat.addMembers(
      big,
      Array.from({ length: 60 }, (_, i) => ({ id: `${big}-m${i}`, name: `M${i}` })),
    );
    for (const id of [small, big]) {
      await join(anaSocket, id);
      await join(luisSocket, id);
      for (let i = 1; i <= 30; i++) await chat.sendMessage(id, { user: { id: 'bot', name: 'Bot' }, text: `m${i}` });
    }
    const reads: ReadEvent[] = [];
    anaSocket.on('read', (event) => reads.push(event));

    // The big room first: its marks are stored, but no one is sent a receipt.
    for (let seq = 1; seq <= 30; seq++) await mark(luisSocket, big, seq);
    // Luis reads the small room one message at a time: 30 marks.
    for (let seq = 1; seq <= 30; seq++) await mark(luisSocket, small, seq);
    // The first mark went out at once, the last one when the window closed: the room ends knowing 30.
    await waitFor(() => expect(reads.at(-1)).toEqual({ roomId: small, userId: luis, seq: 30 }));
    expect(reads.length).toBeGreaterThanOrEqual(2);
    expect(reads.length).toBeLessThanOrEqual(6); // ~1 per second of marking, far fewer than 30
    expect(reads.every((r) => r.roomId === small && r.userId === luis)).toBe(true);
    const seqs = reads.map((r) => r.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect((await chat.store.listMembers(big)).find((m) => m.user.id === luis)?.readSeq).toBe(30);
  });
});

const schema = skipWithoutPostgres() ? undefined : useTestSchema();
describe.skipIf(schema === undefined)('read marks on two processes (PostgreSQL)', () => {
  it('two processes marking at once end at the higher mark', async () => {
    const pool = () => (schema as TestSchema).pool();
    const a = await startChat({ store: new PostgresStore({ pool: pool() }), authenticate: byHandshake });
    const b = await startChat({ store: new PostgresStore({ pool: pool() }), authenticate: byHandshake });
    const roomId = fresh('room');
    const luis = fresh('luis');
    const [onA, onB] = [await connect(a.url, luis), await connect(b.url, luis)];
    await join(onA, roomId);
    for (let i = 1; i <= 40; i++) await a.chat.sendMessage(roomId, { user: { id: 'bot', name: 'Bot' }, text: `m${i}` });
    // Pairs of marks at once, the higher one on either process; each answer is at least its own mark.
    for (let round = 1; round <= 20; round++) {
      const [high, low] = [round * 2, round * 2 - 1];
      const [x, y] = round % 2 === 0 ? [onA, onB] : [onB, onA];
      const [answerHigh, answerLow] = await Promise.all([mark(x, roomId, high), mark(y, roomId, low)]);
      expect(answerHigh).toBe(high);
      expect([low, high]).toContain(answerLow);
      expect((await a.chat.store.listMembers(roomId)).find((m) => m.user.id === luis)?.readSeq).toBe(high);
    }
    expect(await rowOf(onB, roomId)).toMatchObject({ unread: 0, readSeq: 40 });
  });
});
