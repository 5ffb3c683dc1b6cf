import { describe, expect, it } from 'vitest';
import type { AuditEntry, Report } from '@chat/protocol';
import { nextEvent, okData, rawSocket, request } from '../../../../../test-support/servers.js';
import type { AuditPage } from '../../core/moderation-records.js';
import { inMs, joined, moderationChat, send, sent } from './moderation-fixtures.js';

// Moderation on one process, through real sockets: roles, kick, ban, mute, deletes by
// moderators, freeze, slow mode, reports, the audit log, and every refusal a person can meet.

describe('moderation', () => {
  it('makes the creator owner, shows roles on members, and lets owners (not others) set roles', async () => {
    const { url, chat } = await moderationChat();
    const [host, hostJoin] = await joined(url, 'town', 'host');
    expect(hostJoin.self.role).toBe('owner');
    const [mara] = await joined(url, 'town', 'mara');
    const [ana, anaJoin] = await joined(url, 'town', 'ana');
    expect(anaJoin.members.find((m) => m.id === 'host')?.role).toBe('owner');
    expect(anaJoin.self).not.toHaveProperty('role');

    // Mara may still be in the delta of her join (coalesced): either way she shows as moderator.
    const shown = nextEvent(ana, 'presence', (d) => [...d.joined, ...d.updated].some((m) => m.id === 'mara' && m.role === 'moderator'));
    expect(okData(await request(host, 'moderation:role', { roomId: 'town', userId: 'mara', role: 'moderator' }))).toEqual({});
    await shown;

    // A member and a moderator may not give roles.
    expect(await request(ana, 'moderation:role', { roomId: 'town', userId: 'ana', role: 'owner' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', lang: 'en', message: 'You cannot change the role of yourself.' },
    });
    expect(await request(ana, 'moderation:role', { roomId: 'town', userId: 'mara', role: 'member' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', lang: 'en', message: 'Only owners can change roles in this room.' },
    });
    expect(await request(mara, 'moderation:role', { roomId: 'town', userId: 'ana', role: 'moderator' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    // The server API sets roles too (and a role given back to its default is stored as none).
    await chat.setRole('town', 'ana', 'moderator');
    await chat.setRole('town', 'ana', 'member');
    expect(await chat.store.getStanding('town', 'ana')).toBeNull();
    const { entries } = await chat.auditLog('town');
    expect(entries.map((e) => [e.action, e.targetUserId, e.detail, e.actor.id])).toEqual([
      ['role', 'ana', { role: 'member' }, 'server'],
      ['role', 'ana', { role: 'moderator' }, 'server'],
      ['role', 'mara', { role: 'moderator' }, 'host'],
    ]);
  });

  it('kicks: the user leaves at once with the reason, may join again, and the action is audited and told to the host', async () => {
    const { url, chat } = await moderationChat();
    const [host] = await joined(url, 'town', 'host');
    const [troll] = await joined(url, 'town', 'troll');
    const actions: AuditEntry[] = [];
    chat.on('moderation', (entry) => actions.push(entry));
    const removed = nextEvent(troll, 'room:removed');
    const left = nextEvent(host, 'presence', (d) => d.left.includes('troll'));
    expect(okData(await request(host, 'moderation:kick', { roomId: 'town', userId: 'troll', reason: 'Off topic' }))).toEqual({});
    expect(await removed).toEqual({ roomId: 'town', reason: 'kicked', message: 'Off topic' });
    await left;
    expect(await send(troll, 'town', 'still here?')).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    okData(await request(troll, 'room:join', { roomId: 'town' }));
    await sent(troll, 'town', 'back, behaving');
    expect(actions).toEqual([
      {
        id: expect.any(String),
        roomId: 'town',
        action: 'kick',
        actor: { id: 'host', name: 'host' },
        targetUserId: 'troll',
        reason: 'Off topic',
        at: expect.any(String),
      },
    ]);
  });

  it('bans until a time: removed with reason and until, joins refused with BANNED and until, REST too; unban lets them back', async () => {
    const { url, chat, rest } = await moderationChat();
    const [host] = await joined(url, 'town', 'host');
    const [troll] = await joined(url, 'town', 'troll');
    const until = inMs(3_600_000);
    const removed = nextEvent(troll, 'room:removed');
    okData(await request(host, 'moderation:ban', { roomId: 'town', userId: 'troll', until, reason: 'Spam' }));
    expect(await removed).toEqual({ roomId: 'town', reason: 'banned', message: 'Spam', until });
    expect(await request(troll, 'room:join', { roomId: 'town' })).toEqual({
      ok: false,
      error: { code: 'BANNED', lang: 'en', message: `You are banned from this room until ${until}.`, until },
    });
    // A new connection is refused the same way.
    const again = await rawSocket(url, { id: 'troll', name: 'Troll 2' });
    expect(await request(again, 'room:join', { roomId: 'town' })).toMatchObject({ ok: false, error: { code: 'BANNED', until } });
    expect(await rest({ id: 'troll' }, 'GET', '/rooms/town')).toMatchObject({ status: 403, body: { error: { code: 'BANNED', until } } });
    expect(await rest({ id: 'troll' }, 'GET', '/rooms/town/messages')).toMatchObject({ status: 403, body: { error: { code: 'BANNED' } } });
    expect(await rest({ id: 'someone' }, 'GET', '/rooms/town')).toMatchObject({ status: 200 });

    await chat.unban('town', 'troll', { by: { id: 'mod-tool', name: 'Mod tool' } });
    okData(await request(again, 'room:join', { roomId: 'town' }));
    expect((await chat.auditLog('town')).entries.map((e) => [e.action, e.actor.id, e.until])).toEqual([
      ['unban', 'mod-tool', undefined],
      ['ban', 'host', until],
    ]);
  });

  it('keeps a banned guest out whatever name they pick (guest ids derive from guestKey)', async () => {
    const { url, chat } = await moderationChat({ authenticate: undefined });
    const host = await rawSocket(url, { name: 'Host', guestKey: 'host-key-host-key-host-key' });
    okData(await request(host, 'room:join', { roomId: 'open' }));
    const guest = await rawSocket(url, { name: 'Troll', guestKey: 'troll-key-troll-key-troll-key' });
    const { self } = okData(await request(guest, 'room:join', { roomId: 'open' }));
    okData(await request(host, 'moderation:ban', { roomId: 'open', userId: self.id }));
    const renamed = await rawSocket(url, { name: 'Totally New Person', guestKey: 'troll-key-troll-key-troll-key' });
    expect(await request(renamed, 'room:join', { roomId: 'open' })).toEqual({
      ok: false,
      error: { code: 'BANNED', lang: 'en', message: 'You are banned from this room.' },
    });
    // Without until the ban lasts until lifted.
    expect(await chat.store.getStanding('open', self.id)).toEqual({ userId: self.id, ban: {} });
  });

  it('mutes: the room sees it on the member, sends, edits, reactions and typing answer MUTED with until, the host API still posts; unmute lifts it', async () => {
    const { url, chat } = await moderationChat();
    const [host] = await joined(url, 'town', 'host');
    const [ana] = await joined(url, 'town', 'ana');
    const own = await sent(ana, 'town', 'before the mute');
    const other = await sent(host, 'town', 'hello');
    const until = inMs(600_000);
    const shown = nextEvent(host, 'presence', (d) => [...d.joined, ...d.updated].some((m) => m.id === 'ana' && m.muted !== undefined));
    await chat.mute('town', 'ana', { until, reason: 'Cool down' });
    expect([...(await shown).joined, ...(await shown).updated].find((m) => m.id === 'ana')?.muted).toEqual({ until }); // the reason is not shown to the room

    const muted = {
      ok: false,
      error: {
        code: 'MUTED',
        until,
        lang: 'en',
        message: `You are muted in this room until ${until} (Cool down): you can read but not write or react.`,
      },
    };
    expect(await send(ana, 'town', 'let me talk')).toEqual(muted);
    expect(await request(ana, 'message:edit', { roomId: 'town', messageId: own.id, text: 'edited' })).toEqual(muted);
    expect(await request(ana, 'reaction:add', { roomId: 'town', messageId: other.id, emoji: '👍' })).toEqual(muted);
    expect(await request(ana, 'typing', { roomId: 'town', typing: true })).toEqual(muted);
    // They still read, and may take their own words back.
    okData(await request(ana, 'message:history', { roomId: 'town' }));
    okData(await request(ana, 'message:delete', { roomId: 'town', messageId: own.id }));
    // chat.sendMessage is the host's own API: trusted, even for a muted user's id.
    expect((await chat.sendMessage('town', { user: { id: 'ana', name: 'ana' }, text: 'posted by the host' })).user.id).toBe('ana');

    const lifted = nextEvent(host, 'presence', (d) => [...d.joined, ...d.updated].some((m) => m.id === 'ana' && m.muted === undefined));
    await chat.unmute('town', 'ana');
    await lifted;
    await sent(ana, 'town', 'thanks');
  });

  it('lets moderators delete anyone’s message (audited), members only their own', async () => {
    const { url, chat } = await moderationChat();
    const [host] = await joined(url, 'town', 'host');
    const [mara] = await joined(url, 'town', 'mara');
    const [ana] = await joined(url, 'town', 'ana');
    await chat.setRole('town', 'mara', 'moderator');
    const rude = await sent(ana, 'town', 'something rude');
    const hosts = await sent(host, 'town', 'welcome');
    expect(await request(ana, 'message:delete', { roomId: 'town', messageId: hosts.id })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', lang: 'en', message: 'You can only delete your own messages.' },
    });
    const deleted = okData(await request(mara, 'message:delete', { roomId: 'town', messageId: rude.id })).message;
    expect(deleted.deletedAt).toBeDefined();
    // A moderator edits only their own.
    expect(await request(mara, 'message:edit', { roomId: 'town', messageId: hosts.id, text: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    await chat.deleteMessage('town', hosts.id);
    expect((await chat.auditLog('town')).entries.map((e) => [e.action, e.actor.id, e.targetUserId, e.messageId])).toEqual([
      ['message:delete', 'server', 'host', hosts.id],
      ['message:delete', 'mara', 'ana', rude.id],
      ['role', 'server', 'mara', undefined],
    ]);
  });

  it('freezes a room: members get room:updated, only moderators write; chat.updateRoom tells members of every change', async () => {
    const { url, chat } = await moderationChat();
    const [host] = await joined(url, 'town', 'host');
    const [ana] = await joined(url, 'town', 'ana');
    const message = await sent(host, 'town', 'hello');
    const told = nextEvent(ana, 'room:updated');
    const answer = okData(await request(host, 'moderation:room', { roomId: 'town', frozen: true }));
    expect(answer.room.options.frozen).toBe(true);
    expect((await told).room.options).toMatchObject({ frozen: true });
    expect(await send(ana, 'town', 'hi')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', lang: 'en', message: 'This room is frozen: only moderators can write in it now.' },
    });
    expect(await request(ana, 'reaction:add', { roomId: 'town', messageId: message.id, emoji: '👍' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', lang: 'en', message: 'This room is frozen: reactions are off for now.' },
    });
    expect(await request(ana, 'moderation:room', { roomId: 'town', frozen: false })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', lang: 'en', message: 'Only moderators can freeze this room or set its slow mode.' },
    });
    await sent(host, 'town', 'only I talk now');

    const retitled = nextEvent(ana, 'room:updated');
    await chat.updateRoom('town', { title: 'Town hall', options: { frozen: false } });
    expect((await retitled).room).toMatchObject({ title: 'Town hall', options: { frozen: false } });
    await sent(ana, 'town', 'free again');
    expect((await chat.auditLog('town')).entries.map((e) => [e.action, e.actor.id, e.detail])).toEqual([
      ['room:update', 'server', { frozen: false }],
      ['room:update', 'host', { frozen: true }],
    ]);
  });

  it('slows a room down: one message per slowModeMs per member (RATE_LIMITED with retryAfter), moderators exempt', async () => {
    const { url } = await moderationChat();
    const [host] = await joined(url, 'town', 'host');
    const [ana] = await joined(url, 'town', 'ana');
    const [ben] = await joined(url, 'town', 'ben');
    okData(await request(host, 'moderation:room', { roomId: 'town', slowModeMs: 60_000 }));
    await sent(ana, 'town', 'one');
    const refused = await send(ana, 'town', 'two');
    expect(refused).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    if (refused.ok) throw new Error('unreachable');
    expect(refused.error.retryAfter).toBeGreaterThan(50_000);
    expect(refused.error.message).toMatch(/^Slow mode is on: one message every 60 seconds\. You can send again in \d+ seconds\.$/u);
    // Per member: another member is not held back by it, the owner is exempt.
    await sent(ben, 'town', 'mine');
    await sent(host, 'town', 'a');
    await sent(host, 'town', 'b');
    expect(await request(host, 'moderation:room', { roomId: 'town', slowModeMs: 86_400_001 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
  });

  it('takes reports once per reporter and message, tells the host, and refuses reports that make no sense', async () => {
    const { url, chat } = await moderationChat();
    const [host] = await joined(url, 'town', 'host');
    const [ana] = await joined(url, 'town', 'ana');
    const outsider = await rawSocket(url, { id: 'out', name: 'out' });
    const rude = await sent(host, 'town', 'rude words');
    const reports: Report[] = [];
    chat.on('report', (report) => reports.push(report));
    expect(okData(await request(ana, 'message:report', { roomId: 'town', messageId: rude.id, reason: 'Insults' }))).toEqual({});
    okData(await request(ana, 'message:report', { roomId: 'town', messageId: rude.id, reason: 'Insults!!' }));
    expect(reports).toEqual([
      {
        id: expect.any(String),
        roomId: 'town',
        messageId: rude.id,
        reporter: { id: 'ana', name: 'ana' },
        reason: 'Insults',
        at: expect.any(String),
      },
    ]);
    expect((await chat.reports('town')).reports).toEqual(reports);

    const own = await sent(ana, 'town', 'mine');
    expect(await request(ana, 'message:report', { roomId: 'town', messageId: own.id, reason: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', lang: 'en', message: 'You cannot report your own message. Delete or edit it instead.' },
    });
    expect(await request(ana, 'message:report', { roomId: 'town', messageId: 'nope', reason: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'MESSAGE_NOT_FOUND' },
    });
    expect(await request(outsider, 'message:report', { roomId: 'town', messageId: rude.id, reason: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_IN_ROOM' },
    });
    expect(await request(ana, 'message:report', { roomId: 'town', messageId: rude.id, reason: 'x'.repeat(501) })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
  });

  it('refuses moderation that is not yours to do, with a sentence that says why', async () => {
    const { url, chat } = await moderationChat();
    const [host] = await joined(url, 'town', 'host');
    const [mara] = await joined(url, 'town', 'mara');
    const [ana] = await joined(url, 'town', 'ana');
    const [boss] = await joined(url, 'town', 'boss', ['admin']);
    await chat.setRole('town', 'mara', 'moderator');
    const refusal = async (
      socket: typeof ana,
      event: 'moderation:kick' | 'moderation:ban' | 'moderation:mute',
      payload: Record<string, unknown>,
    ) => {
      const response = await request(socket, event, { roomId: 'town', ...payload } as never);
      if (response.ok) throw new Error(`${event} was allowed`);
      return [response.error.code, response.error.message];
    };
    expect(await refusal(ana, 'moderation:kick', { userId: 'mara' })).toEqual([
      'FORBIDDEN',
      'Only moderators can kick people in this room.',
    ]);
    expect(await refusal(mara, 'moderation:ban', { userId: 'host' })).toEqual(['FORBIDDEN', 'You cannot ban an owner of this room.']);
    expect(await refusal(mara, 'moderation:mute', { userId: 'boss' })).toEqual(['FORBIDDEN', 'You cannot mute an admin of this room.']);
    expect(await refusal(host, 'moderation:ban', { userId: 'boss' })).toEqual(['FORBIDDEN', 'You cannot ban an admin of this room.']);
    expect(await refusal(mara, 'moderation:ban', { userId: 'mara' })).toEqual(['VALIDATION_FAILED', 'You cannot ban yourself.']);
    expect(await refusal(mara, 'moderation:kick', { userId: 'mara' })).toEqual(['VALIDATION_FAILED', 'You cannot kick yourself.']);
    expect(await refusal(mara, 'moderation:mute', { userId: 'mara' })).toEqual(['VALIDATION_FAILED', 'You cannot mute yourself.']);
    expect(await refusal(mara, 'moderation:ban', { userId: 'ana', until: inMs(-60_000) })).toEqual([
      'VALIDATION_FAILED',
      'until must be in the future. Leave it out for a ban or mute that lasts until lifted.',
    ]);
    expect(await refusal(mara, 'moderation:mute', { userId: 'ana', until: inMs(11 * 365 * 86_400_000) })).toEqual([
      'VALIDATION_FAILED',
      'A ban or mute can last at most 10 years. Leave until out for one that lasts until lifted.',
    ]);
    expect(await refusal(mara, 'moderation:ban', { userId: 'ana', until: 'next tuesday' })).toEqual([
      'VALIDATION_FAILED',
      'until must be an ISO 8601 date and time, such as 2026-12-01T18:00:00Z.',
    ]);
    expect(await refusal(mara, 'moderation:kick', { userId: 'ana', until: inMs(60_000) })).toEqual([
      'VALIDATION_FAILED',
      'A kick takes no until: only bans and mutes last until a time.',
    ]);
    expect(await refusal(mara, 'moderation:kick', { roomId: 'nowhere', userId: 'ana' })).toEqual([
      'ROOM_NOT_FOUND',
      'There is no room "nowhere".',
    ]);
    // An admin moderates every room, owners included; a moderator acts on members.
    okData(await request(boss, 'moderation:mute', { roomId: 'town', userId: 'host' }));
    okData(await request(mara, 'moderation:kick', { roomId: 'town', userId: 'ana' }));
    // Nothing was stored by the refusals.
    expect(await chat.store.listStandings('town')).toEqual([
      { userId: 'host', mute: {} },
      { userId: 'mara', role: 'moderator' },
    ]);
    expect((await chat.auditLog('town')).entries.map((e) => e.action)).toEqual(['kick', 'mute', 'role']);
    // The server API checks shapes too.
    await expect(chat.ban('town', 'ana', { until: new Date(Date.now() - 1000) })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(chat.mute('town', '', {})).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      lang: 'en',
      message: 'userId must not be empty.',
    });
    await expect(chat.auditLog('town', { limit: 0 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('serves the audit log and reports over REST to moderators only, and takes moderation actions there', async () => {
    const { url, rest } = await moderationChat();
    const [host] = await joined(url, 'town', 'host');
    const [ana] = await joined(url, 'town', 'ana');
    const rude = await sent(host, 'town', 'x');
    okData(await request(ana, 'message:report', { roomId: 'town', messageId: rude.id, reason: 'bad' }));
    expect(await rest({ id: 'ana' }, 'GET', '/rooms/town/audit')).toMatchObject({
      status: 403,
      body: { error: { code: 'FORBIDDEN', lang: 'en', message: 'Only moderators can read the audit log of this room.' } },
    });
    expect(await rest({ id: 'ana' }, 'GET', '/rooms/town/reports')).toMatchObject({ status: 403 });
    const removed = nextEvent(ana, 'room:removed');
    const until = inMs(60_000);
    const banned = await rest({ id: 'host' }, 'POST', '/rooms/town/moderation/ban', { userId: 'ana', until, reason: 'Enough' });
    expect(banned).toMatchObject({
      status: 200,
      body: { entry: { action: 'ban', targetUserId: 'ana', until, reason: 'Enough', actor: { id: 'host' } } },
    });
    expect(await removed).toMatchObject({ reason: 'banned', until });
    expect(await rest({ id: 'ben' }, 'POST', '/rooms/town/moderation/unban', { userId: 'ana' })).toMatchObject({ status: 403 });
    expect(await rest({ id: 'ana' }, 'POST', '/rooms/town/moderation/unban', { userId: 'ana' })).toMatchObject({
      status: 403,
      body: { error: { code: 'BANNED' } },
    });
    // A role is for a member: Mara joins first.
    await joined(url, 'town', 'mara');
    expect(await rest({ id: 'host' }, 'POST', '/rooms/town/moderation/role', { userId: 'mara', role: 'moderator' })).toMatchObject({
      status: 200,
    });
    expect(await rest({ id: 'mara' }, 'POST', '/rooms/town/moderation/room', { slowModeMs: 5000 })).toMatchObject({
      status: 200,
      body: { room: { options: { slowModeMs: 5000 } } },
    });
    expect(await rest({ id: 'host' }, 'POST', '/rooms/town/moderation/nuke', { userId: 'ana' })).toMatchObject({ status: 404 });
    expect(await rest({ id: 'host' }, 'POST', '/rooms/town/moderation/mute', { userId: 'ana', until: 'soon' })).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED' } },
    });
    // An admin (the host's own server code signs in as one) reads any room's log, in pages.
    const page = await rest({ id: 'ops', roles: ['admin'] }, 'GET', '/rooms/town/audit?limit=2');
    expect(page).toMatchObject({ status: 200, body: { hasMore: true } });
    const { entries } = page.body as AuditPage;
    expect(entries.map((e) => e.action)).toEqual(['room:update', 'role']);
    const next = await rest({ id: 'ops', roles: ['admin'] }, 'GET', `/rooms/town/audit?limit=2&before=${entries[1]?.id}`);
    expect(next.body).toMatchObject({ hasMore: false, entries: [{ action: 'ban' }] });
    expect(await rest({ id: 'ops', roles: ['admin'] }, 'GET', '/rooms/town/audit?before=abc')).toMatchObject({ status: 400 });
    const reports = await rest({ id: 'host' }, 'GET', '/rooms/town/reports');
    expect(reports.body).toMatchObject({ hasMore: false, reports: [{ messageId: rude.id, reason: 'bad', reporter: { id: 'ana' } }] });
  });
});
