import { expect, it } from 'vitest';
import { nextEvent, okData, rawSocket, request, startChat } from '../../../../../test-support/servers.js';
import { byHandshake, connect, eachStore, fresh, join, say, startWithRest } from './conversation-fixtures.js';
import { directRoomId } from '../../core/ids.js';

eachStore('direct rooms', (store) => {
  it('the same room every time for the same people, in any order and from either side or the server', async () => {
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake });
    const [ana, luis] = [fresh('ana'), fresh('luis')];
    const anaSocket = await connect(url, ana, 'Ana');
    const luisSocket = await connect(url, luis, 'Luis');

    const opened = okData(await request(anaSocket, 'room:direct', { userIds: [luis] })).room;
    expect(opened.id).toMatch(/^dm:[A-Za-z0-9_-]{43}$/u);
    expect(opened.id).toBe(directRoomId([ana, luis]));
    expect(opened.options).toEqual({ direct: true, private: true });
    expect(okData(await request(luisSocket, 'room:direct', { userIds: [ana] })).room.id).toBe(opened.id);
    expect(okData(await request(anaSocket, 'room:direct', { userIds: [luis, ana, luis] })).room.id).toBe(opened.id);
    expect((await chat.openDirectRoom([luis, ana])).id).toBe(opened.id);
    // Exactly these two are its stored members, however often it was opened.
    expect((await chat.store.listMembers(opened.id)).map((m) => m.user.id).sort()).toEqual([ana, luis].sort());

    await join(anaSocket, opened.id);
    const live = nextEvent(luisSocket, 'message');
    await join(luisSocket, opened.id);
    await say(anaSocket, opened.id, 'solo para ti');
    expect(await live).toMatchObject({ text: 'solo para ti', roomId: opened.id });
    // Another set of people is another room.
    const eva = fresh('eva');
    await connect(url, eva, 'Eva');
    const trio = okData(await request(anaSocket, 'room:direct', { userIds: [luis, eva] })).room;
    expect(trio.id).not.toBe(opened.id);
  });

  it('private to its members: no one else joins it, reads its history over REST, or sees it in REST lists', async () => {
    const { url, chat, rest } = await startWithRest({ store: store() });
    const [ana, luis, eva] = [fresh('ana'), fresh('luis'), fresh('eva')];
    const anaSocket = await connect(url, ana);
    await connect(url, luis);
    const evaSocket = await connect(url, eva);
    const room = okData(await request(anaSocket, 'room:direct', { userIds: [luis] })).room;
    await join(anaSocket, room.id);
    await say(anaSocket, room.id, 'secret');

    // To a stranger it does not exist (the answer for an id never used: see stranger-direct tests).
    expect(await request(evaSocket, 'room:join', { roomId: room.id })).toMatchObject({
      ok: false,
      error: { code: 'ROOM_NOT_FOUND', message: `There is no room "${room.id}".` },
    });
    expect(await request(evaSocket, 'message:history', { roomId: room.id })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    expect(await rest('GET', `/rooms/${room.id}`, eva)).toMatchObject({ status: 404, body: { error: { code: 'ROOM_NOT_FOUND' } } });
    expect(await rest('GET', `/rooms/${room.id}/messages`, eva)).toMatchObject({
      status: 404,
      body: { error: { code: 'ROOM_NOT_FOUND' } },
    });
    expect(await rest('POST', `/rooms/${room.id}/end`, eva)).toMatchObject({ status: 404 });
    const evasList = await rest('GET', '/rooms', eva);
    expect(evasList.status).toBe(200);
    expect((evasList.body['rooms'] as Array<{ id: string }>).map((r) => r.id)).not.toContain(room.id);
    // Its members do read it.
    expect(await rest('GET', `/rooms/${room.id}/messages`, luis)).toMatchObject({ status: 200, body: { messages: [{ text: 'secret' }] } });
    expect(((await rest('GET', '/rooms', luis)).body['rooms'] as Array<{ id: string }>).map((r) => r.id)).toContain(room.id);
    expect(await chat.store.isMember(room.id, eva)).toBe(false);
  });

  it("the list names a direct room's members (socket, REST, server API) and says who you are; other rooms get no members", async () => {
    const { url, chat, rest } = await startWithRest({ store: store() });
    const [ana, luis] = [fresh('ana'), fresh('luis')];
    const anaSocket = await connect(url, ana, 'Ana');
    await connect(url, luis, 'Luis');
    const room = okData(await request(anaSocket, 'room:direct', { userIds: [luis] })).room;
    const group = fresh('group');
    await join(anaSocket, group);
    const members = [
      { id: ana, name: 'Ana' },
      { id: luis, name: 'Luis' },
    ];
    const answer = okData(await request(anaSocket, 'conversations:list', {}));
    expect(answer.self).toEqual({ id: ana, name: 'Ana' });
    expect(
      answer.conversations
        .find((c) => c.room.id === room.id)
        ?.members?.map((m) => m.id)
        .sort(),
    ).toEqual([ana, luis].sort());
    expect(answer.conversations.find((c) => c.room.id === room.id)?.members).toEqual(expect.arrayContaining(members));
    expect(answer.conversations.find((c) => c.room.id === group)).not.toHaveProperty('members');
    // REST (the bearer token names the user: named by their id there, the latest name wins).
    const viaRest = await rest('GET', '/me/rooms', luis);
    expect(viaRest.body['self']).toEqual({ id: luis, name: luis });
    const restRow = (viaRest.body['conversations'] as Array<{ room: { id: string }; members?: Array<{ id: string }> }>).find(
      (c) => c.room.id === room.id,
    );
    expect(restRow?.members?.map((m) => m.id).sort()).toEqual([ana, luis].sort());
    expect(
      (await chat.conversations(ana))
        .find((c) => c.room.id === room.id)
        ?.members?.map((m) => m.id)
        .sort(),
    ).toEqual([ana, luis].sort());
  });

  it('an authorize that allows everything still does not let others into a direct room', async () => {
    const { url } = await startChat({ store: store(), authenticate: byHandshake, authorize: () => true });
    const [ana, luis] = [fresh('ana'), fresh('luis')];
    const anaSocket = await connect(url, ana);
    await connect(url, luis);
    const room = okData(await request(anaSocket, 'room:direct', { userIds: [luis] })).room;
    const eva = await connect(url, fresh('eva'));
    expect(await request(eva, 'room:join', { roomId: room.id })).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
    expect(await request(anaSocket, 'room:join', { roomId: room.id })).toMatchObject({ ok: true });
  });

  it('no one can take a direct room id first: joins, createRoom and REST cannot make dm: rooms', async () => {
    const { url, chat, rest } = await startWithRest({ store: store() });
    const [ana, luis] = [fresh('ana'), fresh('luis')];
    const squatter = await connect(url, fresh('squatter'));
    // The id of Ana and Luis's room is public knowledge (a hash of their ids).
    const id = directRoomId([ana, luis]);
    expect(await request(squatter, 'room:join', { roomId: id })).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
    await expect(chat.createRoom({ id })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(chat.createRoom({ id: 'x', options: { direct: true } })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const viaRest = await fetch(`${url}/chat/rooms`, {
      method: 'POST',
      headers: { authorization: 'Bearer squatter', 'content-type': 'application/json' },
      body: JSON.stringify({ id }),
    });
    expect(viaRest.status).toBe(400);
    expect(await chat.getRoom(id)).toBeNull();
    expect(await rest('GET', `/rooms/${id}`, 'squatter')).toMatchObject({ status: 404 });
    // The room is theirs when they open it.
    const anaSocket = await connect(url, ana);
    await connect(url, luis);
    expect(okData(await request(anaSocket, 'room:direct', { userIds: [luis] })).room.id).toBe(id);
  });

  it('guests in one meeting write to each other privately', async () => {
    const { url } = await startChat({ store: store() });
    const meeting = fresh('meeting');
    const guest = (name: string) => rawSocket(url, { name, guestKey: `${fresh('key')}-${'k'.repeat(16)}` });
    const [ana, luis, eva] = [await guest('Ana'), await guest('Luis'), await guest('Eva')];
    await join(ana, meeting);
    const luisSelf = (await join(luis, meeting)).self;
    await join(eva, meeting);

    const room = okData(await request(ana, 'room:direct', { userIds: [luisSelf.id] })).room;
    await join(ana, room.id);
    const live = nextEvent(luis, 'message', (m) => m.roomId === room.id);
    await join(luis, room.id);
    let leaked = 0;
    eva.on('message', () => leaked++);
    await say(ana, room.id, 'only for Luis');
    expect(await live).toMatchObject({ text: 'only for Luis', user: { name: 'Ana' } });
    expect(await request(eva, 'room:join', { roomId: room.id })).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
    const public_ = nextEvent(eva, 'message');
    await say(ana, meeting, 'to everyone');
    expect(await public_).toMatchObject({ roomId: meeting });
    expect(leaked).toBe(1); // the meeting's message, never the private one
  });

  it('bad input: oneself only is a room of one; unknown ids, duplicates, too many people, wrong types', async () => {
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake, limits: { maxDirectMembers: 3 } });
    const [ana, luis, eva, leo] = [fresh('ana'), fresh('luis'), fresh('eva'), fresh('leo')];
    const socket = await connect(url, ana);
    for (const id of [luis, eva, leo]) await connect(url, id);

    const notes = okData(await request(socket, 'room:direct', { userIds: [ana] })).room;
    expect(notes.id).toBe(directRoomId([ana]));
    expect((await chat.store.listMembers(notes.id)).map((m) => m.user.id)).toEqual([ana]);
    expect(await request(socket, 'room:join', { roomId: notes.id })).toMatchObject({ ok: true });

    expect(await request(socket, 'room:direct', { userIds: [luis, 'nobody-at-all'] })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: 'There is no user "nobody-at-all".' },
    });
    expect(await chat.getRoom(directRoomId([ana, luis, 'nobody-at-all']))).toBeNull();
    expect(okData(await request(socket, 'room:direct', { userIds: [luis, luis, luis] })).room.id).toBe(directRoomId([ana, luis]));
    // Three others and the caller are four: over maxDirectMembers (3).
    expect(await request(socket, 'room:direct', { userIds: [luis, eva, leo] })).toMatchObject({
      ok: false,
      error: { code: 'PAYLOAD_TOO_LARGE', message: 'A direct room can have at most 3 members, you included.' },
    });
    expect(await request(socket, 'room:direct', { userIds: [luis, eva, leo, ana] })).toMatchObject({
      ok: false,
      error: { code: 'PAYLOAD_TOO_LARGE' },
    });
    expect(okData(await request(socket, 'room:direct', { userIds: [luis, eva] })).room.id).toBe(directRoomId([ana, luis, eva]));
    for (const payload of [{ userIds: [] }, { userIds: 'luis' }, { userIds: [42] }, { userIds: [''] }, {}, { userIds: ['a\u0000b'] }]) {
      expect(await request(socket, 'room:direct', payload as never)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    }
  });

  it('the server API: users not seen yet by { id, name }; a direct room stays direct, private and of its members', async () => {
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake });
    const [doctor, patient] = [fresh('dr'), fresh('patient')];
    await expect(chat.openDirectRoom([doctor])).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: `There is no user "${doctor}".`,
    });
    await expect(chat.openDirectRoom([])).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(chat.openDirectRoom([{ id: '', name: 'x' }])).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const room = await chat.openDirectRoom([
      { id: doctor, name: 'Dra. Ruiz' },
      { id: patient, name: 'Ana' },
    ]);
    expect(room).toMatchObject({ id: directRoomId([doctor, patient]), options: { direct: true, private: true } });
    expect(room.createdBy).toBeUndefined();
    expect((await chat.store.getUsers([doctor]))[0]).toMatchObject({ id: doctor, name: 'Dra. Ruiz' });
    // The patient, signing in later, is in.
    const socket = await connect(url, patient, 'Ana');
    expect(await request(socket, 'room:join', { roomId: room.id })).toMatchObject({ ok: true });

    await expect(chat.updateRoom(room.id, { options: { private: false } })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const kept = await chat.updateRoom(room.id, { title: 'Consulta', options: {} });
    expect(kept.options).toEqual({ direct: true, private: true });
    await expect(chat.addMembers(room.id, [{ id: fresh('x'), name: 'X' }])).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const lobby = await chat.createRoom({ id: fresh('lobby') });
    await expect(chat.updateRoom(lobby.id, { options: { direct: true } })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('authorize is asked with room:direct (and may refuse it)', async () => {
    const asked: Array<[string, string]> = [];
    const { url } = await startChat({
      store: store(),
      authenticate: byHandshake,
      authorize: (action, ctx) => {
        if (action === 'room:direct') asked.push([ctx.user.id, ctx.roomId]);
        return action !== 'room:direct' || !ctx.user.id.startsWith('muted');
      },
    });
    const [ana, muted] = [fresh('ana'), fresh('muted')];
    const anaSocket = await connect(url, ana);
    const mutedSocket = await connect(url, muted);
    expect(await request(mutedSocket, 'room:direct', { userIds: [ana] })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await request(anaSocket, 'room:direct', { userIds: [muted] })).toMatchObject({ ok: true });
    expect(asked).toEqual([
      [muted, directRoomId([ana, muted])],
      [ana, directRoomId([ana, muted])],
    ]);
  });
});
