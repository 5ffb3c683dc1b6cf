import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Attachment, Message, UserRef } from '@chat/protocol';
import {
  diskUploads,
  linkPreviews,
  liveReactions,
  MemoryStore,
  pins,
  polls,
  questions,
  type ChatServer,
  type ChatStore,
} from '@chat/server';
import { PostgresStore } from '@chat/server/postgres';
import { ERASED_USER } from '../../core/chat-store.js';
import { moderationChat } from '../moderation/moderation-fixtures.js';
import { pushTo } from '../../plugins/push/push-fixtures.js';
import { PNG } from '../uploads/upload-fixtures.js';
import { ask, data } from '../../plugins/plugin-socket-fixtures.js';
import { okData, rawSocket, request, type RawSocket } from '../../../../../test-support/servers.js';
import { startPushService, testDevice } from '../../../../../test-support/push-service.js';
import { serve, startSite } from '../../../../../test-support/stand-in-site.js';
import { diskDir } from '../../../../../test-support/uploads.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';
import { expectStoredNowhere, tableDumps } from '../../../../../test-support/stored-nowhere.js';
import { reachableText } from '../../../../../test-support/reachable-text.js';
import { POLL_STORE } from '../../plugins/polls/poll-store-part.js';
import { QUESTION_STORE } from '../../plugins/questions/question-store-part.js';
import { PIN_STORE } from '../../plugins/pins/pin-store.js';
import { LINK_PREVIEW_STORE } from '../../plugins/link-previews/preview-store.js';
import { waitFor } from '../../../../../test-support/wait.js';

// A person's data map, checked whole: Zelda uses every capability that keeps something
// (messages, edits, threads, reactions, mentions, read marks, status, reports, moderation, polls,
// questions, pins, link previews, files, push, a direct conversation), then `chat.eraseUser`.
// Her name and words are then in no table (or no part of a memory store's state), and neither
// they nor her id are in anything another member reads or in his export. Before the erase the
// same look finds her marker, so the look goes where her data was. Real servers, both stores.

/** Zelda's name and words carry `mark`; Luis's words carry `kept`, which must stay. */
function cast() {
  const mark = randomBytes(6).toString('hex');
  const zelda: UserRef = { id: `zelda-${randomUUID()}`, name: `Zelda Namemark${mark}` };
  const luis: UserRef = { id: `luis-${randomUUID()}`, name: 'Luis' };
  const eva: UserRef = { id: `eva-${randomUUID()}`, name: 'Eva' };
  return { mark, zelda, luis, eva, kept: `luisword${randomBytes(6).toString('hex')}` };
}

const signIn = (url: string, user: UserRef): Promise<RawSocket> => rawSocket(url, { id: user.id, name: user.name });

async function say(socket: RawSocket, roomId: string, text: string, extra: Record<string, unknown> = {}): Promise<Message> {
  return okData(await request(socket, 'message:send', { roomId, clientId: randomUUID(), text, ...extra })).message;
}

