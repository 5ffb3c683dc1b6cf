import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatError, Call as CallData } from '@chat/protocol';
import type { CallRouterHost } from './call-router.js';

// The router without servers: when it loads the call code, and what it hands over once loaded.
// The call code is a stand-in that records what it is told; calls.integration.test.ts runs the
// real one against a server.
/** How long a (mocked) dynamic import of the call code may take to settle: vitest's 1 s default was passed under a loaded CI machine. */
const LOADED = { timeout: 10_000 };
/** What the stand-in call code was told; `fail` makes its next import fail as a chunk the network kept away. */
const loads = { count: 0, told: [] as string[], fail: false };

/**
 * The stand-in call code, for the next import of it (after `vi.resetModules()`). Registered once per
 * test: vitest resolves mocks queued together concurrently, so two `doMock`s of one module before an
 * import may land in either order; a failing import is asked for with `loads.fail` instead.
 */
function mockCallCode(): void {
  vi.doMock('./call-registry.js', () => {
    loads.count++;
    if (loads.fail) throw new TypeError('Failed to fetch dynamically imported module');
    class CallRegistry {
      get calls() {
        return [];
      }
      inRoom() {
        return [];
      }
      start(roomId: string) {
        loads.told.push(`start ${roomId}`);
        return Promise.resolve({ roomId });
      }
      receive(data: CallData) {
        loads.told.push(`call ${data.id}`);
      }
      signal(event: { callId: string }) {
        loads.told.push(`signal ${event.callId}`);
      }
      _roomJoined(roomId: string) {
        loads.told.push(`joined ${roomId}`);
      }
      _roomClosed(roomId: string) {
        loads.told.push(`closed ${roomId}`);
      }
      _connectionLost() {
        loads.told.push('connection lost');
      }
      close() {
        loads.told.push('close');
      }
    }
    return { CallRegistry };
  });
}

const call = (id: string, ended = false): CallData => ({
  id,
  roomId: 'consulta',
  kind: 'audio',
  startedBy: { id: 'ana', name: 'Ana' },
  participants: [{ id: 'ana', name: 'Ana' }],
  ringing: [{ id: 'luis', name: 'Luis' }],
  startedAt: new Date(0).toISOString(),
  ...(ended && { endedAt: new Date(1).toISOString() }),
  version: 1,
});
const signal = (callId: string) => ({ callId, from: 'ana', data: { description: { type: 'offer' as const, sdp: '' } } });

async function makeRouter() {
  const { CallRouter } = await import('./call-router.js');
  // The router's own ChatError: each test loads the modules afresh.
  const { ChatError } = await import('@chat/protocol');
  const failed: ChatError[] = [];
  const host: CallRouterHost = {
    request: () => Promise.reject(new Error('not in these tests')),
    selfId: () => 'luis',
    options: {},
    appeared: () => undefined,
    failed: (error) => failed.push(error),
  };
  return { router: new CallRouter(host), failed, ChatError };
}

describe('CallRouter: the call code loads when the first call comes', () => {
  beforeEach(() => {
    vi.resetModules();
    mockCallCode();
    Object.assign(loads, { count: 0, told: [], fail: false });
  });

  it('does not load the call code for what concerns no call', async () => {
    const { router } = await makeRouter();
    router.signal(signal('c1')); // a signal is for a call you are in: none yet
    router.receive(call('c1', true)); // over before this client knew of it
    router._roomJoined('consulta', []);
    router._roomJoined('consulta', [call('c2', true)]);
    router._roomClosed('consulta');
    router._connectionLost();
    router.close();
    await Promise.resolve();
    expect(router.calls).toEqual([]);
    expect(router._inRoom('consulta')).toEqual([]);
    expect(loads.count).toBe(0);
  });

  it('holds what comes while the code loads and hands it over in order', async () => {
    const { router } = await makeRouter();
    router.receive(call('c1'));
    router.signal(signal('c1'));
    router._roomJoined('consulta', [call('c1')]);
    router.receive(call('c1', true));
    router._connectionLost();
    expect(loads.told).toEqual([]);
    await vi.waitFor(() => expect(loads.told).toHaveLength(5), LOADED);
    expect(loads.told).toEqual(['call c1', 'signal c1', 'joined consulta', 'call c1', 'connection lost']);
    expect(loads.count).toBe(1);
    // Loaded: straight through.
    router._roomClosed('consulta');
    expect(loads.told.at(-1)).toBe('closed consulta');
  });

  it('loads on a join that lists a call going on, and on a start', async () => {
    const joined = await makeRouter();
    joined.router._roomJoined('consulta', [call('c1')]);
    await vi.waitFor(() => expect(loads.told).toEqual(['joined consulta']), LOADED);

    vi.resetModules();
    mockCallCode();
    Object.assign(loads, { count: 0, told: [], fail: false });
    const started = await makeRouter();
    await expect(started.router.start('consulta', { kind: 'audio' })).resolves.toEqual({ roomId: 'consulta' });
    expect(loads.told).toEqual(['start consulta']);
  });

  it('says so when the code cannot load: calls waiting are dropped, a start fails, the next call tries again', async () => {
    loads.fail = true;
    const { router, failed, ChatError } = await makeRouter();
    router.receive(call('c1'));
    router.signal(signal('c1'));
    await vi.waitFor(() => expect(failed).toHaveLength(1), LOADED);
    expect(failed[0]).toBeInstanceOf(ChatError);
    expect(failed[0]?.code).toBe('INTERNAL');
    expect(failed[0]?.message).toBe('The code for calls could not be loaded, so calls do not work on this page now.');

    const start = router.start('consulta', { kind: 'video' });
    await expect(start).rejects.toMatchObject({ code: 'INTERNAL', message: failed[0]?.message });
    expect(failed).toHaveLength(1); // the start's caller is told, by the rejection

    loads.fail = false; // the chunk is reachable again
    router.receive(call('c2'));
    await vi.waitFor(() => expect(loads.told).toEqual(['call c2']), LOADED);
  });
});
