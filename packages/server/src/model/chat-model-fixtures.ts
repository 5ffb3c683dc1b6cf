// The plain model of the model-based test (server-model.integration.test.ts): who is a member,
// banned, online and in which rooms, each room's messages and threads, and the read marks, with
// the rules that say what each person may read and what their counts are. Nothing here talks to a
// server: the steps change it beside the real system and the checks compare the two.

/** The people of a run (3 or 4 of them), by a short key; their ids and names are the run's own. */
export const PEOPLE = ['ana', 'ben', 'eva', 'luis'] as const;
export type Person = (typeof PEOPLE)[number];

/** The rooms of a run: two public ones and a private one. */
export const ROOMS = ['town', 'cafe', 'board'] as const;
export type RoomKey = (typeof ROOMS)[number];
const PRIVATE_ROOMS: ReadonlySet<RoomKey> = new Set<RoomKey>(['board']);

/** Every text a person writes holds this word, so that one search finds every message one may read. */
export const COMMON_WORD = 'palabra';

/** One stored message (a thread reply too), as the model holds it. */
export interface ModelMessage {
  id: string;
  room: RoomKey;
  seq: number;
  author: Person;
  /** The current text; '' once deleted. */
  text: string;
  /** The words it carries now ('' once deleted) and every word it ever carried (edits). */
  word: string;
  words: string[];
  /** A reply: its thread's top-level message. */
  threadOf?: string;
  alsoInRoom: boolean;
  deleted: boolean;
  /** Who reacted with each emoji, in order. */
  reactions: Map<string, Person[]>;
  /** Who it mentions (kept: stored members of the room when it was sent); none once edited or deleted. */
  mentions: Person[];
  /** A question (asked with `room.questions.ask`): who upvoted it, in order; marked answered, hidden by a moderator. */
  question?: { upvoters: Person[]; answered: boolean; hidden: boolean };
  /** A poll (posted with `room.polls.create`, single choice): its option ids, and each voter's choice. */
  poll?: { options: string[]; votes: Map<Person, string> };
  /** The step it was sent at. */
  step: number;
}

export interface ModelPerson {
  online: boolean;
  erased: boolean;
  /** A push device subscribed. */
  device: boolean;
  /** The rooms their client is in (or will re-join when it comes back). */
  joined: Set<RoomKey>;
  /** Read mark per room, while a stored member (a new membership starts where the last one ended, else at 0). */
  marks: Map<RoomKey, number>;
  /** The mark of each ended membership, for when it starts again (gone with an erase). */
  endedMarks: Map<RoomKey, number>;
  /** Mark per thread (top-level message id); kept when a membership ends. */
  threadMarks: Map<string, number>;
}

export interface ModelRoom {
  members: Set<Person>;
  banned: Set<Person>;
  /** Every message, replies included, in seq order. */
  messages: ModelMessage[];
  /** Who takes part in each thread (wrote its parent or a reply, or a reply mentioned them), by top-level message id. */
  participants: Map<string, Set<Person>>;
  /** The pinned messages (the pins() plugin, pinned by the host), newest pin first. */
  pinned: string[];
  /** Whom the host made moderators (`chat.setRole`); a ban ends the role. */
  moderators: Set<Person>;
  /** Whether a question was ever asked in it (its list is read only then: before, it is empty). */
  asked: boolean;
}

/** Where a word came from: the room it was written in and the step. */
export interface WordOrigin {
  room: RoomKey;
  step: number;
  author: Person;
}

/** What the model says must (and may) reach people of each message: keys are `person\nmessageId`. */
export interface Expected {
  /** Who must get each message live on their socket, once: online, in the room, not its sender. */
  live: Map<string, Set<Person>>;
  pushMust: Set<string>;
  pushMay: Set<string>;
  notify: Set<string>;
}

/** The whole model of one run. */
export class ChatModel {
  /** The step being run (0: the setup). */
  step = 0;
  readonly people: Record<Person, ModelPerson>;
  readonly rooms: Record<RoomKey, ModelRoom>;
  readonly byId = new Map<string, ModelMessage>();
  /** Who may read each room after each step (index: the step). */
  readonly readersAt: Array<Record<RoomKey, ReadonlySet<Person>>> = [];
  readonly origins = new Map<string, WordOrigin>();
  /** Words no longer in any message (edited away, deleted, erased): no read may return them. */
  readonly dead = new Set<string>();
  /** Each erased person's name and words, and the step of the erase. */
  readonly erased = new Map<Person, { step: number; strings: string[] }>();
  readonly expected: Expected = { live: new Map(), pushMust: new Set(), pushMay: new Set(), notify: new Set() };
  /** The live reactions sent, each with its room and step (a burst of a room counts those sent before it). */
  readonly liveReactions: Array<{ room: RoomKey; step: number }> = [];
  #words = 0;

