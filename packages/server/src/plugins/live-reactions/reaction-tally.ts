// The reactions of every room, summed: each process counts what its sockets sent, and every tick
// (4 a second) it sends its counts of all rooms to the other processes in one message, then emits
// to its own sockets in each room what it counted plus what the others sent it since its last
// tick. Each reaction is in exactly one burst on each process, so a viewer's sum is exact, and a
// viewer gets at most one burst per tick per room, however many processes and reactions there are.
import type { LiveReactionBurst } from '@chat/protocol';

/** Counts by room, then by emoji. */
type Counts = Map<string, Map<string, number>>;
/** What one process sends the others every tick: its counts of every room, as JSON. */
interface PeerCounts {
  rooms: Array<[roomId: string, counts: Record<string, number>]>;
}

/** Where the tally's bursts and peer messages go (the plugin's tools). */
export interface TallyOutlet {
  /** To this process's sockets in the room. */
  burst(burst: LiveReactionBurst): void;
  /** To the other processes (nothing without a cluster). */
  toPeers(counts: PeerCounts): void;
}

/** Bursts a second at most, per room and viewer. */
const BURSTS_PER_SECOND = 4;

/** The tally of one process. */
export class ReactionTally {
  #local: Counts = new Map();
  #remote: Counts = new Map();
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly outlet: TallyOutlet) {}

  /** One reaction sent to this process. */
  add(roomId: string, emoji: string): void {
    addTo(this.#local, roomId, emoji, 1);
  }

  /** What another process counted (its `toPeers`); anything malformed is ignored. */
  fromPeer(data: unknown): void {
    const rooms = (data as Partial<PeerCounts> | null)?.rooms;
    if (!Array.isArray(rooms)) return;
    for (const entry of rooms) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'object' || entry[1] === null) continue;
      for (const [emoji, n] of Object.entries(entry[1] as Record<string, unknown>)) {
        if (Number.isSafeInteger(n) && (n as number) > 0) addTo(this.#remote, entry[0], emoji, n as number);
      }
    }
  }

  /** Starts ticking. */
  start(): void {
    this.#timer ??= setInterval(() => this.tick(), 1000 / BURSTS_PER_SECOND);
    this.#timer.unref();
  }

  /** Stops ticking; what is counted and not yet sent is dropped (reactions are of the moment). */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One tick: the local counts to the peers, the sum of all to this process's sockets. */
  tick(): void {
    const local = this.#local;
    const remote = this.#remote;
    this.#local = new Map();
    this.#remote = new Map();
    if (local.size > 0) this.outlet.toPeers({ rooms: [...local].map(([roomId, counts]) => [roomId, Object.fromEntries(counts)]) });
    for (const [roomId, counts] of remote) for (const [emoji, n] of counts) addTo(local, roomId, emoji, n);
    for (const [roomId, counts] of local) this.outlet.burst({ roomId, counts: Object.fromEntries(counts) });
  }
}

function addTo(counts: Counts, roomId: string, emoji: string, n: number): void {
  let room = counts.get(roomId);
  if (!room) counts.set(roomId, (room = new Map<string, number>()));
  room.set(emoji, (room.get(emoji) ?? 0) + n);
}
