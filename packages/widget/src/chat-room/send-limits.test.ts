// @vitest-environment jsdom
import { render } from 'lit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatRoom, Member, Message, PublicRoom } from '@chat/client';
import { en } from '../i18n/en.js';
import { es } from '../i18n/es.js';
import { systemLine } from '../call-lines/call-lines.js';
import { untilFor } from '../moderation/moderation-controller.js';
import { composerBlock, SendLimits } from './send-limits.js';

const time = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'UTC' });
const NOW = Date.parse('2026-05-01T12:00:00Z');
const self = (extra: Partial<Member> = {}): Member => ({
  id: 'me',
  name: 'Eva',
  status: 'online',
  joinedAt: '2026-05-01T10:00:00Z',
  ...extra,
});
const publicRoom = (options: PublicRoom['options']) => ({ id: 'r', options }) as PublicRoom;
type Blockable = Pick<ChatRoom, 'self' | 'room' | 'canModerate'>;

describe('composerBlock: why the composer is off for you', () => {
  it('says until when you are muted, or that you are muted until lifted', () => {
    const muted = (until?: string): Blockable => ({
      self: self({ muted: until ? { until } : {} }),
      room: publicRoom({}),
      canModerate: false,
    });
    expect(composerBlock(muted('2026-05-01T18:00:00Z'), en, time, NOW)).toBe('You are muted until 18:00');
    expect(composerBlock(muted(), en, time, NOW)).toBe('You are muted');
    expect(composerBlock(muted(), es, time, NOW)).toBe('Estás silenciado');
    // A mute that ended is no longer a reason.
    expect(composerBlock(muted('2026-05-01T11:00:00Z'), en, time, NOW)).toBeUndefined();
  });

  it('says a frozen room is for moderators to write in, except to moderators', () => {
    const frozen = (canModerate: boolean): Blockable => ({ self: self(), room: publicRoom({ frozen: true }), canModerate });
    expect(composerBlock(frozen(false), en, time, NOW)).toBe('Only moderators can write in this room right now');
    expect(composerBlock(frozen(true), en, time, NOW)).toBeUndefined();
    expect(composerBlock({ self: self(), room: publicRoom({ slowModeMs: 10_000 }), canModerate: false }, en, time, NOW)).toBeUndefined();
    expect(composerBlock(undefined, en, time, NOW)).toBeUndefined();
  });
});

describe('untilFor: the end of a ban or mute', () => {
  it('is an hour or a day from now, or nothing for "until lifted"', () => {
    expect(untilFor('hour', NOW)?.toISOString()).toBe('2026-05-01T13:00:00.000Z');
    expect(untilFor('day', NOW)?.toISOString()).toBe('2026-05-02T12:00:00.000Z');
    expect(untilFor('ever', NOW)).toBeUndefined();
  });
});

describe('systemLine: call lines in the widget’s language', () => {
  const line = (system: Message['system']) => ({ text: 'English fallback', user: { id: 'a', name: 'Ana' }, system });
  // What a line draws, and its isolated name (in-sentence.ts), if any.
  const drawn = (system: Message['system'], strings: typeof en) => {
    const box = document.createElement('div');
    render(systemLine(line(system), strings), box);
    return [box.textContent?.trim(), box.querySelector('bdi')?.textContent];
  };
  it('says who started a call, a missed call, and how long an ended call lasted', () => {
    expect(drawn({ type: 'call:started', callId: 'c', kind: 'video' }, en)).toEqual(['Ana started a video call', 'Ana']);
    expect(drawn({ type: 'call:started', callId: 'c', kind: 'video' }, es)).toEqual(['Ana inició una videollamada', 'Ana']);
    expect(drawn({ type: 'call:started', callId: 'c', kind: 'audio' }, en)).toEqual(['Ana started an audio call', 'Ana']);
    expect(drawn({ type: 'call:ended', callId: 'c', kind: 'audio', durationMs: 0, missed: true }, es)).toEqual([
      'Llamada de audio perdida de Ana',
      'Ana',
    ]);
    expect(systemLine(line({ type: 'call:ended', callId: 'c', kind: 'video', durationMs: 125_400 }), en)).toBe('Video call ended · 2:05');
    expect(systemLine(line(undefined), en)).toBe('English fallback');
  });
});

describe('SendLimits: slow mode’s wait', () => {
  afterEach(() => void vi.useRealTimers());
  const host = () => ({ addController: vi.fn(), removeController: vi.fn(), requestUpdate: vi.fn(), updateComplete: Promise.resolve(true) });

  it('after your message in a slow room, refuses the next one with the seconds left, counting down to nothing', () => {
    vi.useFakeTimers({ now: NOW });
    const notes: string[] = [];
    const limits = new SendLimits(
      host(),
      (text) => notes.push(text),
      () => en,
    );
    const room = { room: publicRoom({ slowModeMs: 12_000 }), canModerate: false } as ChatRoom;
    expect(limits.check()).toBe(true);
    limits.sent(room);
    expect(limits.check()).toBe(false);
    expect(notes.at(-1)).toBe('You can send again in 12 s');
    vi.advanceTimersByTime(5_000);
    expect(notes.at(-1)).toBe('You can send again in 7 s');
    vi.advanceTimersByTime(7_000);
    expect(notes.at(-1)).toBe('');
    expect(limits.check()).toBe(true);
  });

  it('does not hold moderators back, and waits as long as a RATE_LIMITED retryAfter says', () => {
    vi.useFakeTimers({ now: NOW });
    const notes: string[] = [];
    const limits = new SendLimits(
      host(),
      (text) => notes.push(text),
      () => es,
    );
    limits.sent({ room: publicRoom({ slowModeMs: 12_000 }), canModerate: true } as ChatRoom);
    expect(limits.check()).toBe(true);
    limits._waitFor(2_500);
    expect(notes.at(-1)).toBe('Podrás enviar de nuevo en 3 s');
    limits.reset();
    expect(limits.check()).toBe(true);
  });
});
