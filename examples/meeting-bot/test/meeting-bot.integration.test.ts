import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Message, TypingEvent } from '@chat/protocol';
import { createMeetingBot, type MeetingBotOptions } from '../src/meeting-bot.js';
import { nextEvent, okData, rawSocket, request, startChat, track, type RawSocket } from '../../../test-support/servers.js';
import { waitFor } from '../../../test-support/wait.js';

/** A local stand-in for an OpenAI-compatible endpoint that streams the chunks the test lets through. */
async function fakeModel(status = 200) {
  const requests: Array<{ path: string; headers: IncomingHttpHeaders; body: Record<string, unknown> }> = [];
  let response: ServerResponse | undefined;
  const opened: Array<() => void> = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(raw) as Record<string, unknown> });
      if (status !== 200) {
        res.writeHead(status, { 'content-type': 'application/json' }).end('{"error":{"message":"overloaded"}}');
        return;
      }
      response = res;
      opened.splice(0).forEach((resolve) => resolve());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  track(async () => {
    response?.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const ready = () => (response ? Promise.resolve() : new Promise<void>((resolve) => opened.push(resolve)));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    /** Sends one `data: {...}` event with this content (the headers first, the first time). */
    async token(content: string) {
      await ready();
      if (!response!.headersSent) response!.writeHead(200, { 'content-type': 'text/event-stream' });
      response!.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\n\n`);
    },
    async done() {
      await ready();
      response!.end('data: [DONE]\n\n');
    },
  };
}

async function setUp(options: MeetingBotOptions = {}) {
  const { url, chat } = await startChat();
  const errors: unknown[] = [];
  const meeting = await createMeetingBot(chat, { rooms: ['standup'], onError: (e) => errors.push(e), ...options });
  track(() => meeting.close());
  const ana = await rawSocket(url, { name: 'Ana' });
  okData(await request(ana, 'room:join', { roomId: 'standup' }));
  return { chat, meeting, ana, errors };
}

function say(socket: RawSocket, text: string, mentions?: string[]) {
  return request(socket, 'message:send', { roomId: 'standup', clientId: `c-${Math.random()}`, text, ...(mentions && { mentions }) });
}

describe('the meeting bot example', () => {
  it('lists /remind in /help, confirms a reminder privately and posts it to the room later', async () => {
    const { ana, meeting } = await setUp();
    const run = (name: string, args = '') => request(ana, 'command:run', { roomId: 'standup', name, args });
    expect(okData(await run('help')).reply).toContain('/remind 5m <text>: Posts a reminder to the room later.');
    expect(okData(await run('remind', 'soon Stand-up'))).toEqual({
      reply: 'Say when and what: /remind 5m Stand-up starts. Use s, m or h, up to 24h.',
    });
    expect(okData(await run('remind', '2d Stand-up'))).toEqual({
      reply: 'Say when and what: /remind 5m Stand-up starts. Use s, m or h, up to 24h.',
    });

    const reminder = nextEvent(ana, 'message', (m: Message) => m.user.id === meeting.bot.id);
    expect(okData(await run('remind', '1s Stand-up starts'))).toEqual({ reply: 'OK, I will remind this room in 1 second.' });
    expect(await reminder).toMatchObject({ text: '⏰ Reminder from Ana: Stand-up starts', user: { name: 'Meeting Assistant', bot: true } });
  });

  it('answers a mention with what it can do when no model is configured', async () => {
    const { ana, meeting } = await setUp();
    const answer = nextEvent(ana, 'message', (m: Message) => m.user.id === meeting.bot.id);
    const question = okData(await say(ana, '@Meeting Assistant hello?')).message;
    expect(await answer).toMatchObject({ replyTo: question.id, text: expect.stringContaining('/remind 5m') });
  });

  it('streams a model’s answer into the room: typing while it waits, then one message edited as tokens arrive', async () => {
    const model = await fakeModel();
    const { ana, meeting, errors } = await setUp({
      assistant: { baseUrl: model.baseUrl, model: 'test-model', apiKey: 'sk-test' },
      editEveryMs: 20,
    });
    const botId = meeting.bot.id;
    const typing = nextEvent(ana, 'typing', (event: TypingEvent) => event.users.some((u) => u.id === botId));
    const question = okData(await say(ana, 'What is the answer, @Meeting Assistant?', [botId])).message;
    await typing;
    await waitFor(() => expect(model.requests).toHaveLength(1));
    expect(model.requests[0]).toMatchObject({
      path: '/v1/chat/completions',
      headers: { authorization: 'Bearer sk-test' },
      body: { model: 'test-model', stream: true, messages: [{ role: 'system' }, { role: 'user', content: 'What is the answer, ?' }] },
    });

    const first = nextEvent(ana, 'message', (m: Message) => m.user.id === botId);
    await model.token('The answer');
    const answer = await first;
    expect(answer).toMatchObject({ text: 'The answer', replyTo: question.id, user: { bot: true } });

    const grown = nextEvent(ana, 'message:updated', (m: Message) => m.id === answer.id && m.text === 'The answer is');
    await model.token(' is');
    await grown;
    const final = nextEvent(ana, 'message:updated', (m: Message) => m.id === answer.id && m.text === 'The answer is 42.');
    await model.token(' 42.');
    await model.done();
    await final;
    const history = okData(await request(ana, 'message:history', { roomId: 'standup' })).messages;
    expect(history.map((m) => m.text)).toEqual(['What is the answer, @Meeting Assistant?', 'The answer is 42.']);
    expect(errors).toEqual([]);
  });

  it('apologises when the model endpoint fails, and reports it', async () => {
    const model = await fakeModel(503);
    const { ana, meeting, errors } = await setUp({ assistant: { baseUrl: model.baseUrl, model: 'm' } });
    const answer = nextEvent(ana, 'message', (m: Message) => m.user.id === meeting.bot.id);
    await say(ana, 'hi', [meeting.bot.id]);
    expect((await answer).text).toBe('Sorry, I could not get an answer right now.');
    await waitFor(() => expect(errors).toEqual([new Error('The assistant answered HTTP 503.')]));
  });
});
