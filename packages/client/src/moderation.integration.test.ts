import { describe, expect, it } from 'vitest';
import { ChatError, type ChatUser, type RoomRemovedEvent } from '@chat/protocol';
import type { ChatHandshake } from '@chat/server';
import { sdkClient, startChat } from '../../../test-support/servers.js';
import { waitFor } from '../../../test-support/wait.js';
import type { ChatRoom } from './chat-room.js';

// The SDK's moderation: a moderator's room methods, what a kicked, banned or muted user's room
// shows, room options kept current, and reports.

// The token is the user id (tests only).
const passThrough = (handshake: ChatHandshake): ChatUser => {
  const { token } = handshake.auth as { token: string };
  return { id: token, name: token };
};

async function twoUsers(
  roomId: string,
): Promise<{ host: ChatRoom; ana: ChatRoom; chat: Awaited<ReturnType<typeof startChat>>['chat']; url: string }> {
  const { url, chat } = await startChat({ authenticate: passThrough, presenceCoalesceMs: 10, ownerOnJoin: true });
  const host = await sdkClient(url, { auth: { token: 'host' } }).join(roomId);
  const ana = await sdkClient(url, { auth: { token: 'ana' } }).join(roomId);
  return { host, ana, chat, url };
}

function removedEvent(room: ChatRoom): Promise<RoomRemovedEvent> {
  return new Promise((resolve) => room.on('removed', (_reason, event) => resolve(event)));
}

describe('moderation in the SDK', () => {
  it('a moderator bans: the banned room is removed with the reason and until, and joining again fails with BANNED and until', async () => {
    const { host, ana, url } = await twoUsers('sdk-ban');
    expect(host.canModerate).toBe(true);
    expect(ana.canModerate).toBe(false);
    const removed = removedEvent(ana);
    const until = new Date(Date.now() + 3_600_000);
    await host.ban('ana', { until, reason: 'Spam' });
    expect(await removed).toEqual({ roomId: 'sdk-ban', reason: 'banned', message: 'Spam', until: until.toISOString() });
    expect(ana.state).toBe('left');
    await expect(ana.send('hello?')).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
    const again = sdkClient(url, { auth: { token: 'ana' } });
    await expect(again.join('sdk-ban')).rejects.toMatchObject({ code: 'BANNED', until: until.toISOString() });
    await host.unban('ana');
    expect((await again.join('sdk-ban')).state).toBe('joined');
  });

  it('a muted user gets MUTED with until from send, and sees it on their own member entry; kick removes with reason kicked', async () => {
    const { host, ana } = await twoUsers('sdk-mute');
    const until = new Date(Date.now() + 600_000).toISOString();
    await host.mute('ana', { until, reason: 'Cool down' });
    await waitFor(() => expect(ana.self?.muted).toEqual({ until }));
    const error = await ana.send('let me talk').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ChatError);
    expect(error).toMatchObject({ code: 'MUTED', until });
    expect(ana.outbox.at(-1)?.status).toBe('failed');
    await host.unmute('ana');
    await waitFor(() => expect(ana.self?.muted).toBeUndefined());
    await ana.send('thanks');

    const removed = removedEvent(ana);
    await host.kick('ana', { reason: 'Off topic' });
    expect(await removed).toEqual({ roomId: 'sdk-mute', reason: 'kicked', message: 'Off topic' });
  });

  it('keeps the room options current (room:updated) and lets owners give roles and report', async () => {
    const { host, ana, chat } = await twoUsers('sdk-room');
    let updates = 0;
    ana.on('updated', () => updates++);
    const frozen = await host.moderate({ frozen: true, slowModeMs: 2000 });
    expect(frozen.options).toMatchObject({ frozen: true, slowModeMs: 2000 });
    expect(host.room?.options.frozen).toBe(true);
    await waitFor(() => expect(ana.room?.options).toMatchObject({ frozen: true, slowModeMs: 2000 }));
    expect(updates).toBeGreaterThan(0);
    await expect(ana.send('x')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(ana.moderate({ frozen: false })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await host.moderate({ frozen: false, slowModeMs: 0 });

    await host.setRole('ana', 'moderator');
    await waitFor(() => expect(ana.canModerate).toBe(true));
    const message = await host.send('hello');
    const reported = new Promise((resolve) => chat.on('report', resolve));
    await ana.report(message.id, 'Testing reports');
    expect(await reported).toMatchObject({ messageId: message.id, reason: 'Testing reports', reporter: { id: 'ana' } });
  });
});
