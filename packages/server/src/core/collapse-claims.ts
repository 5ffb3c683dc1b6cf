/**
 * Who sends the one push of a collapse window (a user and a room) when several processes serve
 * the same users: `redisCluster()` keeps the windows in Redis (`SET NX PX`). Without a cluster
 * each process collapses alone, which is all there is with one process.
 */
export interface CollapseClaims {
  /**
   * Opens the window `key` for `windowMs` if no process has it open: resolves 0 (this process
   * sends now). Otherwise resolves the milliseconds left of the window another process opened.
   * Never rejects: a cluster that cannot be asked answers 0 (a push too many, rather than none).
   */
  claim(key: string, windowMs: number): Promise<number>;
}
