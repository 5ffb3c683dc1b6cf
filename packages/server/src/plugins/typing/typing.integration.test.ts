// The typing event as the built-in plugin serves it: its refusals' sentences (the protocol's, and
// the host's own from `authorize`), and what a mute and slow mode do to `typing: true` and `false`.
import { describe, expect, it } from 'vitest';
import { ChatError } from '@chat/protocol';
import { okData, rawSocket, request } from '../../../../../test-support/servers.js';
import { inMs, joined, moderationChat, sent } from '../../capabilities/moderation/moderation-fixtures.js';

describe('typing (the built-in plugin)', () => {
  it('refuses a bad payload with the protocol’s sentence, before asking whether the socket is in the room', async () => {
    const { url } = await moderationChat();
    const socket = await rawSocket(url, { id: 'ana', name: 'ana' });
    const refused = async (payload: unknown) => {
      const answer = await request(socket, 'typing', payload as { roomId: string; typing: boolean });
      return answer.ok ? 'accepted' : [answer.error.code, answer.error.message];
    };
    expect(await refused({})).toEqual(['VALIDATION_FAILED', 'roomId is missing.']);
    expect(await refused({ roomId: 'nowhere' })).toEqual(['VALIDATION_FAILED', 'typing is missing.']);
    expect(await refused({ roomId: 5, typing: true })).toEqual(['VALIDATION_FAILED', 'roomId must be a string.']);
    expect(await refused({ roomId: 'nowhere', typing: true })).toEqual(['NOT_IN_ROOM', expect.any(String)]);
  });

  it('a refusal of authorize: the host’s own sentence when it threw one, else the server’s', async () => {
    const { url } = await moderationChat({
      authorize: (action, ctx) => {
        if (action !== 'typing') return true;
        if (ctx.user.id === 'ana') throw new ChatError('FORBIDDEN', 'Hier darfst du nicht tippen.', { lang: 'de' });
        return ctx.user.id !== 'ben';
      },
    });
    const [ana] = await joined(url, 'town', 'ana');
    const [ben] = await joined(url, 'town', 'ben');
    expect(await request(ana, 'typing', { roomId: 'town', typing: true })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Hier darfst du nicht tippen.', lang: 'de' },
    });
    expect(await request(ben, 'typing', { roomId: 'town', typing: true })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'You are not allowed to do this here (typing).' },
    });
    // Stopping is never asked about.
    okData(await request(ben, 'typing', { roomId: 'town', typing: false }));
  });

  it('a muted member may stop typing but not start; slow mode never holds typing back', async () => {
    const { url, chat } = await moderationChat();
    const [host] = await joined(url, 'town', 'host');
    const [ana] = await joined(url, 'town', 'ana');
    const [ben] = await joined(url, 'town', 'ben');
    await chat.mute('town', 'ana', { until: inMs(600_000) });
    expect(await request(ana, 'typing', { roomId: 'town', typing: true })).toMatchObject({ ok: false, error: { code: 'MUTED' } });
    okData(await request(ana, 'typing', { roomId: 'town', typing: false }));
    okData(await request(host, 'moderation:room', { roomId: 'town', slowModeMs: 60_000 }));
    await sent(ben, 'town', 'one message, the slow mode’s whole minute');
    okData(await request(ben, 'typing', { roomId: 'town', typing: true }));
  });
});
