// Live reactions as a plugin: `plugins: [liveReactions()]`. A viewer's emoji reaches everyone in
// the room within a quarter of a second, summed, and is never stored (docs/live-events.md).
import { builtInError, type LiveReactionsJoin } from '@chat/protocol';
import { definePlugin, type DefinedPlugin, type PluginTools } from '../../core/plugin.js';
import { liveReactionsConfig, type LiveReactionsOptions } from './live-reactions-options.js';
import { ReactionRate } from './reaction-rate.js';
import { ReactionTally } from './reaction-tally.js';

export { DEFAULT_LIVE_REACTIONS, type LiveReactionsOptions } from './live-reactions-options.js';

/**
 * Live reactions: `live-reaction:send { roomId, emoji }` from anyone in a room, summed per room on
 * every process and sent as `live-reaction:burst { roomId, counts }` at most 4 times a second.
 * Ephemeral: nothing is stored, so nothing is in a person's data.
 * @example createChatServer(httpServer, { plugins: [liveReactions({ emojis: ['👏', '🎉'] })] })
 */
export function liveReactions(options: LiveReactionsOptions = {}): DefinedPlugin {
  const config = liveReactionsConfig(options);
  const allowed = new Set(config.emojis);
  // Per server (its tools): one plugin value may serve several servers of one process.
  const servers = new WeakMap<PluginTools, { tally: ReactionTally; rate: ReactionRate }>();
  const of = (tools: PluginTools) => {
    let server = servers.get(tools);
    if (!server) {
      const tally = new ReactionTally({
        burst: (burst) => tools.emitToLocalRoom(burst.roomId, 'live-reaction:burst', burst),
        toPeers: (counts) => tools.peers.send(counts),
      });
      servers.set(tools, (server = { tally, rate: new ReactionRate(config.perUserPerSecond) }));
    }
    return server;
  };
  const joinAnswer: LiveReactionsJoin = { emojis: [...config.emojis], perUserPerSecond: config.perUserPerSecond };
  return definePlugin({
    name: 'live-reactions',
    events: {
      'live-reaction:send': ({ user, roomId, payload }, tools) => {
        const emoji = (payload as { emoji?: unknown } | null)?.emoji;
        if (roomId === undefined) throw builtInError('VALIDATION_FAILED', '"live-reaction:send": roomId: a room id is required.');
        if (typeof emoji !== 'string' || !allowed.has(emoji)) {
          throw builtInError(
            'VALIDATION_FAILED',
            `"live-reaction:send": emoji: must be one of this server's reactions (${config.emojis.join(' ')}).`,
          );
        }
        const { tally, rate } = of(tools);
        const wait = rate.take(user.id);
        if (wait !== undefined) {
          throw builtInError('RATE_LIMITED', `At most ${config.perUserPerSecond} reactions a second: wait a moment.`, {
            retryAfter: wait,
          });
        }
        tally.add(roomId, emoji);
        return {};
      },
    },
    joinAnswer: () => joinAnswer,
    start: (tools) => {
      const { tally } = of(tools);
      tools.peers.on((data) => tally.fromPeer(data));
      tally.start();
    },
    close: (tools) => of(tools).tally.stop(),
  });
}
