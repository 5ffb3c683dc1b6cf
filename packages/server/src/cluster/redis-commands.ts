import { createHash } from 'node:crypto';

/** The one thing the cluster needs of a Redis client: raw commands (node-redis's `sendCommand`). */
export interface RedisCommander {
  sendCommand(args: string[]): Promise<unknown>;
}

/** Runs Lua scripts by SHA, loading them again after a Redis restart flushed its script cache. */
export class ScriptRunner {
  readonly #shas = new Map<string, string>();

  constructor(private readonly client: RedisCommander) {}

  async run(script: string, keys: string[], args: string[]): Promise<unknown> {
    let sha = this.#shas.get(script);
    if (!sha) {
      sha = createHash('sha1').update(script).digest('hex');
      this.#shas.set(script, sha);
    }
    try {
      return await this.client.sendCommand(['EVALSHA', sha, String(keys.length), ...keys, ...args]);
    } catch (error) {
      if (!/NOSCRIPT/u.test(String((error as Error)?.message))) throw error;
      return this.client.sendCommand(['EVAL', script, String(keys.length), ...keys, ...args]);
    }
  }
}
