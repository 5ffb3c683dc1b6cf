// What each person can read when they ask (over REST, which counts no one online), against the
// model: every room's history and every thread's, their conversations (rooms, unread, unread in
// threads, read mark, last message), each room's questions (hidden ones only for its moderators)
// and a search that matches every message. A room they may not read answers an error and none of
// its words; no answer holds a word edited away, deleted or erased, nor an erased person's name.
import { expect } from 'vitest';
import type { Message, RoomSummary, SearchResult } from '@chat/protocol';
import { COMMON_WORD, ROOMS, type ChatModel, type Person, type RoomKey } from './chat-model-fixtures.js';
import type { ModelWorld } from './model-world-fixtures.js';
import { holding, modelShape, shapeOf } from './message-shape-fixtures.js';
import { wordsIn } from './observations-fixtures.js';

const PAGE = 100;

/** Every answer: no dead word, no erased person's name or word. */
function clean(model: ChatModel, label: string, text: string): void {
  expect(
    wordsIn(text, model.tag).filter((w) => model.dead.has(w)),
    `${label}: words edited away, deleted or erased`,
  ).toEqual([]);
  expect(holding(text, model.erasedStrings()), `${label}: an erased person's name or words`).toEqual([]);
}

async function history(model: ChatModel, world: ModelWorld, person: Person, room: RoomKey, root?: string): Promise<void> {
  const parent = root === undefined ? undefined : model.byId.get(root);
  const label = `${person} reads ${room}${parent ? `'s thread of seq ${parent.seq}` : ''}`;
  const query = `limit=${PAGE}${root === undefined ? '' : `&threadOf=${root}`}`;
  const { status, body, text } = await world.rest(person, `/rooms/${world.roomIds[room]}/messages?${query}`);
  clean(model, label, text);
  if (!model.mayRead(person, room)) {
    expect(status, `${label}, which they may not read`).toBeGreaterThanOrEqual(400);
    expect(wordsIn(text, model.tag), `${label}: the refusal`).toEqual([]);
    return;
  }
  expect(status, `${label}: ${text.slice(0, 200)}`).toBe(200);
  const expected = root === undefined ? model.mainLog(room) : model.replies(room, root);
  const page = body['messages'] as Message[];
  expect(
    page.map((m) => shapeOf(m, model, world)),
    label,
  ).toEqual(expected.slice(-PAGE).map((m) => modelShape(m, model, world)));
  expect(body['hasMore'], `${label}: hasMore`).toBe(expected.length > PAGE);
}

/** `GET /rooms/:id/questions?sort=top`: the room's questions, most upvotes first; hidden ones only for its moderators. */
async function questionList(model: ChatModel, world: ModelWorld, person: Person, room: RoomKey): Promise<void> {
  const label = `${person} lists the questions of ${room}${model.moderates(person, room) ? ', as a moderator' : ''}`;
  const { status, body, text } = await world.rest(person, `/rooms/${world.roomIds[room]}/questions?sort=top&limit=${PAGE}`);
  clean(model, label, text);
  if (!model.mayRead(person, room)) {
    expect(status, `${label}, which they may not read`).toBeGreaterThanOrEqual(400);
    expect(wordsIn(text, model.tag), `${label}: the refusal`).toEqual([]);
    return;
  }
  expect(status, `${label}: ${text.slice(0, 200)}`).toBe(200);
  expect(
    (body['questions'] as Message[]).map((m) => shapeOf(m, model, world)),
    label,
  ).toEqual(
    model
      .questionList(person, room)
      .slice(0, PAGE)
      .map((m) => modelShape(m, model, world)),
  );
}

async function conversations(model: ChatModel, world: ModelWorld, person: Person): Promise<void> {
  const { status, body, text } = await world.rest(person, '/me/rooms');
  expect(status, `${person}'s conversations: ${text.slice(0, 200)}`).toBe(200);
  clean(model, `${person}'s conversations`, text);
  const rows = body['conversations'] as RoomSummary[];
  const listed = rows.map((row) => world.roomOf(row.room.id) ?? row.room.id).sort();
  const expected = ROOMS.filter((room) => model.isMember(person, room) && model.mayRead(person, room)).sort();
  expect(listed, `${person}'s conversations: the rooms (stored memberships they may read)`).toEqual(expected);
  for (const row of rows) {
    const room = world.roomOf(row.room.id) as RoomKey;
    const last = model.rooms[room].messages.at(-1);
    expect(
      {
        unread: row.unread,
        mentions: row.mentions,
        threadUnread: row.threadUnread ?? 0,
        readSeq: row.readSeq,
        last: row.lastMessage && shapeOf(row.lastMessage, model, world),
      },
      `${person}'s conversation ${room}`,
    ).toEqual({
      unread: model.unread(person, room),
      mentions: model.mentionsOf(person, room),
      threadUnread: model.threadUnreadTotal(person, room),
      readSeq: model.people[person].marks.get(room) ?? 0,
      last: last && { ...modelShape(last, model, world), replies: row.lastMessage?.thread?.replyCount ?? 0 },
    });
  }
}

async function search(model: ChatModel, world: ModelWorld, person: Person): Promise<void> {
  const found = new Map<string, string>();
  let before: string | undefined;
  for (let page = 0; page < 100; page++) {
    const { status, body, text } = await world.rest(
      person,
      `/search?q=${COMMON_WORD}&limit=50${before ? `&before=${encodeURIComponent(before)}` : ''}`,
    );
    expect(status, `${person}'s search: ${text.slice(0, 200)}`).toBe(200);
    clean(model, `${person}'s search`, text);
    for (const result of body['results'] as SearchResult[]) found.set(result.message.id, result.message.text);
    before = body['next'] as string | undefined;
    if (before === undefined) break;
  }
  // Their stored rooms they may read now: every message not deleted (each holds the common word).
  const expected = new Map<string, string>();
  for (const room of ROOMS) {
    if (!model.isMember(person, room) || !model.mayRead(person, room)) continue;
    for (const m of model.rooms[room].messages) if (!m.deleted) expected.set(m.id, m.text);
  }
  const sorted = (map: Map<string, string>) => [...map].sort(([a], [b]) => (a < b ? -1 : 1));
  expect(sorted(found), `${person}'s search for "${COMMON_WORD}"`).toEqual(sorted(expected));
}

/** Everything each person alive may read, read and compared with the model. */
export async function checkReads(model: ChatModel, world: ModelWorld): Promise<void> {
  await Promise.all(
    model.cast
      .filter((p) => model.alive(p))
      .map(async (person) => {
        for (const room of ROOMS) {
          await history(model, world, person, room);
          for (const root of model.threads(room)) await history(model, world, person, room, root.id);
          if (model.rooms[room].asked) await questionList(model, world, person, room);
        }
        await conversations(model, world, person);
        await search(model, world, person);
      }),
  );
}
