// The random sequences of a model run: fast-check's commands over everything people and the host
// do, weighted so that most steps write (sends, replies) and the rest change who may read.
import fc from 'fast-check';
import { PEOPLE, ROOMS, type ChatModel, type Person } from './chat-model-fixtures.js';
import type { ModelWorld } from './model-world-fixtures.js';
import type { Step } from './model-step-fixtures.js';
import { Delete, Edit, Join, Leave, MarkRead, React, Reply, Send } from './people-steps-fixtures.js';
import { Blip, ComeBack, GoAway, SubscribePush } from './connection-steps-fixtures.js';
import { Add, Ban, Erase, Kick, Remove, Unban } from './host-steps-fixtures.js';
import { Pin } from './pin-steps-fixtures.js';
import { Ask, CreatePoll, Upvote, Vote } from './question-steps-fixtures.js';
import { ModerateQuestion, SetRole } from './question-moderation-steps-fixtures.js';
import { LiveReact } from './live-reaction-steps-fixtures.js';

/** How often each step is drawn, relative to the others. */
const WEIGHTS = { send: 8, reply: 6, join: 2, away: 1, back: 3, ask: 2, upvote: 3, moderate: 8, poll: 2, vote: 3 } as const;

/** The commands of a run: at most `maxCommands` steps (`replayPath`: from a failure's report, to replay it). */
export function modelCommands(maxCommands: number, replayPath?: string): fc.Arbitrary<Iterable<fc.AsyncCommand<ChatModel, ModelWorld>>> {
  const person = fc.constantFrom(...PEOPLE);
  const room = fc.constantFrom(...ROOMS);
  const pick = fc.nat(15);
  const via = fc.nat(1);
  // One message in three mentions someone.
  const mention = fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: person, weight: 1 });
  // Half the moderators' steps are Ana's, who moderates every room from the start; the others are mostly refused.
  const moderator = fc.oneof(fc.constant<Person>('ana'), person);
  const times = (n: number, arb: fc.Arbitrary<Step>) => Array.from({ length: n }, () => arb);
  const steps: Array<fc.Arbitrary<Step>> = [
    ...times(
      WEIGHTS.send,
      fc.tuple(person, room, mention).map(([p, r, m]) => new Send(p, r, m)),
    ),
    ...times(
      WEIGHTS.reply,
      fc.tuple(person, room, pick, fc.boolean(), mention).map(([p, r, n, also, m]) => new Reply(p, r, n, also, m)),
    ),
    ...times(
      WEIGHTS.join,
      fc.tuple(person, room).map(([p, r]) => new Join(p, r)),
    ),
    ...times(
      WEIGHTS.back,
      person.map((p) => new ComeBack(p)),
    ),
    fc.tuple(person, room).map(([p, r]) => new Leave(p, r)),
    fc.tuple(person, room, pick).map(([p, r, n]) => new Edit(p, r, n)),
    fc.tuple(person, room, pick).map(([p, r, n]) => new Delete(p, r, n)),
    fc.tuple(person, room, pick, fc.constantFrom('👍', '🎉')).map(([p, r, n, e]) => new React(p, r, n, e)),
    fc.tuple(person, room).map(([p, r]) => new LiveReact(p, r)),
    ...times(
      WEIGHTS.ask,
      fc.tuple(person, room).map(([p, r]) => new Ask(p, r)),
    ),
    ...times(
      WEIGHTS.poll,
      fc.tuple(person, room).map(([p, r]) => new CreatePoll(p, r)),
    ),
    ...times(
      WEIGHTS.vote,
      fc.tuple(person, room, pick, fc.nat(2)).map(([p, r, n, o]) => new Vote(p, r, n, o)),
    ),
    ...times(
      WEIGHTS.upvote,
      fc.tuple(person, room, pick).map(([p, r, n]) => new Upvote(p, r, n)),
    ),
    ...times(
      WEIGHTS.moderate,
      fc
        .tuple(moderator, pick, fc.constantFrom('answer' as const, 'reply' as const, 'hide' as const))
        .map(([p, n, move]) => new ModerateQuestion(p, n, move)),
    ),
    fc.tuple(person, room, via).map(([p, r, v]) => new SetRole(p, r, v)),
    fc.tuple(room, pick, via).map(([r, n, v]) => new Pin(r, n, v)),
    fc.tuple(person, room, pick, fc.boolean()).map(([p, r, n, thread]) => new MarkRead(p, r, n, thread)),
    ...times(
      WEIGHTS.away,
      person.map((p) => new GoAway(p)),
    ),
    person.map((p) => new Blip(p)),
    person.map((p) => new SubscribePush(p)),
    fc.tuple(person, room, via).map(([p, r, v]) => new Kick(p, r, v)),
    fc.tuple(person, room, via).map(([p, r, v]) => new Ban(p, r, v)),
    fc.tuple(person, room, via).map(([p, r, v]) => new Unban(p, r, v)),
    fc.tuple(person, room, via).map(([p, r, v]) => new Remove(p, r, v)),
    fc.tuple(person, room, via).map(([p, r, v]) => new Add(p, r, v)),
    fc.tuple(person, via).map(([p, v]) => new Erase(p, v)),
  ];
  return fc.commands(steps, { maxCommands, size: 'max', ...(replayPath !== undefined && { replayPath }) });
}