/** A file uploaded as `user` to the disk uploads (`POST /chat/uploads`, multipart), named `name`. */
async function upload(url: string, user: UserRef, roomId: string, name: string): Promise<Attachment> {
  const form = new FormData();
  form.append('file', new File([PNG.bytes], name, { type: 'image/png' }));
  const res = await fetch(`${url}/chat/uploads?roomId=${encodeURIComponent(roomId)}`, {
    method: 'POST',
    headers: { 'x-chat-auth': encodeURIComponent(JSON.stringify(user)) },
    body: form,
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { attachment: Attachment }).attachment;
}

async function exported(chat: ChatServer, userId: string): Promise<string> {
  let text = '';
  for await (const chunk of chat.exportUser(userId)) text += chunk;
  return text;
}

/**
 * Where `mark` is held: for PostgreSQL each table with a row holding it, and a piece of text around
 * each place (so that a failure names the table and the column's value); for a memory store the
 * texts of its state that hold it.
 */
async function whereHeld(chat: ChatServer, mark: string): Promise<string[]> {
  if (!(chat.store instanceof PostgresStore)) return (await reachableText(chat.store)).filter((text) => text.includes(mark));
  const places: string[] = [];
  for (const [table, rows] of await tableDumps(chat.store)) {
    for (let at = rows.indexOf(mark); at !== -1; at = rows.indexOf(mark, at + 1))
      places.push(`${table}: …${rows.slice(Math.max(0, at - 120), at + 40)}…`);
  }
  return places;
}

/**
 * What the plugins' store parts keep of her, asked through their own methods: a second look,
 * beside the walk of a memory store's state (which reads a part's maps in its closure) and the
 * dump of every table.
 */
async function pluginParts(s: Scene) {
  const store = s.chat.store as MemoryStore | PostgresStore;
  const [polls, questions, pins, previews] = [
    store.part(POLL_STORE),
    store.part(QUESTION_STORE),
    store.part(PIN_STORE),
    store.part(LINK_PREVIEW_STORE),
  ];
  return {
    polls: [await polls?.get(s.herPoll.id), await polls?.votesByUser(s.zelda.id)],
    questions: [
      await questions?.get(s.herQuestion.id),
      await questions?.questionsByUser(s.zelda.id),
      await questions?.upvotesByUser(s.zelda.id),
      await questions?.list(s.town, { sort: 'top', hidden: true, limit: 50, offset: 0 }),
    ],
    pins: [await pins?.ofUser(s.zelda.id), await pins?.list(s.town)],
    linkPreviewCache: await previews?.cached(s.link),
  };
}

/** A server with every capability that stores something about a person, and a site to preview. */
async function everything(store: ChatStore, mark: string) {
  const dir = await diskDir();
  const service = await startPushService();
  const page = `<!doctype html><html><head><meta property="og:title" content="A neutral page"></head><body></body></html>`;
  const site = await startSite({ [`/zeldalink${mark}`]: serve('text/html; charset=utf-8', page) });
  const app = await moderationChat({
    store,
    uploads: diskUploads({ dir }),
    push: pushTo(service),
    // Luis reads and searches many times in a row: room for it beyond the default budget.
    limits: { eventBurst: 1000, eventsPerSecond: 1000 },
    plugins: [
      polls(),
      questions(),
      pins(),
      liveReactions(),
      linkPreviews({ allowedAddresses: ['127.0.0.1/32'], publicPath: '/chat/previews' }),
    ],
  });
  await app.chat.ready();
  return { app, service, site };
}

/** Everything Zelda does (and what Luis and Eva do around her), in a public room and a direct one. */
async function scene(store: ChatStore) {
  const people = cast();
  const { mark, zelda, luis, eva, kept } = people;
  const { app, service, site } = await everything(store, mark);
  const { chat, url } = app;
  const town = `town-${randomUUID()}`;
  const [l, z, e] = [await signIn(url, luis), await signIn(url, zelda), await signIn(url, eva)];
  // Luis first: he owns the room (`ownerOnJoin`), and acts as its owner below.
  for (const socket of [l, z, e]) okData(await request(socket, 'room:join', { roomId: town }));
  await chat.addMembers(town, [luis, zelda, eva]);

  // Messages: a thread of Luis's she replies in, her message that mentions him and is edited, one
  // she deletes, one a moderator deletes, a reaction on his.
  const asks = await say(l, town, `${kept} asks`);
  const reply = await say(z, town, `wordmark${mark} replies`, { threadOf: asks.id });
  const mine = await say(z, town, `oldword${mark} for @Luis`, { mentions: [luis.id] });
  okData(
    await request(z, 'message:edit', { roomId: town, messageId: mine.id, text: `wordmark${mark} edited for @Luis`, mentions: [luis.id] }),
  );
  const gone = await say(z, town, `wordmark${mark} soon deleted`);
  okData(await request(z, 'message:delete', { roomId: town, messageId: gone.id }));
  const moderated = await say(z, town, `wordmark${mark} deleted by the owner`);
  okData(await request(l, 'message:delete', { roomId: town, messageId: moderated.id }));
  okData(await request(z, 'reaction:add', { roomId: town, messageId: asks.id, emoji: '👍' }));

  // Her marks, her status, her notification level.
  okData(await request(z, 'read:mark', { roomId: town, seq: mine.seq }));
  okData(await request(z, 'read:mark', { roomId: town, seq: reply.seq, threadOf: asks.id }));
  okData(await request(z, 'presence:status', { status: 'busy', text: `statusmark${mark}` }));
  okData(await request(z, 'notifications:set', { roomId: town, level: 'mentions' }));

  // Reports: hers of Luis's message, with her words as the reason; his of hers, with his.
  okData(await request(z, 'message:report', { roomId: town, messageId: asks.id, reason: `reasonmark${mark}` }));
  okData(await request(l, 'message:report', { roomId: town, messageId: mine.id, reason: `${kept} reports` }));

  // Moderation: the owner makes her a moderator; she mutes Eva with her words as the reason (and
  // lifts it), then again (in force at the erase: Eva's standing keeps the reason); she pins Luis's
  // message and her own. The mutes of her come last (a muted person sends nothing).
  okData(await request(l, 'moderation:role', { roomId: town, userId: zelda.id, role: 'moderator' }));
  okData(await request(z, 'moderation:mute', { roomId: town, userId: eva.id, reason: `mutemark${mark}` }));
  okData(await request(z, 'moderation:unmute', { roomId: town, userId: eva.id }));
  okData(await request(z, 'moderation:mute', { roomId: town, userId: eva.id, reason: `stillmark${mark}` }));
  data(await ask(z, 'message:pin', { roomId: town, messageId: asks.id }));
  data(await ask(z, 'message:pin', { roomId: town, messageId: mine.id }));

  // Polls: hers (question and option with her words) with Luis's vote; her vote in his.
  const clientId = () => randomBytes(8).toString('hex');
  const herPoll = data<{ message: Message }>(
    await ask(z, 'poll:create', { roomId: town, clientId: clientId(), question: `pollmark${mark}?`, options: [`optmark${mark}`, 'no'] }),
  ).message;
  const hisPoll = data<{ message: Message }>(
    await ask(l, 'poll:create', { roomId: town, clientId: clientId(), question: `${kept} poll?`, options: ['yes', 'no'] }),
  ).message;
  data(await ask(z, 'poll:vote', { roomId: town, messageId: hisPoll.id, optionIds: ['0'] }));
  data(await ask(l, 'poll:vote', { roomId: town, messageId: herPoll.id, optionIds: ['1'] }));

  // Questions: hers, upvoted by Luis; his, upvoted by her.
  const herQuestion = data<{ message: Message }>(
    await ask(z, 'question:ask', { roomId: town, clientId: clientId(), text: `questionmark${mark}?` }),
  ).message;
  const hisQuestion = data<{ message: Message }>(
    await ask(l, 'question:ask', { roomId: town, clientId: clientId(), text: `${kept} question?` }),
  ).message;
  data(await ask(z, 'question:upvote', { roomId: town, messageId: hisQuestion.id }));
  data(await ask(l, 'question:upvote', { roomId: town, messageId: herQuestion.id }));

  // A link in her words, previewed (the preview is stored once fetched).
  const linked = await say(z, town, `see ${site.url}/zeldalink${mark}`);
  await waitFor(async () => expect((await store.getMessage(town, linked.id))?.previews).toHaveLength(1));

  // A file named with her words, sent; a device of hers subscribed to pushes (its address carries her marker).
  const file = await upload(url, zelda, town, `filemark${mark}.png`);
  await say(z, town, `wordmark${mark} a photo`, { attachments: [file] });
  data(await ask(z, 'live-reaction:send', { roomId: town, emoji: '👍' }));
  okData(await request(z, 'push:subscribe', { subscription: testDevice(service.url, `zeldadevice${mark}`).subscription }));

  // A direct conversation, her word last.
  const dm = await chat.openDirectRoom([zelda, luis]);
  for (const socket of [z, l]) okData(await request(socket, 'room:join', { roomId: dm.id }));
  await say(l, dm.id, `${kept} in private`);
  await say(z, dm.id, `wordmark${mark} last word`);

  // The owner mutes her and lifts it, then the host's code does the same: the audit log names her as their target.
  okData(await request(l, 'moderation:mute', { roomId: town, userId: zelda.id, reason: `${kept} mutes` }));
  okData(await request(l, 'moderation:unmute', { roomId: town, userId: zelda.id }));
  await chat.mute(town, zelda.id);
  await chat.unmute(town, zelda.id);
  const link = `${site.url}/zeldalink${mark}`;
  return { ...people, chat, url, town, dm: dm.id, asks, mine, file, herPoll, herQuestion, link };
}

type Scene = Awaited<ReturnType<typeof scene>>;

/** What Luis reads: join answers (with the plugins' parts), history, the thread, the direct room, his list, searches, questions, pins. */
async function whatLuisReads(s: Scene) {
  const socket = await signIn(s.url, s.luis);
  const joins = [
    okData(await request(socket, 'room:join', { roomId: s.town })),
    okData(await request(socket, 'room:join', { roomId: s.dm })),
  ];
  const history = async (roomId: string, threadOf?: string) =>
    okData(await request(socket, 'message:history', { roomId, limit: 100, ...(threadOf && { threadOf }) })).messages;
  const messages = [...(await history(s.town)), ...(await history(s.town, s.asks.id)), ...(await history(s.dm))];
  const { conversations } = okData(await request(socket, 'conversations:list', {}));
  const search = async (query: string) => okData(await request(socket, 'message:search', { query })).results;
  const found = { words: await search(`wordmark${s.mark}`), name: await search(`Namemark${s.mark}`), kept: await search(s.kept) };
  const listed = data<{ questions: Message[] }>(await ask(socket, 'question:list', { roomId: s.town })).questions;
  const pinsRes = await fetch(`${s.url}/chat/rooms/${encodeURIComponent(s.town)}/pins`, {
    headers: { 'x-chat-auth': encodeURIComponent(JSON.stringify(s.luis)) },
  });
  const members = okData(await request(socket, 'room:members', { roomId: s.town }));
  const presence = okData(await request(socket, 'presence:of', { userIds: [s.zelda.id] }));
  socket.disconnect();
  return { joins, messages, conversations, found, questions: listed, pins: await pinsRes.json(), members, presence };
}

function eraseEverythingSuite(makeStore: () => ChatStore): void {
  it('after an erase, nothing she stored with any capability is kept, and nothing another member reads names her', async () => {
    const s = await scene(makeStore());
    const { chat, mark, zelda, luis, eva, kept } = s;

    // Before: her words are found where they were stored, searched and read.
    const before = await whatLuisReads(s);
    expect(before.found.words.length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(before)).toContain(mark);
    expect(JSON.stringify(before.joins[0]?.plugins)).toContain(zelda.id);
    // Her status lives with her sockets (the presence registry), not in the store: read by Luis.
    expect(JSON.stringify(before.presence)).toContain(`statusmark${mark}`);
    // Where each capability keeps her words (an edit keeps no old text: her first words are looked for after only).
    const heldBefore = (await whereHeld(chat, mark)).join('\n');
    const words = [
      'Namemark',
      'wordmark',
      'reasonmark',
      'mutemark',
      'pollmark',
      'optmark',
      'questionmark',
      'zeldalink',
      'filemark',
      'zeldadevice',
    ];
    for (const word of words) expect(heldBefore).toContain(`${word}${mark}`);
    const partsBefore = JSON.stringify(await pluginParts(s));
    for (const word of ['pollmark', 'optmark', 'zeldalink']) expect(partsBefore).toContain(`${word}${mark}`);
    expect(partsBefore).toContain(zelda.id);
    await expect(expectStoredNowhere(chat, mark, [zelda.id, luis.id, eva.id], { found: kept })).rejects.toThrow();
    expect(await exported(chat, zelda.id)).toContain(`filemark${mark}`);

    await chat.eraseUser(zelda.id);

    // Soft: every place that still holds her is told in one run, each naming its table or part.
    expect.soft(await whereHeld(chat, mark), 'her marker, where still stored').toEqual([]);
    // Her id too: her records go, and what stays (placeholders, audit, pins) names ERASED_USER.
    expect.soft(await whereHeld(chat, zelda.id), 'her id, where still stored').toEqual([]);
    expect.soft(await chat.store.userRecords(zelda.id)).toEqual({
      memberships: [],
      reactions: [],
      threadReads: [],
      endedReads: [],
      reports: [],
      pushSubscriptions: [],
    });
    const parts = await pluginParts(s);
    for (const [part, value] of Object.entries(parts)) {
      // The link previews' cache is keyed by URL (chat_link_previews.url): a link she wrote is her words.
      expect.soft(JSON.stringify(value).includes(mark), `the ${part} store part holds her marker`).toBe(false);
      expect.soft(JSON.stringify(value).includes(zelda.id), `the ${part} store part holds her id`).toBe(false);
    }
    const after = await whatLuisReads(s);
    expect.soft(after.found.words, 'a search for her words').toEqual([]);
    expect.soft(after.found.name, 'a search for her name').toEqual([]);
    expect.soft(after.found.kept.length, 'a search for his words').toBeGreaterThan(0);
    const reads: Array<[string, unknown]> = [
      ['join answer of the room, messages', after.joins[0]?.messages],
      ['join answer of the room, members and roles', { ...after.joins[0], messages: undefined, plugins: undefined }],
      ['join answer of the room, plugins (polls, questions, pins)', after.joins[0]?.plugins],
      ['join answer of the direct room', after.joins[1]],
      ['history, thread and direct room', after.messages],
      ['conversations:list', after.conversations],
      ['question:list', after.questions],
      ['GET /rooms/:id/pins', after.pins],
      ['poll results', after.messages.filter((m) => m.poll).map((m) => m.poll)],
      ['room:members', after.members],
    ];
    for (const [part, value] of reads) {
      const text = JSON.stringify(value) ?? '';
      expect.soft(text.includes(mark), `${part} holds her marker`).toBe(false);
      expect.soft(text.includes(zelda.id), `${part} holds her id`).toBe(false);
    }
    expect.soft(JSON.stringify(after).includes(kept), 'what Luis reads still holds his words').toBe(true);
    // Her presence is that of nobody stored: no status text.
    expect.soft(JSON.stringify(after.presence).includes(mark), 'presence:of holds her status text').toBe(false);

    // The audit log keeps every action and the reports stay, naming ERASED_USER instead of her.
    const { entries } = await chat.auditLog(s.town);
    expect.soft(entries.length, 'audit entries kept').toBe(9);
    // Eva is still muted, by ERASED_USER's action, and is told no reason of hers.
    expect.soft(await chat.store.getStanding(s.town, eva.id), 'the mute she set, in force').toMatchObject({ mute: {} });
    expect.soft((await chat.store.getStanding(s.town, eva.id))?.mute?.reason, 'the reason of the mute she set').toBeUndefined();
    expect.soft(JSON.stringify(entries).includes(zelda.id), 'audit log holds her id').toBe(false);
    const auditReasons = entries.filter((e) => e.reason?.includes(mark)).map((e) => [e.action, e.actor.id, e.targetUserId, e.reason]);
    expect.soft(auditReasons, 'audit entries (chat_audit.reason) keeping the reason she wrote as a moderator').toEqual([]);
    const { reports } = await chat.reports(s.town);
    expect.soft(reports.map((r) => r.reporter.id).sort()).toEqual([ERASED_USER.id, luis.id].sort());
    const reportReasons = reports.filter((r) => r.reason.includes(mark)).map((r) => [r.reporter.id, r.messageId, r.reason]);
    expect.soft(reportReasons, 'reports (chat_reports.reason) keeping the reason she wrote').toEqual([]);

    // The exports of the others do not carry her; hers is empty of her words and her file is gone.
    for (const other of [luis, eva]) expect.soft((await exported(chat, other.id)).includes(mark), `export of ${other.name}`).toBe(false);
    expect.soft((await exported(chat, zelda.id)).includes(mark), 'her own export after the erase').toBe(false);
    expect.soft((await fetch(s.file.url, { method: 'HEAD' })).status, 'her file is no longer served').toBe(404);

    // The whole store, as the other conformance cases look at it.
    await expectStoredNowhere(chat, mark, [zelda.id, luis.id, eva.id], { found: kept });
  });
}

describe('erasing a person who used every capability (MemoryStore)', () => {
  eraseEverythingSuite(() => new MemoryStore());
});

describe.skipIf(skipWithoutPostgres())('erasing a person who used every capability (PostgresStore)', () => {
  const schema = useTestSchema();
  eraseEverythingSuite(() => new PostgresStore({ pool: schema.pool() }));
});
