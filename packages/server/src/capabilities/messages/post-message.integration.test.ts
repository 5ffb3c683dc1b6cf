import { describe, expect, it } from 'vitest';
import type { ChatError } from '@chat/protocol';
import { MemoryStore } from '../../store/memory-store.js';
import type { RoomMember } from '../../core/chat-store.js';
import type { MessageInput } from '../../core/policy.js';
import { okData, request, startChat } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { byHandshake, connect, join, say } from '../conversations/conversation-fixtures.js';
import { joinCall, record, startCall } from '../calls/call-fixtures.js';

// The guarantees of the one message path (post-message.ts) that hold for every sender: what
// beforeMessage returns is what is stored, who the sender is, and what is reported after.

const plan = { url: 'https://files.example/plan.pdf', type: 'application/pdf', name: 'plan.pdf', size: 12 };

describe('the message path', () => {
  it("beforeMessage is handed the client's attachments and mentions, and what it returns is what is stored", async () => {
    const { url } = await startChat({
      authenticate: byHandshake,
      beforeMessage: (draft) => {
        // A hook in plain JavaScript may leave attachments out: then there are none.
        if (draft.text === 'text only') return { text: 'TEXT ONLY' } as MessageInput;
        if (draft.text === 'tell ben') return { ...draft, mentions: ['ben'] };
        return draft;
      },
    });
    const [ana, ben] = [await connect(url, 'ana', 'Ana'), await connect(url, 'ben', 'Ben')];
    await join(ana, 'r');
    await join(ben, 'r');

    // A hook that hands the draft back unchanged keeps all the client sent.
    const kept = okData(
      await request(ana, 'message:send', { roomId: 'r', clientId: 'a', text: 'see', attachments: [plan], mentions: ['ben'] }),
    );
    expect(kept.message).toMatchObject({ text: 'see', attachments: [plan], mentions: ['ben'] });
    // A hook that leaves attachments and mentions out removes them.
    const bare = okData(
      await request(ana, 'message:send', { roomId: 'r', clientId: 'b', text: 'text only', attachments: [plan], mentions: ['ben'] }),
    );
    expect(bare.message.text).toBe('TEXT ONLY');
    expect(bare.message.attachments).toEqual([]);
    expect(bare.message).not.toHaveProperty('mentions');
    // A hook that adds a mention is obeyed.
    expect((await say(ana, 'r', 'tell ben')).mentions).toEqual(['ben']);
  });

  it('mentions are kept to users in the room; a message that mentions nobody has no mentions', async () => {
    const { url } = await startChat({ authenticate: byHandshake });
    const [ana, ben] = [await connect(url, 'ana', 'Ana'), await connect(url, 'ben', 'Ben')];
    await join(ana, 'r');
    await join(ben, 'r');
    expect((await say(ana, 'r', 'hi both', ['ben', 'nobody'])).mentions).toEqual(['ben']);
    expect(await say(ana, 'r', 'plain')).not.toHaveProperty('mentions');
    expect(await say(ana, 'r', 'none asked', [])).not.toHaveProperty('mentions');
    expect(await say(ana, 'r', 'no one here', ['nobody'])).not.toHaveProperty('mentions');
  });

  it('a reply to a message that is not in the room is MESSAGE_NOT_FOUND, and nothing is stored', async () => {
    const { url, chat } = await startChat({ authenticate: byHandshake });
    const ana = await connect(url, 'ana', 'Ana');
    await join(ana, 'r');
    await join(ana, 'other');
    const elsewhere = await say(ana, 'other', 'in another room');
    for (const replyTo of ['no-such-message', elsewhere.id]) {
      expect(await request(ana, 'message:send', { roomId: 'r', clientId: `c-${replyTo}`, text: 'reply', replyTo })).toEqual({
        ok: false,
        error: { code: 'MESSAGE_NOT_FOUND', lang: 'en', message: 'The message you are replying to does not exist in this room.' },
      });
    }
    expect((await chat.store.listMessages('r', { limit: 10 })).messages).toEqual([]);
  });

  it("a bot's messages are marked as a bot's; a person's, and chat.sendMessage's, are not", async () => {
    const { url, chat } = await startChat({ authenticate: byHandshake });
    const ana = await connect(url, 'ana', 'Ana');
    await join(ana, 'r');
    const bot = chat.bot({ id: 'helper', name: 'Helper' });
    await bot.join('r');
    expect((await bot.send('r', 'I am a bot')).user).toEqual({ id: 'helper', name: 'Helper', bot: true });
    expect((await say(ana, 'r', 'I am not')).user).toEqual({ id: 'ana', name: 'Ana' });
    expect((await chat.sendMessage('r', { user: { id: 'host', name: 'Host' }, text: 'nor I' })).user).toEqual({ id: 'host', name: 'Host' });
    const stored = (await chat.store.listMessages('r', { limit: 10 })).messages;
    expect(stored.map((m) => m.user.bot === true)).toEqual([true, false, false]);
  });

  it("a call's lines are the server's own words: beforeMessage rewrites people's messages, not them", async () => {
    const { url, chat } = await startChat({
      authenticate: byHandshake,
      calls: { iceServers: () => [{ urls: 'stun:stun.example.test:3478' }] },
      beforeMessage: (draft) => ({ ...draft, text: draft.text.toUpperCase() }),
    });
    const [ana, ben] = [await connect(url, 'ana', 'Ana'), await connect(url, 'ben', 'Ben')];
    await join(ana, 'r');
    await join(ben, 'r');
    const log = record(ben);
    expect((await say(ana, 'r', 'calling you')).text).toBe('CALLING YOU');
    const { call } = await startCall(ana, 'r', ['ben'], 'audio');
    await joinCall(ben, call.id);
    okData(await request(ben, 'call:leave', { callId: call.id }));
    const lines = () => log.messages.filter((m) => m.system !== undefined);
    await waitFor(() => expect(lines().map((m) => m.system?.type)).toEqual(['call:started', 'call:ended']));
    const stored = (await chat.store.listMessages('r', { limit: 10 })).messages;
    expect(stored.map((m) => [m.text, m.system?.type])).toEqual([
      ['CALLING YOU', undefined],
      ['Ana started an audio call', 'call:started'],
      [expect.stringMatching(/^Call ended/u), 'call:ended'],
    ]);
  });

  it("an encrypted room takes no plain text, from a person, the host or a bot; a call's lines (the server's own) are stored", async () => {
    const { url, chat } = await startChat({ authenticate: byHandshake, calls: { iceServers: () => [] } });
    await chat.createRoom({ id: 'secret', options: { encrypted: true } });
    const [ana, ben] = [await connect(url, 'ana', 'Ana'), await connect(url, 'ben', 'Ben')];
    await join(ana, 'secret');
    await join(ben, 'secret');
    const refused = 'This room is end-to-end encrypted: messages must be encrypted by the sender (ciphertext), never sent as text.';
    expect(await request(ana, 'message:send', { roomId: 'secret', clientId: 'plain', text: 'in clear' })).toEqual({
      ok: false,
      error: { code: 'VALIDATION_FAILED', lang: 'en', message: refused },
    });
    await expect(chat.sendMessage('secret', { user: { id: 'host', name: 'Host' }, text: 'in clear' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const bot = chat.bot({ id: 'helper', name: 'Helper' });
    await bot.join('secret');
    await expect(bot.send('secret', 'in clear')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await chat.store.listMessages('secret', { limit: 10 })).messages).toEqual([]);
    const { call } = await startCall(ana, 'secret', ['ben'], 'audio');
    await waitFor(async () =>
      expect((await chat.store.listMessages('secret', { limit: 10 })).messages.map((m) => m.system?.type)).toEqual(['call:started']),
    );
    expect(call.roomId).toBe('secret');
  });

  it('an ephemeral room broadcasts and never stores; a reply is checked against what it holds', async () => {
    const { url, chat } = await startChat({ authenticate: byHandshake });
    await chat.createRoom({ id: 'eph', options: { ephemeral: true } });
    await chat.createRoom({ id: 'kept' });
    const [ana, ben] = [await connect(url, 'ana', 'Ana'), await connect(url, 'ben', 'Ben')];
    await join(ana, 'eph');
    await join(ben, 'eph');
    await join(ana, 'kept');
    const stored = await say(ana, 'kept', 'kept for good');
    const first = await say(ana, 'eph', 'gone soon');
    const reply = okData(await request(ben, 'message:send', { roomId: 'eph', clientId: 'r1', text: 'reply', replyTo: first.id })).message;
    expect([reply.replyTo, reply.seq]).toEqual([first.id, 2]);
    // One of the room's own log only: a stored message of another room is not there.
    expect(await request(ben, 'message:send', { roomId: 'eph', clientId: 'r2', text: 'reply', replyTo: stored.id })).toMatchObject({
      ok: false,
      error: { code: 'MESSAGE_NOT_FOUND' },
    });
    expect((await chat.store.listMessages('eph', { limit: 10 })).messages).toEqual([]);
  });

  it("a bot's reply to a reply is filed under the thread's top-level message", async () => {
    const { url, chat } = await startChat({ authenticate: byHandshake });
    const ana = await connect(url, 'ana', 'Ana');
    await join(ana, 'r');
    const bot = chat.bot({ id: 'helper', name: 'Helper' });
    await bot.join('r');
    const top = await say(ana, 'r', 'a question');
    const answer = okData(await request(ana, 'message:send', { roomId: 'r', clientId: 'a1', text: 'more', threadOf: top.id })).message;
    expect(answer.threadOf).toBe(top.id);
    expect((await bot.send('r', { text: 'the answer', threadOf: answer.id })).threadOf).toBe(top.id);
  });

  it("after the answer, a failed room:activity or notify is reported with its event's name, and the message stands", async () => {
    // Once the room is set up, the store stops answering who its members are and what a user's
    // conversations are (which room:activity reads), and the notify hook fails. (notify's lookup of
    // who is away works from the member list cached at the join, so the hook is what fails there.)
    class Failing extends MemoryStore {
      failing = false;
      override listMembers(roomId: string): Promise<RoomMember[]> {
        return this.failing ? Promise.reject(new Error('members unavailable')) : super.listMembers(roomId);
      }
      override conversations(...args: Parameters<MemoryStore['conversations']>): ReturnType<MemoryStore['conversations']> {
        return this.failing ? Promise.reject(new Error('conversations unavailable')) : super.conversations(...args);
      }
    }
    const store = new Failing();
    const notify = (): void => {
      if (store.failing) throw new Error('mail server down');
    };
    const { url, chat } = await startChat({ store, authenticate: byHandshake, notify });
    const errors: Array<{ event: string | undefined; error: ChatError }> = [];
    chat.on('error', (error, where) => errors.push({ event: where.event, error }));
    const ana = await connect(url, 'ana', 'Ana');
    await connect(url, 'ben', 'Ben'); // online, not in the room: room:activity is for him
    // Carl is known but never connects: the one notify is for.
    await store.saveUser({ id: 'carl', name: 'Carl' });
    const dm = okData(await request(ana, 'room:direct', { userIds: ['ben', 'carl'] })).room;
    await join(ana, dm.id);
    store.failing = true;
    const sent = await say(ana, dm.id, 'are you there?');
    await waitFor(() => expect(errors.map((e) => e.event).sort()).toEqual(['notify', 'room:activity']));
    expect(errors.map((e) => e.error.code)).toEqual(['INTERNAL', 'INTERNAL']);
    store.failing = false;
    expect((await chat.store.listMessages(dm.id, { limit: 10 })).messages).toEqual([sent]);
  });
});
