import { setFlagsFromString, queryObjects } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { io as ioClient } from 'socket.io-client';
import { Socket as ServerSocket } from 'socket.io';
import { describe, expect, it, vi } from 'vitest';
import { SocketSession } from './kernel/connection/socket-session.js';
import { TokenBucket } from './limits/token-bucket.js';
import { rawSocket, request, startChat, type RawSocket } from '../../../test-support/servers.js';

// Many connect / join 2 rooms / leave 1 / disconnect cycles against one real server, then:
// nothing left behind. No Socket.IO rooms or sockets, no presence members, no per-user or
// per-socket state once the forget timers ran, no timers, and the heap back near its baseline.
// SOAK_CYCLES sets the count (default 2,000: 10 to 30 s on a busy 2-core machine); docs/performance.md has the
// numbers of a 20,000-cycle run. Nothing here asserts a time.

const CYCLES = Number(process.env.SOAK_CYCLES ?? 2000);
const WARMUP = 300;
const CONCURRENCY = 50;
const ROOMS = 100;
const HEAP_SLACK_MB = 20;

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;
const heapAfterGc = (): number => {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
};
/** Live objects made by `ctor` (after a GC). */
const count = (ctor: { prototype: object }): number => queryObjects(ctor as never, { format: 'count' });
// Live Timeout objects, unref'd ones included (getActiveResourcesInfo() would miss those).
const Timeout = setTimeout(() => undefined, 0).constructor;
const timers = (): number => count(Timeout);
const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

describe('soak', () => {
  it(
    `${CYCLES.toLocaleString('en')} connect/join/leave/disconnect cycles leave no rooms, members, state or timers behind`,
    async () => {
      // Buckets refill (and per-user state may be dropped) within about a second; the limits are
      // high enough never to refuse the loop.
      const { chat, url } = await startChat({
        limits: { messageBurst: 5, messagesPerSecond: 10, eventBurst: 200, eventsPerSecond: 400, maxRoomsPerSocket: 4 },
      });
      const nsp = chat.io.of('/');
      const bucketsAtStart = count(TokenBucket);
      let joins = 0;
      let leaves = 0;
      chat.on('join', () => joins++);
      chat.on('leave', () => leaves++);
      const roomId = (n: number) => `soak-${n % ROOMS}`;

      let next = 0;
      const failures: string[] = [];
      // One cycle: a new guest (a new user id every time) connects, joins two rooms, leaves one
      // and disconnects. Every fourth disconnects while its second join is still under way.
      const cycle = async (n: number): Promise<void> => {
        const socket: RawSocket = ioClient(url, {
          auth: { name: `soak-${n}` },
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
        });
        try {
          await new Promise<void>((resolve, reject) => {
            socket.once('connect', resolve);
            socket.once('connect_error', reject);
          });
          const first = await request(socket, 'room:join', { roomId: roomId(n) });
          if (!first.ok) failures.push(`join: ${first.error.code}`);
          if (n % 4 === 3) {
            socket.emit('room:join', { roomId: roomId(n + 1) }, () => undefined);
            return;
          }
          const second = await request(socket, 'room:join', { roomId: roomId(n + 1) });
          if (!second.ok) failures.push(`join: ${second.error.code}`);
          const left = await request(socket, 'room:leave', { roomId: roomId(n) });
          if (!left.ok) failures.push(`leave: ${left.error.code}`);
        } finally {
          socket.disconnect();
        }
      };
      const run = async (count: number): Promise<void> => {
        const end = next + count;
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            while (next < end) await cycle(next++);
          }),
        );
      };
      const settled = async (): Promise<void> => {
        await vi.waitFor(
          () => {
            expect(nsp.sockets.size).toBe(0);
            expect(nsp.adapter.sids.size).toBe(0);
            expect(nsp.adapter.rooms.size).toBe(0);
            expect(leaves).toBe(joins);
          },
          { timeout: 15_000, interval: 50 },
        );
        // The per-user state outlives the last socket until its buckets would have refilled.
        await vi.waitFor(() => expect(count(TokenBucket)).toBe(bucketsAtStart), { timeout: 15_000, interval: 200 });
      };

      // Warm up (code compiled, pools grown), then take the baseline.
      await run(WARMUP);
      await settled();
      const baseline = { heap: heapAfterGc(), rss: process.memoryUsage().rss, timers: timers() };

      const t0 = performance.now();
      await run(CYCLES);
      const seconds = (performance.now() - t0) / 1000;
      expect(failures).toEqual([]);
      // The state the checks below look for is there while users are fresh (it would be 0 if
      // the checks could not see it).
      expect(count(TokenBucket)).toBeGreaterThan(bucketsAtStart);
      await settled();

      expect(count(SocketSession)).toBe(0);
      expect(count(ServerSocket)).toBe(0);
      // Nobody is left as a member: a probe joining each room finds only itself.
      const probe = await rawSocket(url, { name: 'probe' });
      for (let r = 0; r < ROOMS; r++) {
        const joined = await request(probe, 'room:join', { roomId: `soak-${r}` });
        expect(joined.ok && joined.data.members.map((m) => m.name)).toEqual(['probe']);
        expect((await request(probe, 'room:leave', { roomId: `soak-${r}` })).ok).toBe(true);
      }
      probe.disconnect();
      await settled();

      const after = { heap: heapAfterGc(), rss: process.memoryUsage().rss, timers: timers() };
      // A few timers of the test's own (vi.waitFor, socket.io-client) may be alive; a leak
      // would be one per cycle or per user.
      expect(after.timers).toBeLessThanOrEqual(baseline.timers + 10);
      expect(after.heap - baseline.heap).toBeLessThan(HEAP_SLACK_MB * 2 ** 20);
      // The numbers for docs/performance.md (not asserted).
      console.log(
        `soak: ${CYCLES} cycles (${CONCURRENCY} at once, ${joins} joins) in ${seconds.toFixed(1)} s; ` +
          `heap after GC ${mb(baseline.heap)} -> ${mb(after.heap)} MB (${mb(after.heap - baseline.heap)} MB), ` +
          `rss ${mb(baseline.rss)} -> ${mb(after.rss)} MB; timers ${baseline.timers} -> ${after.timers}`,
      );
    },
    Math.max(120_000, CYCLES * 20),
  );
});
