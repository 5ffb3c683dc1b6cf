import { describe, expect, it } from 'vitest';
import type { ChatServerOptions } from '@chat/server';
import { polls } from '@chat/server';
import type { ChatRoom } from '../chat-room.js';
import { awayAndBack, sdkClient, startChat } from '../../../../test-support/servers.js';
import { waitFor } from '../../../../test-support/wait.js';

// `room.polls` against a real server with the polls() plugin: counts on the message, your own
// choices on each of your devices and after a reconnect, closing.

/** Users by their token, so that two clients of one token are two devices of one user. */
const byToken: ChatServerOptions['authenticate'] = (h) => ({ id: String(h.auth['token']), name: String(h.auth['token']) });
const counts = (room: ChatRoom, messageId: string) => room.messages.find((m) => m.id === messageId)?.poll?.options.map((o) => o.votes);

describe('room.polls', () => {
  it('posts a poll; two voters’ counts reach everyone; your choices follow you to your other device; a change, a close', async () => {
    const { url } = await startChat({ authenticate: byToken, plugins: [polls()] });
    const [ana, anaPhone, luis] = [
      sdkClient(url, { auth: { token: 'ana' } }),
      sdkClient(url, { auth: { token: 'ana' } }),
      sdkClient(url, { auth: { token: 'luis' } }),
    ];
    const [anaRoom, phoneRoom, luisRoom] = [await ana.join('town-hall'), await anaPhone.join('town-hall'), await luis.join('town-hall')];
    expect(anaRoom.polls.available).toBe(true);

    const message = await anaRoom.polls.create({ question: 'Lunch?', options: ['Pizza', 'Sushi', 'Tacos'] });
    expect(message.poll).toMatchObject({ question: 'Lunch?', multiple: false, anonymous: false, closed: false });
    expect(message.poll?.options.map((o) => [o.id, o.text, o.votes])).toEqual([
      ['0', 'Pizza', 0],
      ['1', 'Sushi', 0],
      ['2', 'Tacos', 0],
    ]);
    expect(counts(anaRoom, message.id)).toEqual([0, 0, 0]); // in the poster's log from the answer
    await waitFor(() => expect(counts(luisRoom, message.id)).toEqual([0, 0, 0]));
    await waitFor(() => expect(counts(phoneRoom, message.id)).toEqual([0, 0, 0]));
    expect(anaRoom.polls.myVotes(message.id)).toEqual([]);

    // The phone hears Ana's vote from her laptop, with `updated`.
    let phoneUpdates = 0;
    phoneRoom.on('updated', () => phoneUpdates++);
    expect(await anaRoom.polls.vote(message.id, ['1'])).toEqual(['1']);
    expect(anaRoom.polls.myVotes(message.id)).toEqual(['1']);
    await waitFor(() => expect(phoneRoom.polls.myVotes(message.id)).toEqual(['1']));
    expect(phoneUpdates).toBeGreaterThan(0);
    expect(luisRoom.polls.myVotes(message.id)).toEqual([]);

    await luisRoom.polls.vote(message.id, ['1']);
    for (const room of [anaRoom, phoneRoom, luisRoom]) await waitFor(() => expect(counts(room, message.id)).toEqual([0, 2, 0]));

    // Ana changes her mind on the phone; the laptop follows.
    await phoneRoom.polls.vote(message.id, ['2']);
    await waitFor(() => expect(anaRoom.polls.myVotes(message.id)).toEqual(['2']));
    await waitFor(() => expect(counts(luisRoom, message.id)).toEqual([0, 1, 1]));

    // Two options on a poll that is not `multiple`, a close by a member who did not post it: refused.
    await expect(luisRoom.polls.vote(message.id, ['0', '1'])).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(luisRoom.polls.close(message.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const closed = await anaRoom.polls.close(message.id);
    expect(closed.poll).toMatchObject({ closed: true });
    expect(closed.poll?.options.map((o) => o.votes)).toEqual([0, 1, 1]);
    await waitFor(() => expect(luisRoom.messages.find((m) => m.id === message.id)?.poll?.closed).toBe(true));
    await expect(luisRoom.polls.vote(message.id, ['0'])).rejects.toMatchObject({ code: 'POLL_CLOSED' });
    expect(luisRoom.polls.myVotes(message.id)).toEqual(['1']);
  });

  it('a multiple-choice poll with a close time; taking a vote back', async () => {
    const { url } = await startChat({ authenticate: byToken, plugins: [polls()] });
    const room = await sdkClient(url, { auth: { token: 'ana' } }).join('lobby');
    const closesAt = new Date(Date.now() + 3_600_000).toISOString();
    const message = await room.polls.create({
      question: 'Which days?',
      options: ['Mon', 'Tue', 'Wed'],
      multiple: true,
      anonymous: true,
      closesAt,
    });
    expect(message.poll).toMatchObject({ multiple: true, anonymous: true, closesAt });
    expect(await room.polls.vote(message.id, ['0', '2'])).toEqual(['0', '2']);
    await waitFor(() => expect(counts(room, message.id)).toEqual([1, 0, 1]));
    expect(room.messages.find((m) => m.id === message.id)?.poll?.options.some((o) => o.voterIds !== undefined)).toBe(false);
    expect(await room.polls.vote(message.id, [])).toEqual([]);
    expect(room.polls.myVotes(message.id)).toEqual([]);
    await waitFor(() => expect(counts(room, message.id)).toEqual([0, 0, 0]));
    await expect(room.polls.create({ question: 'Only one?', options: ['Yes'] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('a reconnect keeps your choices, and brings those made on another device while away', async () => {
    const { url, chat } = await startChat({ authenticate: byToken, plugins: [polls()] });
    const anaRoom = await sdkClient(url, { auth: { token: 'ana' } }).join('lobby');
    const first = await anaRoom.polls.create({ question: 'Tea or coffee?', options: ['Tea', 'Coffee'] });
    const second = await anaRoom.polls.create({ question: 'Morning or evening?', options: ['Morning', 'Evening'] });
    await anaRoom.polls.vote(first.id, ['0']);
    let updates = 0;
    anaRoom.on('updated', () => updates++);

    // While Ana's laptop is away, her phone votes in the second poll: the re-join's answer brings it.
    await awayAndBack(chat, 'lobby', async () => {
      const phoneRoom = await sdkClient(url, { auth: { token: 'ana' }, socketOptions: { reconnection: false } }).join('lobby');
      await phoneRoom.polls.vote(second.id, ['1']);
    });
    await waitFor(() => expect(anaRoom.polls.myVotes(second.id)).toEqual(['1']));
    expect(anaRoom.polls.myVotes(first.id)).toEqual(['0']);
    await waitFor(() => expect(updates).toBeGreaterThan(0)); // `updated` comes once the re-join has caught up
  });

  it('says a server without the plugin offers none, and refuses its requests', async () => {
    const { url } = await startChat();
    const room = await sdkClient(url).join('lobby');
    expect(room.polls.available).toBe(false);
    expect(room.polls.myVotes('any')).toEqual([]);
    await expect(room.polls.create({ question: 'Lunch?', options: ['Pizza', 'Sushi'] })).rejects.toMatchObject({
      code: expect.any(String),
    });
  });
});
