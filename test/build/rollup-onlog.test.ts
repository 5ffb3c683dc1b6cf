import { describe, expect, it, vi } from 'vitest';

// rollup.config.mjs `onLog` says the known warnings about dependencies' code once; a warning about
// OUR code must still reach Rollup (and the console) as Rollup says it (found in review).

interface Log {
  code: string;
  exporter?: string;
  id?: string;
  message: string;
}
type OnLog = (level: string, log: Log, handler: (level: string, log: Log) => void) => void;

describe('rollup.config.mjs onLog', () => {
  it('passes on an unresolved @noble/@hpke import made by our own source (it becomes a bare import in the classic script)', async () => {
    // @ts-expect-error: the root config is plain JavaScript, without declarations
    const { default: configs } = (await import('../../rollup.config.mjs')) as { default: { onLog: OnLog }[] };
    const onLog = configs[0]!.onLog;
    const handler = vi.fn();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      // As a mistyped or newly needed import in the SDK's e2ee code would be told.
      onLog(
        'warn',
        {
          code: 'UNRESOLVED_IMPORT',
          exporter: '@noble/hashes/sha3',
          id: `${process.cwd()}/packages/client/src/e2ee/mls-device.ts`,
          message: "'@noble/hashes/sha3' is imported by packages/client/src/e2ee/mls-device.ts, but could not be resolved",
        },
        handler,
      );
    } finally {
      warn.mockRestore();
    }
    expect(handler).toHaveBeenCalledTimes(1);
  });
});