  constructor(
    readonly tag: string,
    readonly cast: readonly Person[],
  ) {
    const person = (): ModelPerson => ({
      online: true,
      erased: false,
      device: false,
      joined: new Set(),
      marks: new Map(),
      endedMarks: new Map(),
      threadMarks: new Map(),
    });
    const room = (): ModelRoom => ({
      members: new Set(),
      banned: new Set(),
      messages: [],
      participants: new Map(),
      pinned: [],
      moderators: new Set(),
      asked: false,
    });
    this.people = { ana: person(), ben: person(), eva: person(), luis: person() };
    this.rooms = { town: room(), cafe: room(), board: room() };
  }

  /** A word no other text of any run holds: `m<tag>x<n>q`. */
  nextWord(): string {
    return `m${this.tag}x${++this.#words}q`;
  }

  alive(person: Person): boolean {
    return this.cast.includes(person) && !this.people[person].erased;
  }

  isPrivate(room: RoomKey): boolean {
    return PRIVATE_ROOMS.has(room);
  }

  /** The audience rule: not erased, not banned, and for a private room a stored member. */
  mayRead(person: Person, room: RoomKey): boolean {
    const r = this.rooms[room];
    return this.alive(person) && !r.banned.has(person) && (!this.isPrivate(room) || r.members.has(person));
  }

  /** A join is let in exactly when the room may be read. */
  mayJoin(person: Person, room: RoomKey): boolean {
    return this.mayRead(person, room);
  }

  isMember(person: Person, room: RoomKey): boolean {
    return this.rooms[room].members.has(person);
  }

  /** Whether the person moderates the room's questions now (a moderator, alive and not banned). */
  moderates(person: Person, room: RoomKey): boolean {
    const r = this.rooms[room];
    return this.alive(person) && r.moderators.has(person) && !r.banned.has(person);
  }

  /** Records who may read what after the step: a word seen later is checked against it. */
  snapshot(): void {
    const readers = {} as Record<RoomKey, ReadonlySet<Person>>;
    for (const room of ROOMS) readers[room] = new Set(this.cast.filter((p) => this.mayRead(p, room)));
    this.readersAt[this.step] = readers;
  }

  /** Whether `person` was allowed to read `room` at some step from `from` to `to`. */
  mayHaveRead(person: Person, room: RoomKey, from: number, to: number): boolean {
    for (let step = Math.max(0, from); step <= to; step++) if (this.readersAt[step]?.[room].has(person)) return true;
    return false;
  }

  // Membership -------------------------------------------------------------------------------

  addMember(person: Person, room: RoomKey): void {
    const r = this.rooms[room];
    if (r.members.has(person)) return;
    r.members.add(person);
    const p = this.people[person];
    p.marks.set(room, Math.min(p.endedMarks.get(room) ?? 0, this.lastSeq(room)));
    p.endedMarks.delete(room);
  }

  endMembership(person: Person, room: RoomKey): void {
    const p = this.people[person];
    const mark = p.marks.get(room);
    if (this.rooms[room].members.delete(person) && mark !== undefined && mark > 0) p.endedMarks.set(room, mark);
    p.marks.delete(room);
  }

  // Messages ---------------------------------------------------------------------------------

  mainLog(room: RoomKey): ModelMessage[] {
    return this.rooms[room].messages.filter((m) => m.threadOf === undefined || m.alsoInRoom);
  }

  replies(room: RoomKey, root: string): ModelMessage[] {
    return this.rooms[room].messages.filter((m) => m.threadOf === root);
  }

  /** Top-level messages of the room that have replies. */
  threads(room: RoomKey): ModelMessage[] {
    return this.rooms[room].messages.filter((m) => m.threadOf === undefined && this.rooms[room].participants.has(m.id));
  }

  lastSeq(room: RoomKey): number {
    return this.rooms[room].messages.at(-1)?.seq ?? 0;
  }

