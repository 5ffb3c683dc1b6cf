import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Message } from '@chat/protocol';
import { okData, rawSocket, request, sdkClient, startChat, type RawSocket, type TestChat } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { framesOf, member } from './fanout-fixtures.js';
import type { MessageInput } from '../../options.js';

// Coalesced frames through a real server and real Socket.IO clients: a socket that asked for
// `messages` in its handshake gets a busy room's messages of one turn as one frame; every other
// socket gets one `message` each, as before; a quiet room's message goes out alone, at once.

const roomName = () => `fanout-${randomUUID().slice(0, 8)}`;
const bot = (n: number) => ({ id: `bot-${n}`, name: `Bot ${n}` });

/** A `beforeMessage` that holds each message until `count` have arrived, then lets all go at once. */
function holdUntil(count: number): { hook: (input: MessageInput) => Promise<MessageInput> } {
  const held: Array<() => void> = [];
  return {
    hook: (input) =>
      new Promise((resolve) => {
        held.push(() => resolve(input));
        if (held.length === count) for (const go of held) go();
      }),
  };
}

// N messages posted in one turn (the memory store appends without leaving it).
function burst(chat: TestChat, roomId: string, count: number, senders = 3): Promise<Message[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => chat.chat.sendMessage(roomId, { user: bot(i % senders), text: `m${i}` })));
}

