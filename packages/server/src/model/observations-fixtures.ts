// What each person of a model run observed on the paths that carry a room's words to them without
// them asking: every event of their socket, every `notify` call and every push to their device,
// each stamped with the step it arrived in.
import type { Message } from '@chat/protocol';
import type { ReceivedRequest } from '../../../../test-support/http-receiver.js';
import type { Person } from './chat-model-fixtures.js';

/** The path a thing came by. */
type ObservedPath = 'socket' | 'notify' | 'push';

export interface Observation {
  person: Person;
  path: ObservedPath;
  /** The socket event's name, the notify kind, or `push`. */
  what: string;
  /** Everything it carried, as JSON. */
  json: string;
  step: number;
  /** For a push or a notify: the message it was about. */
  messageId?: string;
}

/** Live deliveries: how many times a person's socket got each message as new (`message` / `messages`). */
export type LiveCounts = Map<Person, Map<string, number>>;

/** The words of a run in a text: `m<tag>x<n>q`. */
export function wordsIn(text: string, tag: string): string[] {
  return text.match(new RegExp(`m${tag}x\\d+q`, 'gu')) ?? [];
}

/** Collects observations as they arrive; the checks read them after each step. */
export class Observations {
  readonly all: Observation[] = [];
  readonly live: LiveCounts = new Map();
  /** Seqs of live messages per person and room, in arrival order. */
  readonly liveOrder = new Map<string, number[]>();
  #pushesRead = 0;

  constructor(readonly currentStep: () => number) {}

  /** A socket event of `person`. */
  socket(person: Person, event: string, payload: unknown): void {
    const messages = messagesOf(event, payload);
    this.all.push({ person, path: 'socket', what: event, json: JSON.stringify(payload) ?? '', step: this.currentStep() });
    if (event !== 'message' && event !== 'messages') return;
    const counts = this.live.get(person) ?? new Map<string, number>();
    this.live.set(person, counts);
    for (const message of messages) {
      counts.set(message.id, (counts.get(message.id) ?? 0) + 1);
      const key = `${person}\n${message.roomId}`;
      this.liveOrder.set(key, [...(this.liveOrder.get(key) ?? []), message.seq]);
    }
  }

  /** A `notify` call for `person`. */
  notify(person: Person, kind: string, message: Message, event: unknown): void {
    const json = JSON.stringify(event) ?? '';
    this.all.push({ person, path: 'notify', what: kind, json, step: this.currentStep(), messageId: message.id });
  }

  /** Takes in the pushes the stand-in received since the last call (`read` decrypts one for its person). */
  pushes(requests: readonly ReceivedRequest[], read: (request: ReceivedRequest) => { person: Person; payload: unknown } | undefined): void {
    for (; this.#pushesRead < requests.length; this.#pushesRead++) {
      const request = requests[this.#pushesRead] as ReceivedRequest;
      const found = read(request);
      if (!found) continue;
      const payload = found.payload as { messageId?: unknown };
      const messageId = typeof payload.messageId === 'string' ? payload.messageId : undefined;
      this.all.push({
        person: found.person,
        path: 'push',
        what: 'push',
        json: JSON.stringify(found.payload) ?? '',
        step: this.currentStep(),
        ...(messageId !== undefined && { messageId }),
      });
    }
  }

  /** How many times `person` got `messageId` live. */
  liveCount(person: Person, messageId: string): number {
    return this.live.get(person)?.get(messageId) ?? 0;
  }

  /** The (person, message) pairs a path brought, with how many times each. */
  about(path: 'push' | 'notify'): Map<string, number> {
    const pairs = new Map<string, number>();
    for (const o of this.all) {
      if (o.path !== path || o.messageId === undefined) continue;
      const key = `${o.person}\n${o.messageId}`;
      pairs.set(key, (pairs.get(key) ?? 0) + 1);
    }
    return pairs;
  }
}

/** The new messages a socket event carries (`message`, or a `messages` batch). */
function messagesOf(event: string, payload: unknown): Message[] {
  if (event === 'message') return [payload as Message];
  if (event === 'messages') return (payload as { messages: Message[] }).messages;
  return [];
}