  /** A message the server stored: the model files it and moves the sender's marks. */
  stored(message: ModelMessage): void {
    const r = this.rooms[message.room];
    r.messages.push(message);
    if (message.question) r.asked = true;
    this.byId.set(message.id, message);
    this.origins.set(message.word, { room: message.room, step: this.step, author: message.author });
    const sender = this.people[message.author];
    if (message.threadOf !== undefined) {
      const root = message.threadOf;
      const parent = this.byId.get(root);
      const people = r.participants.get(root) ?? new Set<Person>();
      // Those a reply mentions take part from it on: the replies before it are not theirs to read.
      for (const p of message.mentions) {
        if (people.has(p) || p === parent?.author) continue;
        people.add(p);
        const marks = this.people[p].threadMarks;
        marks.set(root, Math.max(marks.get(root) ?? 0, message.seq - 1));
      }
      if (parent && !this.people[parent.author].erased) people.add(parent.author);
      people.add(message.author);
      r.participants.set(root, people);
      sender.threadMarks.set(root, Math.max(sender.threadMarks.get(root) ?? 0, message.seq));
    }
    if ((message.threadOf === undefined || message.alsoInRoom) && r.members.has(message.author))
      sender.marks.set(message.room, message.seq);
  }

  /**
   * What must reach people of a message just stored: live to those online in the room, and to
   * those away (no socket) who are stored members and may read the room, a push (members for a
   * main-log message, the thread's participants for a reply) and for a reply a `notify`.
   * `cachedMembers`: the level-`all` members come from a member list another process may hold
   * for up to 2 s (a cluster), so their pushes may come, but need not.
   */
  expect(message: ModelMessage, cachedMembers: boolean): void {
    const others = this.cast.filter((p) => p !== message.author);
    this.expected.live.set(message.id, new Set(others.filter((p) => this.people[p].online && this.people[p].joined.has(message.room))));
    const r = this.rooms[message.room];
    const away = (p: Person) => !this.people[p].online && r.members.has(p) && this.mayRead(p, message.room);
    const inThread = new Set(message.threadOf === undefined ? [] : (r.participants.get(message.threadOf) ?? []));
    // Those it mentions and a thread's participants are told (`notify`) and pushed to, exactly; the
    // members at level `all` are pushed to for a message of the main log.
    const told = (p: Person) => inThread.has(p) || message.mentions.includes(p);
    const everyone = message.threadOf === undefined || message.alsoInRoom ? others : [];
    for (const p of others.filter(away)) {
      const key = `${p}\n${message.id}`;
      if (told(p)) this.expected.notify.add(key);
      if (!this.people[p].device) continue;
      if (told(p) || (everyone.includes(p) && !cachedMembers)) this.expected.pushMust.add(key);
      if (told(p) || everyone.includes(p)) this.expected.pushMay.add(key);
    }
  }

  /** An edit without mentions replaces them with none. */
  edited(message: ModelMessage, word: string): void {
    message.mentions = [];
    this.dead.add(message.word);
    message.word = word;
    message.words.push(word);
    message.text = `${COMMON_WORD} ${word}`;
    this.origins.set(word, { room: message.room, step: this.step, author: message.author });
  }

  deleted(message: ModelMessage): void {
    if (message.deleted) return;
    this.dead.add(message.word);
    message.deleted = true;
    message.text = '';
    message.word = '';
    message.reactions.clear();
    message.mentions = [];
    // A question or a poll goes with its message, upvotes and votes and all; so does its pin.
    delete message.question;
    delete message.poll;
    const room = this.rooms[message.room];
    room.pinned = room.pinned.filter((id) => id !== message.id);
  }

  /** Adds the person's upvote of a question, or takes it back when they had it; whether it is on now. */
  toggleUpvote(message: ModelMessage, person: Person): boolean {
    const question = message.question;
    if (!question) throw new Error(`seq ${message.seq} is no question`);
    const had = question.upvoters.includes(person);
    question.upvoters = had ? question.upvoters.filter((p) => p !== person) : [...question.upvoters, person];
    return !had;
  }

  /** Each option's votes of a poll, in the options' order. */
  pollCounts(message: ModelMessage): number[] | null {
    const poll = message.poll;
    if (!poll) return null;
    const chosen = [...poll.votes.values()];
    return poll.options.map((id) => chosen.filter((c) => c === id).length);
  }

  /** The room's questions (not deleted), in seq order. */
  questions(room: RoomKey): ModelMessage[] {
    return this.rooms[room].messages.filter((m) => !m.deleted && m.question !== undefined);
  }