describe('coalesced frames (one process)', () => {
  it('gives an opted-in socket a burst sent by several sockets complete, in seq order, in fewer frames', async () => {
    const together = holdUntil(12);
    const chat = await startChat({ beforeMessage: together.hook });
    const roomId = roomName();
    const senders = await Promise.all([0, 1, 2].map(() => member(chat, roomId, false)));
    const reader = await member(chat, roomId, true);
    const frames = framesOf(reader);
    const sends = Array.from({ length: 12 }, (_, i) =>
      request(senders[i % 3] as RawSocket, 'message:send', { roomId, clientId: randomUUID(), text: `s${i}` }),
    );
    const acked = (await Promise.all(sends)).map((a) => okData(a).message);
    await waitFor(() => expect(frames.flatMap((f) => f.messages)).toHaveLength(12));
    expect(frames.flatMap((f) => f.messages.map((m) => m.seq))).toEqual(acked.map((m) => m.seq).sort((a, b) => a - b));
    expect(frames.length).toBeLessThan(12);
  });

  it('gives an opted-in socket a burst from several senders complete, in seq order, in fewer frames', async () => {
    const chat = await startChat();
    const roomId = roomName();
    const batched = await member(chat, roomId, true);
    const frames = framesOf(batched);
    const sent = await burst(chat, roomId, 20);
    await waitFor(() => expect(frames.flatMap((f) => f.messages)).toHaveLength(20));
    const seqs = frames.flatMap((f) => f.messages.map((m) => m.seq));
    expect(seqs).toEqual([...sent.map((m) => m.seq)].sort((a, b) => a - b));
    expect(new Set(frames.flatMap((f) => f.messages.map((m) => m.user.id)))).toEqual(new Set(['bot-0', 'bot-1', 'bot-2']));
    // The first alone, at once; the other 19 together at the end of the turn.
    expect(frames.map((f) => [f.event, f.messages.length])).toEqual([
      ['message', 1],
      ['messages', 19],
    ]);
  });

  it('gives sockets that did not opt in one `message` each, in order, next to opted-in ones', async () => {
    const chat = await startChat();
    const roomId = roomName();
    const plain = await member(chat, roomId, false);
    const batched = await member(chat, roomId, true);
    const plainFrames = framesOf(plain);
    const batchedFrames = framesOf(batched);
    const sent = await burst(chat, roomId, 12);
    await waitFor(() => expect(plainFrames).toHaveLength(12));
    expect(plainFrames.every((f) => f.event === 'message')).toBe(true);
    expect(plainFrames.map((f) => f.messages[0]?.id)).toEqual(sent.map((m) => m.id));
    await waitFor(() => expect(batchedFrames.flatMap((f) => f.messages)).toHaveLength(12));
    expect(batchedFrames).toHaveLength(2);
  });

  it('sends a quiet room’s message alone before the send that asked for it resolves (no timer)', async () => {
    const chat = await startChat();
    const roomId = roomName();
    const batched = await member(chat, roomId, true);
    const outgoing: string[] = [];
    chat.chat.io
      .of('/')
      .sockets.get(batched.id as string)
      ?.onAnyOutgoing((event: string) => outgoing.push(event));
    const frames = framesOf(batched);
    const first = await chat.chat.sendMessage(roomId, { user: bot(1), text: 'alone' });
    // Written to the socket already: nothing waits for the end of the turn or a timer.
    expect(outgoing).toEqual(['message']);
    // A message one turn later is a new turn: alone again, and after the first.
    const second = await new Promise<Message>((resolve) => {
      setImmediate(() => void chat.chat.sendMessage(roomId, { user: bot(2), text: 'next turn' }).then(resolve));
    });
    await waitFor(() => expect(frames).toHaveLength(2));
    expect(frames).toEqual([
      { event: 'message', messages: [first] },
      { event: 'message', messages: [second] },
    ]);
    expect(outgoing).toEqual(['message', 'message']);
  });

  it('holds the rest of a turn until its end, then sends it as one frame', async () => {
    const chat = await startChat();
    const roomId = roomName();
    const batched = await member(chat, roomId, true);
    const outgoing: string[] = [];
    chat.chat.io
      .of('/')
      .sockets.get(batched.id as string)
      ?.onAnyOutgoing((event: string) => outgoing.push(event));
    await burst(chat, roomId, 3);
    expect(outgoing).toEqual(['message']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(outgoing).toEqual(['message', 'messages']);
  });

  it('gives a socket its own message in a batch (one frame for the room), never alone', async () => {
    // Sends from sockets held by the hook until all have arrived, then posted in one turn.
    const together = holdUntil(4);
    const chat = await startChat({ beforeMessage: together.hook });
    const roomId = roomName();
    const sender = await member(chat, roomId, true);
    const other = await member(chat, roomId, true);
    const senderFrames = framesOf(sender);
    const otherFrames = framesOf(other);
    const sends = ['a', 'b', 'c', 'd'].map((text, i) =>
      request(i % 2 === 0 ? sender : other, 'message:send', { roomId, clientId: randomUUID(), text }),
    );
    const acked = (await Promise.all(sends)).map((a) => okData(a).message).sort((a, b) => a.seq - b.seq);
    // 3 to the socket that sent the first of the turn, 4 to the other.
    const received = () => [...senderFrames, ...otherFrames].flatMap((f) => f.messages);
    await waitFor(() => expect(received()).toHaveLength(7));
    const [first, ...rest] = acked;
    // The first of the turn went alone, to everyone but its sender; the rest in one frame to all.
    const firstSender = first?.text === 'a' || first?.text === 'c' ? senderFrames : otherFrames;
    const firstOther = firstSender === senderFrames ? otherFrames : senderFrames;
    expect(firstSender).toEqual([{ event: 'messages', messages: rest }]);
    expect(firstOther).toEqual([
      { event: 'message', messages: [first] },
      { event: 'messages', messages: rest },
    ]);
  });

  it('refuses a handshake whose auth.features is not a list of names, with a sentence', async () => {
    const chat = await startChat();
    for (const features of ['messages', [42], Array.from({ length: 17 }, () => 'x'), ['']]) {
      const refused = await rawSocket(chat.url, { name: 'Ana', features }).then(
        () => undefined,
        (error: Error & { data?: unknown }) => error.data,
      );
      expect(refused).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/auth\.features/u) });
    }
    // Names the server does not know are fine: a client may ask for a newer server's features.
    const ok = await rawSocket(chat.url, { name: 'Ana', features: ['messages', 'from-the-future'] });
    expect(ok.connected).toBe(true);
  });

  it('lets the SDK take a batch as it takes each message: every message once, in order, its own not twice', async () => {
    const chat = await startChat();
    const roomId = roomName();
    const reader = await sdkClient(chat.url, { auth: { name: 'Reader' } }).join(roomId);
    const writer = await sdkClient(chat.url, { auth: { name: 'Writer' } }).join(roomId);
    const announced: string[] = [];
    reader.on('message', (m) => announced.push(m.id));
    const outboxSeen: number[] = [];
    writer.on('updated', () => outboxSeen.push(writer.outbox.length + writer.messages.length));
    const botSent = await burst(chat, roomId, 10);
    const own = await Promise.all(Array.from({ length: 5 }, (_, i) => writer.send(`w${i}`)));
    const all = [...botSent, ...own].sort((a, b) => a.seq - b.seq).map((m) => m.id);
    await waitFor(() => expect(reader.messages.map((m) => m.id)).toEqual(all));
    await waitFor(() => expect(writer.messages.map((m) => m.id)).toEqual(all));
    expect(announced).toEqual(all);
    // Never shown twice: a message of its own is either still in the outbox or among the messages.
    expect(Math.max(...outboxSeen)).toBeLessThanOrEqual(all.length);
    expect(writer.outbox).toEqual([]);
  });
});
