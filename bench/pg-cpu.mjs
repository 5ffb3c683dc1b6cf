// The CPU time PostgreSQL spends for one benchmark server: the backends of the connections whose
// application_name is the server's own (read from /proc, so PostgreSQL must run on this machine).
// Shared work (the WAL writer, the checkpointer, autovacuum) is not counted: it is everyone's, and
// other users of the same PostgreSQL would be counted with it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const tickMs = (() => {
  try {
    return 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
  } catch {
    return 10;
  }
})();

/** utime + stime of a process, in ms, or undefined when it is gone (or not on this machine). */
export function cpuMsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (in parentheses, which may hold spaces): utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * tickMs;
  } catch {
    return undefined;
  }
}

/**
 * A meter of the backends named `applicationName`: each `sample()` answers the CPU ms they used
 * since the previous one (a backend that appeared meanwhile counts from its start; NaN when none
 * could be read).
 */
export function pgCpuMeter(pg, connectionString, applicationName) {
  const client = new pg.Client({ connectionString });
  client.on('error', () => undefined);
  const connected = client.connect();
  const last = new Map();
  return {
    async sample() {
      await connected;
      const { rows } = await client.query('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
      let total = 0;
      let read = 0;
      for (const { pid } of rows) {
        const now = cpuMsOf(pid);
        if (now === undefined) continue;
        read += 1;
        total += now - (last.get(pid) ?? 0);
        last.set(pid, now);
      }
      return read > 0 ? total : Number.NaN;
    },
    close: () => client.end(),
  };
}