  /**
   * The room's questions as a list gives them to a person (`sort: 'top'`): most upvotes first, then
   * the first asked first; hidden ones only to those who moderate the room.
   */
  questionList(person: Person, room: RoomKey): ModelMessage[] {
    const upvotes = (m: ModelMessage) => m.question?.upvoters.length ?? 0;
    return this.questions(room)
      .filter((m) => this.moderates(person, room) || m.question?.hidden !== true)
      .sort((a, b) => upvotes(b) - upvotes(a) || a.seq - b.seq);
  }

  /** The questions of a room a person upvoted (not deleted), by message id. */
  upvotedBy(person: Person, room: RoomKey): string[] {
    return this.rooms[room].messages.filter((m) => !m.deleted && m.question?.upvoters.includes(person)).map((m) => m.id);
  }

  /** Adds the reaction, or takes it back when the person had it. */
  toggleReaction(message: ModelMessage, person: Person, emoji: string): boolean {
    const users = message.reactions.get(emoji) ?? [];
    const had = users.includes(person);
    const next = had ? users.filter((p) => p !== person) : [...users, person];
    if (next.length === 0) message.reactions.delete(emoji);
    else message.reactions.set(emoji, next);
    return !had;
  }

  // Counts -----------------------------------------------------------------------------------

  /**
   * The room's unread for a member: messages of others in its main log after their mark (thread-only
   * replies stay out). One's own messages never count: sending moves the mark, and a membership
   * that ended and began again starts at the mark it ended with.
   */
  unread(person: Person, room: RoomKey): number {
    return this.#unreadMessages(person, room).length;
  }

  /** Of the room's unread, those that mention the person (a reply only in its thread counts in its thread instead). */
  mentionsOf(person: Person, room: RoomKey): number {
    return this.#unreadMessages(person, room).filter((m) => m.mentions.includes(person)).length;
  }

  #unreadMessages(person: Person, room: RoomKey): ModelMessage[] {
    const mark = this.people[person].marks.get(room) ?? 0;
    return this.mainLog(room).filter((m) => m.seq > mark && m.author !== person);
  }

  /** Unread replies of others in a thread the person takes part in (an `alsoInRoom` reply counts here too). */
  threadUnread(person: Person, room: RoomKey, root: string): number {
    if (!this.rooms[room].participants.get(root)?.has(person)) return 0;
    const mark = this.people[person].threadMarks.get(root) ?? 0;
    return this.replies(room, root).filter((m) => m.seq > mark && m.author !== person).length;
  }

  threadUnreadTotal(person: Person, room: RoomKey): number {
    let total = 0;
    for (const root of this.threads(room)) total += this.threadUnread(person, room, root.id);
    return total;
  }

  markRead(person: Person, room: RoomKey, seq: number): void {
    const marks = this.people[person].marks;
    marks.set(room, Math.max(marks.get(room) ?? 0, Math.min(seq, this.lastSeq(room))));
  }

  markThreadRead(person: Person, room: RoomKey, root: string, seq: number): void {
    const marks = this.people[person].threadMarks;
    marks.set(root, Math.max(marks.get(root) ?? 0, Math.min(seq, this.lastSeq(room))));
  }

  // Erasure ----------------------------------------------------------------------------------

  /** The person is erased: their messages are placeholders, their reactions and memberships gone. */
  erase(person: Person, name: string): void {
    const strings = [name];
    for (const room of ROOMS) {
      const r = this.rooms[room];
      for (const message of r.messages) {
        if (message.author === person) {
          strings.push(...message.words);
          this.deleted(message);
        }
        for (const [emoji, users] of message.reactions) {
          const left = users.filter((p) => p !== person);
          if (left.length === 0) message.reactions.delete(emoji);
          else message.reactions.set(emoji, left);
        }
        if (message.question) message.question.upvoters = message.question.upvoters.filter((p) => p !== person);
        message.poll?.votes.delete(person);
      }
      for (const people of r.participants.values()) people.delete(person);
      r.banned.delete(person);
      this.endMembership(person, room);
    }
    const p = this.people[person];
    p.erased = true;
    p.online = false;
    p.joined.clear();
    p.endedMarks.clear();
    p.threadMarks.clear();
    this.erased.set(person, { step: this.step, strings });
  }

  /** Every erased person's name and words. */
  erasedStrings(): string[] {
    return [...this.erased.values()].flatMap((e) => e.strings);
  }
}
