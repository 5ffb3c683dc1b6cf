import { describe, expect, it } from 'vitest';
import { ChatError } from '@chat/protocol';
import { StatusKeeper, type StatusChoice } from './user-status.js';

/** A keeper whose sends the test answers one by one. */
function keeper() {
  const sent: StatusChoice[] = [];
  const shown: StatusChoice[] = [];
  const failures: unknown[] = [];
  const answers: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  const status = new StatusKeeper({
    send: (s) => {
      sent.push(s);
      return new Promise<void>((resolve, reject) => answers.push({ resolve, reject }));
    },
    failed: (e) => failures.push(e),
    changed: (s) => shown.push(s),
  });
  const answer = async (error?: unknown) => {
    await waitUntil(() => answers.length > 0);
    const next = answers.shift() as { resolve: () => void; reject: (e: unknown) => void };
    if (error) next.reject(error);
    else next.resolve();
    await flush();
  };
  return { status, sent, shown, failures, answer, pending: () => answers.length };
}

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 50 && !condition(); i++) await Promise.resolve();
  if (!condition()) throw new Error('never happened');
}

describe('StatusKeeper', () => {
  it('auto-away shows away over online (keeping its text) and online again on return', async () => {
    const k = keeper();
    k.status.connected();
    const chosen = k.status.choose('online', '  Working from home ');
    await k.answer();
    await chosen;
    k.status.inactive(true);
    await k.answer();
    expect(k.status.shown).toEqual({ status: 'away', text: 'Working from home' });
    k.status.inactive(false);
    await k.answer();
    expect(k.sent).toEqual([
      { status: 'online', text: 'Working from home' },
      { status: 'away', text: 'Working from home' },
      { status: 'online', text: 'Working from home' },
    ]);
    expect(k.shown).toEqual(k.sent);
  });

  it('busy or away chosen by the user are left alone by auto-away', async () => {
    const k = keeper();
    k.status.connected();
    const chosen = k.status.choose('busy', undefined);
    await k.answer();
    await chosen;
    k.status.inactive(true);
    k.status.inactive(false);
    await flush();
    expect(k.sent).toEqual([{ status: 'busy' }]);
    expect(k.pending()).toBe(0);
    // Choosing online again while every tab is idle shows away at once.
    k.status.inactive(true);
    const back = k.status.choose('online', undefined);
    await k.answer();
    await back;
    expect(k.sent.at(-1)).toEqual({ status: 'away' });
  });

  it('a refused choice rejects and puts the previous one back', async () => {
    const k = keeper();
    k.status.connected();
    const chosen = k.status.choose('busy', 'x'.repeat(500));
    await k.answer(new ChatError('PAYLOAD_TOO_LARGE', 'The status text is too long.'));
    await expect(chosen).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(k.status.shown).toEqual({ status: 'online' });
    expect(k.shown).toEqual([{ status: 'busy', text: 'x'.repeat(500) }, { status: 'online' }]);
  });

  it('sends one at a time, each the status shown when its turn comes', async () => {
    const k = keeper();
    k.status.connected();
    k.status.inactive(true);
    k.status.inactive(false);
    k.status.inactive(true);
    // The first turn sends what is shown by then (away); the others find it sent.
    await k.answer();
    await flush();
    expect(k.sent).toEqual([{ status: 'away' }]);
    expect(k.pending()).toBe(0);
  });

  it('sends again after a reconnect what a new connection would not show, and nothing for plain online', async () => {
    const k = keeper();
    k.status.connected();
    k.status.connected();
    await flush();
    expect(k.sent).toEqual([]);
    const chosen = k.status.choose('busy', 'On call');
    await k.answer();
    await chosen;
    k.status.connected();
    await k.answer();
    expect(k.sent).toEqual([
      { status: 'busy', text: 'On call' },
      { status: 'busy', text: 'On call' },
    ]);
  });

  it('a choice made in another tab is kept without sending it again, and failures of its own sends are reported', async () => {
    const k = keeper();
    k.status.connected();
    k.status.adopt('busy', 'In a meeting');
    expect(k.status.shown).toEqual({ status: 'busy', text: 'In a meeting' });
    k.status.inactive(true);
    await flush();
    expect(k.sent).toEqual([]);
    // The other tab chose online while every tab was idle: it sent away, as this one would have.
    k.status.adopt('online', undefined);
    expect(k.status.shown).toEqual({ status: 'away' });
    await flush();
    expect(k.sent).toEqual([]);
    k.status.inactive(false);
    await k.answer(new Error('refused'));
    expect(k.sent).toEqual([{ status: 'online' }]);
    expect(k.failures).toEqual([new Error('refused')]);
  });
});
