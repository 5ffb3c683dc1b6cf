import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { ChatError, Message } from '@chat/protocol';
import { createChatServer, type ChatServer } from '../../chat-server.js';
import type { WebhookBody } from './webhooks.js';
import type { WebhookOptions } from './webhook-options.js';
import { verifyWebhookSignature } from './webhook-signature.js';
import { byHandshake, connect, fresh, join, say } from '../../capabilities/conversations/conversation-fixtures.js';
import { eachRedis, startClusterChats } from '../../../../../test-support/cluster.js';
import { startReceiver, type ReceivedRequest } from '../../../../../test-support/http-receiver.js';
import { okData, request, startChat } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';

const SECRET = 'a-secret-of-at-least-16';

/** The errors `chat.on('error')` reported about webhooks. */
function webhookErrors(chat: ChatServer): ChatError[] {
  const errors: ChatError[] = [];
  chat.on('error', (error, where) => {
    if (where.event === 'webhook') errors.push(error);
  });
  return errors;
}

const bodyOf = (request: ReceivedRequest) => JSON.parse(request.body) as WebhookBody<Message>;

describe('webhooks', () => {
  it('POST each event as signed JSON { id, type, at, data } that a receiver can verify', async () => {
    // A receiver that checks the signature itself, as an app in any language would.
    const receiver = await startReceiver((request) => {
      const expected = `sha256=${createHmac('sha256', SECRET).update(request.body).digest('hex')}`;
      return request.headers['x-chat-signature'] === expected ? 204 : 401;
    });
    const { url, chat } = await startChat({
      authenticate: byHandshake,
      webhooks: [{ url: `${receiver.url}/hooks/chat?token=abc`, events: ['message', 'member:joined', 'room:ended'], secret: SECRET }],
    });
    const errors = webhookErrors(chat);
    const roomId = fresh('room');
    await chat.createRoom({ id: roomId, privateMetadata: { crmId: 42 } });
    const ana = await connect(url, fresh('ana'), 'Ana');
    await join(ana, roomId);
    const message = await say(ana, roomId, '¡Hola! ✓');
    await chat.endRoom(roomId);

    await waitFor(() => expect(receiver.requests.map((r) => bodyOf(r).type)).toEqual(['member:joined', 'message', 'room:ended']));
    const [joined, sent, ended] = receiver.requests as [ReceivedRequest, ReceivedRequest, ReceivedRequest];
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/hooks/chat?token=abc');
    expect(sent.headers['content-type']).toBe('application/json');
    expect(verifyWebhookSignature(sent.body, sent.headers['x-chat-signature'], SECRET)).toBe(true);
    expect(bodyOf(sent)).toEqual({ id: sent.headers['x-chat-webhook-id'], type: 'message', at: expect.any(String), data: message });
    expect(sent.headers['x-chat-event']).toBe('message');
    expect(bodyOf(joined).data).toMatchObject({ roomId, member: { name: 'Ana' } });
    // The room's private metadata never leaves the server, not even to a webhook.
    expect(bodyOf(ended).data).toMatchObject({ id: roomId, endedAt: expect.any(String) });
    expect(JSON.stringify(bodyOf(ended).data)).not.toContain('crmId');
    expect(new Set(receiver.requests.map((r) => r.headers['x-chat-webhook-id'])).size).toBe(3);
    expect(errors).toEqual([]);
  });

  it('send reports and moderation actions (the events of chat.on("report") and chat.on("moderation"))', async () => {
    const receiver = await startReceiver();
    const { url, chat } = await startChat({
      authenticate: byHandshake,
      webhooks: [{ url: receiver.url, events: ['report', 'moderation'], secret: SECRET }],
    });
    const roomId = fresh('room');
    const ana = await connect(url, fresh('ana'), 'Ana');
    const troll = fresh('troll');
    const trollSocket = await connect(url, troll, 'Troll');
    await join(ana, roomId);
    await join(trollSocket, roomId);
    const rude = await say(trollSocket, roomId, 'rude words');
    okData(await request(ana, 'message:report', { roomId, messageId: rude.id, reason: 'Insults' }));
    await chat.kick(roomId, troll, { reason: 'Insults' });
    await waitFor(() => expect(receiver.requests.map((r) => bodyOf(r).type)).toEqual(['report', 'moderation']));
    expect(bodyOf(receiver.requests[0] as ReceivedRequest).data).toMatchObject({ roomId, messageId: rude.id, reason: 'Insults' });
    expect(bodyOf(receiver.requests[1] as ReceivedRequest).data).toMatchObject({ roomId, action: 'kick', targetUserId: troll });
  });

  it('retries a failing endpoint with backoff and delivers every event once it recovers, in order, with the same id', async () => {
    // Fails the first three requests (a deploy), then accepts.
    const receiver = await startReceiver((_request, index) => (index < 3 ? 503 : 200));
    const { url, chat } = await startChat({
      authenticate: byHandshake,
      webhooks: [{ url: receiver.url, events: ['message'], secret: SECRET, backoffMs: 20 }],
    });
    const errors = webhookErrors(chat);
    const roomId = fresh('room');
    const ana = await connect(url, fresh('ana'));
    await join(ana, roomId);
    const first = await say(ana, roomId, 'one');
    const second = await say(ana, roomId, 'two');
    const third = await say(ana, roomId, 'three');

    await waitFor(() => expect(receiver.requests).toHaveLength(6));
    const ids = receiver.requests.map((r) => bodyOf(r).data.id);
    // The first is tried four times (three failures, then success); the others wait behind it.
    expect(ids).toEqual([first.id, first.id, first.id, first.id, second.id, third.id]);
    expect(new Set(receiver.requests.slice(0, 4).map((r) => r.headers['x-chat-webhook-id'])).size).toBe(1);
    // One report for the failing streak, not one per attempt.
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^Webhook http:\/\/127\.0\.0\.1:\d+\/ failed \(HTTP 503\); retrying/u),
    ]);
  });

  it('gives up after its retries and reports the dropped delivery; a refusal (4xx) is not retried', async () => {
    const receiver = await startReceiver((request) => (bodyOf(request).data.text === 'bad' ? 400 : 500));
    const { url, chat } = await startChat({
      authenticate: byHandshake,
      webhooks: [{ url: receiver.url, events: ['message'], secret: SECRET, backoffMs: 10, retries: 2 }],
    });
    const errors = webhookErrors(chat);
    const roomId = fresh('room');
    const ana = await connect(url, fresh('ana'));
    await join(ana, roomId);
    await say(ana, roomId, 'bad');
    const doomed = await say(ana, roomId, 'doomed');
    await waitFor(() => expect(errors).toHaveLength(3));
    expect(receiver.requests.map((r) => bodyOf(r).data.text)).toEqual(['bad', 'doomed', 'doomed', 'doomed']);
    expect(errors[0]?.message).toMatch(/refused a "message" delivery \(.+\): HTTP 400\. It is not retried\./u);
    expect(errors[1]?.message).toMatch(/failed \(HTTP 500\); retrying/u);
    expect(errors[2]?.message).toMatch(/failed a "message" delivery \(.+\) 3 times \(HTTP 500\); it was dropped\./u);
    expect(doomed.text).toBe('doomed'); // chat itself went on
  });

  it('a receiver that never answers does not hold up chat: the request times out, is retried, and is reported', async () => {
    const receiver = await startReceiver(() => 'hang');
    const { url, chat } = await startChat({
      authenticate: byHandshake,
      webhooks: [{ url: receiver.url, events: ['message'], secret: SECRET, timeoutMs: 200, backoffMs: 10 }],
    });
    const errors = webhookErrors(chat);
    const roomId = fresh('room');
    const ana = await connect(url, fresh('ana'));
    const luis = await connect(url, fresh('luis'));
    await join(ana, roomId);
    await join(luis, roomId);
    // Sends are answered and delivered while the receiver hangs.
    for (const text of ['one', 'two', 'three']) expect((await say(ana, roomId, text)).text).toBe(text);
    await waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]?.message).toMatch(/failed \(no answer within 200 ms\); retrying with backoff/u);
    await waitFor(() => expect(receiver.requests.length).toBeGreaterThanOrEqual(2));
    expect(receiver.requests[1]?.headers['x-chat-webhook-id']).toBe(receiver.requests[0]?.headers['x-chat-webhook-id']);
    expect((await say(luis, roomId, 'still here')).text).toBe('still here');
  });

  it('keeps a bounded queue per endpoint: when full, the oldest waiting delivery is dropped and reported once', async () => {
    const receiver = await startReceiver(() => 'hang');
    const { chat } = await startChat({
      webhooks: [{ url: receiver.url, events: ['message'], secret: SECRET, maxQueue: 2, timeoutMs: 60_000 }],
    });
    const errors = webhookErrors(chat);
    const roomId = fresh('room');
    const user = { id: 'host', name: 'Host' };
    for (const text of ['1', '2', '3', '4', '5']) await chat.sendMessage(roomId, { user, text });
    // '1' is being sent (hanging); '2' and '3' were dropped for '4' and '5'.
    await waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]?.message).toMatch(/is behind: 2 deliveries are waiting, so the oldest \("message", .+\) was dropped/u);
    await waitFor(() => expect(receiver.requests).toHaveLength(1));
  });

  it('refuses a webhook that is not http(s), or without events or a real secret, at createChatServer', () => {
    const make = (webhook: Partial<WebhookOptions>) => () =>
      createChatServer(createServer(), {
        webhooks: [{ url: 'https://bots.example/hook', events: ['message'], secret: SECRET, ...webhook }],
      });
    expect(make({ url: 'ftp://bots.example/hook' })).toThrow(
      'webhooks[0].url must be an http:// or https:// URL; got "ftp://bots.example/hook".',
    );
    expect(make({ url: 'javascript:alert(1)' })).toThrow(TypeError);
    expect(make({ url: 'not a url' })).toThrow(/must be an http:\/\/ or https:\/\/ URL/u);
    expect(make({ url: 'https://user:pass@bots.example/' })).toThrow(/must not carry a user name or password/u);
    expect(make({ events: [] })).toThrow(/must list at least one of: message, message:updated/u);
    expect(make({ events: ['messages' as 'message'] })).toThrow('webhooks[0].events has "messages", which is not one of:');
    expect(make({ secret: 'short' })).toThrow(/secret must be a string of at least 16 characters/u);
    expect(make({ retries: -1 })).toThrow(/retries must be a whole number of at least 0/u);
    expect(() => createChatServer(createServer(), { webhooks: {} as WebhookOptions[] })).toThrow(/must be an array/u);
  });
});

