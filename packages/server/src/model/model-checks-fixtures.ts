// The rules checked after every step of a model run:
// - nobody receives a room's words on any path (socket events, room:activity, notify, push,
//   search, history, thread history, conversations) while not allowed to read the room;
// - every member online receives every message once, in order (live), and the views after any
//   reconnect equal the model's (view-checks-fixtures.ts);
// - unread counts, of rooms and threads, are the model's (views and conversations);
// - after an erase, the person's name and words appear nowhere: not in what anyone reads or
//   receives, not in the store.
import { expect } from 'vitest';
import { waitFor } from '../../../../test-support/wait.js';
import type { ChatModel } from './chat-model-fixtures.js';
import type { ModelWorld } from './model-world-fixtures.js';
import { holding } from './message-shape-fixtures.js';
import { wordsIn, type Observation } from './observations-fixtures.js';
import { checkReads } from './read-checks-fixtures.js';
import { expectStoreHoldsNone } from './store-dump-fixtures.js';
import { checkViews } from './view-checks-fixtures.js';

/** Live: each message reached everyone online in its room once (the sender has it in the answer), in seq order. */
async function checkLive(model: ChatModel, world: ModelWorld): Promise<void> {
  const obs = world.observations;
  const due = [...model.expected.live];
  await waitFor(() => {
    for (const [id, people] of due) {
      for (const p of people) expect(obs.liveCount(p, id), `${p} got seq ${model.byId.get(id)?.seq} live`).toBeGreaterThan(0);
    }
  });
  model.expected.live.clear();
  for (const [person, counts] of obs.live) {
    const twice = [...counts].filter(([, n]) => n > 1).map(([id]) => model.byId.get(id)?.seq ?? id);
    expect(twice, `messages ${person} got live more than once`).toEqual([]);
  }
  for (const [key, seqs] of obs.liveOrder) {
    expect(
      seqs.filter((seq, i) => i > 0 && seq <= (seqs[i - 1] as number)),
      `live messages out of order for ${key.replace('\n', ' in ')}`,
    ).toEqual([]);
  }
}

/** Pushes and notify calls: each one the model says must come came once, and none it does not allow. */
async function checkAway(model: ChatModel, world: ModelWorld): Promise<void> {
  const obs = world.observations;
  const named = (key: string) => {
    const [person, id] = key.split('\n');
    return `${person} about seq ${model.byId.get(id ?? '')?.seq} in ${model.byId.get(id ?? '')?.room}`;
  };
  await waitFor(() => {
    world.readPushes();
    const pushed = obs.about('push');
    const told = obs.about('notify');
    expect([...model.expected.pushMust].filter((k) => !pushed.has(k)).map(named), 'pushes not sent').toEqual([]);
    expect([...model.expected.notify].filter((k) => !told.has(k)).map(named), 'notify calls not made').toEqual([]);
  });
  for (const [path, allowed] of [
    ['push', model.expected.pushMay],
    ['notify', model.expected.notify],
  ] as const) {
    const got = obs.about(path);
    expect(
      [...got].filter(([, n]) => n > 1).map(([k]) => named(k)),
      `${path}: more than one`,
    ).toEqual([]);
    expect([...got.keys()].filter((k) => !allowed.has(k)).map(named), `${path}: to someone the model does not allow`).toEqual([]);
  }
}

/** Every observation since the last check: its words came from rooms its receiver was allowed to read then. */
function checkObserved(model: ChatModel, world: ModelWorld): void {
  const all = world.observations.all;
  const leaks: string[] = [];
  for (; world.checkedObservations < all.length; world.checkedObservations++) {
    const o = all[world.checkedObservations];
    if (!o) continue;
    if (o.what === 'live-reaction:burst') leaks.push(...burstLeak(model, world, o));
    for (const word of wordsIn(o.json, model.tag)) {
      const origin = model.origins.get(word);
      if (!origin) leaks.push(`${o.person} got ${word}, a word no step wrote, by ${o.path} ${o.what}`);
      else if (!model.mayHaveRead(o.person, origin.room, origin.step, o.step)) {
        leaks.push(
          `${o.person} got ${word} of ${origin.room} (written at step ${origin.step}) by ${o.path} ${o.what} at step ${o.step}, not allowed to read ${origin.room} since`,
        );
      }
    }
    for (const [person, erased] of model.erased) {
      if (o.step <= erased.step) continue;
      for (const s of holding(o.json, erased.strings))
        leaks.push(`${o.person} got ${s} of ${person}, erased at step ${erased.step}, by ${o.path} ${o.what} at step ${o.step}`);
    }
  }
  expect(leaks, 'what people received').toEqual([]);
}

/**
 * A room's burst of live reactions reaches only someone allowed to read the room at some step
 * since a reaction it may count was sent (the room's sockets: joined, not banned, kicked or removed).
 */
function burstLeak(model: ChatModel, world: ModelWorld, o: Observation): string[] {
  const room = world.roomOf((JSON.parse(o.json) as { roomId?: string }).roomId ?? '');
  if (room === undefined) return [`${o.person} got a burst of live reactions of no room of the run: ${o.json}`];
  const sent = model.liveReactions.filter((r) => r.room === room && r.step <= o.step);
  if (sent.some((r) => model.mayHaveRead(o.person, room, r.step, o.step))) return [];
  return [`${o.person} got a burst of live reactions of ${room} at step ${o.step}, not allowed to read ${room} since any was sent`];
}

/** After an erase: nothing of the person in the store. */
async function checkStore(model: ChatModel, world: ModelWorld): Promise<void> {
  const strings = model.erasedStrings();
  if (strings.length === 0) return;
  // The processes of a cluster share one database: one look is enough.
  const store = world.servers[0]?.store;
  if (store) await expectStoreHoldsNone(store, strings, `after erasing ${[...model.erased.keys()].join(', ')}`);
}

export async function checkAfterStep(model: ChatModel, world: ModelWorld): Promise<void> {
  await checkLive(model, world);
  await checkAway(model, world);
  await checkViews(model, world);
  checkObserved(model, world);
  await checkReads(model, world);
  if ([...model.erased.values()].some((e) => e.step === model.step)) await checkStore(model, world);
}

/** At the end of a run: what arrived after the last step's checks, and the store once more. */
export async function checkAtEnd(model: ChatModel, world: ModelWorld): Promise<void> {
  world.readPushes();
  checkObserved(model, world);
  await checkStore(model, world);
}
