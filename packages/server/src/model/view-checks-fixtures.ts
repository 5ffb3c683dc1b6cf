// What each person online sees in their SDK client, against the model: every room they are in
// holds the room's main log (its latest part: a join loads a page) as the model has it, every
// thread they follow its replies, and the room's counts (unread, unread per thread) are the
// model's. After a reconnect of any length this is what the catch-up must give. Eventual: the
// client hears of changes a moment after the step that made them.
import { expect } from 'vitest';
import type { Message } from '@chat/protocol';
import { waitFor } from '../../../../test-support/wait.js';
import { ROOMS, type ChatModel, type ModelMessage, type Person } from './chat-model-fixtures.js';
import type { ModelWorld } from './model-world-fixtures.js';
import { holding, modelShape, shapeOf } from './message-shape-fixtures.js';

/** The model's messages a view of `held` messages must equal: the latest `held` of them. */
function latest(model: ModelMessage[], held: number): ModelMessage[] {
  return model.slice(Math.max(0, model.length - held));
}

function compareView(model: ChatModel, world: ModelWorld, label: string, view: readonly Message[], expected: ModelMessage[]): void {
  // A join loads a page of the latest (50 by default); everything after it comes live.
  expect(view.length, `${label}: messages held`).toBeGreaterThanOrEqual(Math.min(expected.length, 50));
  expect(
    view.map((m) => shapeOf(m, model, world)),
    label,
  ).toEqual(latest(expected, view.length).map((m) => modelShape(m, model, world)));
}

function checkPerson(model: ChatModel, world: ModelWorld, person: Person): void {
  const handle = world.person(person);
  expect(handle.client.state, `${person}'s client`).toBe('connected');
  const erased = model.erasedStrings();
  for (const room of ROOMS) {
    if (!model.people[person].joined.has(room)) continue;
    const sdk = handle.client.getRoom(world.roomIds[room]);
    expect(sdk?.state, `${person}'s client in ${room}`).toBe('joined');
    if (!sdk) continue;
    compareView(model, world, `${person}'s view of ${room}`, sdk.messages, model.mainLog(room));
    expect(sdk.unreadCount, `${person}'s unread in ${room} (SDK)`).toBe(model.unread(person, room));
    // Their upvotes, the same on every device and after any time away (those of deleted questions aside).
    const questions = new Set(model.rooms[room].messages.filter((m) => !m.deleted && m.question).map((m) => m.id));
    expect(sdk.questions.myUpvotes.filter((id) => questions.has(id)).sort(), `${person}'s upvotes in ${room} (SDK)`).toEqual(
      model.upvotedBy(person, room).sort(),
    );
    // The room's pins, with their messages as they are now (edited, or unpinned by a deletion).
    expect(
      sdk.pins.list.map((m) => [m.id, m.text]),
      `the pins of ${room} in ${person}'s client`,
    ).toEqual(model.rooms[room].pinned.map((id) => [id, model.byId.get(id)?.text]));
    // Their choice in each poll, the same on every device and after any time away.
    for (const message of model.rooms[room].messages) {
      if (message.deleted || !message.poll) continue;
      const choice = message.poll.votes.get(person);
      expect(sdk.polls.myVotes(message.id), `${person}'s vote in the poll of seq ${message.seq} (SDK)`).toEqual(
        choice === undefined ? [] : [choice],
      );
    }
    for (const root of model.threads(room)) {
      expect(sdk.threadUnreadOf(root.id), `${person}'s unread in the thread of seq ${root.seq} in ${room} (SDK)`).toBe(
        model.threadUnread(person, room, root.id),
      );
    }
    for (const root of handle.threads.get(sdk) ?? []) {
      const thread = sdk.thread(root);
      const parent = model.byId.get(root);
      compareView(
        model,
        world,
        `${person}'s view of the thread of seq ${parent?.seq} in ${room}`,
        thread.messages,
        model.replies(room, root),
      );
    }
    const threads = [...(handle.threads.get(sdk) ?? [])].map((root) => sdk.thread(root));
    const shown = JSON.stringify([sdk.messages, threads.map((t) => [t.parent, t.messages])]);
    expect(holding(shown, erased), `${person}'s view of ${room} after an erase`).toEqual([]);
  }
}

/** Waits until every person online sees what the model says (10 s at most). */
export async function checkViews(model: ChatModel, world: ModelWorld): Promise<void> {
  const online = model.cast.filter((p) => model.alive(p) && model.people[p].online);
  await waitFor(() => {
    for (const person of online) checkPerson(model, world, person);
  });
}