describe('verifyWebhookSignature', () => {
  const body = JSON.stringify({ id: '1', type: 'message', at: '2026-01-01T00:00:00.000Z', data: { text: 'hi' } });
  const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;

  it('accepts the signature of the exact body and secret, as a string or bytes', () => {
    expect(verifyWebhookSignature(body, signature, SECRET)).toBe(true);
    expect(verifyWebhookSignature(Buffer.from(body), signature, SECRET)).toBe(true);
  });

  it('refuses another body, another secret, a missing or malformed header', () => {
    expect(verifyWebhookSignature(`${body} `, signature, SECRET)).toBe(false);
    expect(verifyWebhookSignature(body, signature, 'another-secret-16ch')).toBe(false);
    expect(verifyWebhookSignature(body, undefined, SECRET)).toBe(false);
    expect(verifyWebhookSignature(body, ['a', 'b'], SECRET)).toBe(false);
    expect(verifyWebhookSignature(body, signature.slice(7), SECRET)).toBe(false);
    expect(verifyWebhookSignature(body, signature, '')).toBe(false);
  });
});

eachRedis('webhooks', (redis) => {
  it('are sent once per event, by the process that handled it', async () => {
    const receiver = await startReceiver();
    const webhooks: WebhookOptions[] = [{ url: receiver.url, events: ['message', 'member:joined'], secret: SECRET }];
    const [one, two] = await startClusterChats(2, { authenticate: byHandshake, webhooks }, redis());
    const roomId = fresh('room');
    const ana = await connect(one!.url, fresh('ana'));
    const luis = await connect(two!.url, fresh('luis'));
    await join(ana, roomId);
    await join(luis, roomId);
    await say(ana, roomId, 'from one');
    await say(luis, roomId, 'from two');
    await waitFor(() => expect(receiver.requests).toHaveLength(4));
    const types = receiver.requests.map((r) => bodyOf(r).type).sort();
    expect(types).toEqual(['member:joined', 'member:joined', 'message', 'message']);
  });
});
